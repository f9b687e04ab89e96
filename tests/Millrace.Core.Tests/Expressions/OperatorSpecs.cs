using Millrace.Core.Expressions;

namespace Millrace.Core.Tests.Expressions;

/// <summary>Every operator, on every type it accepts.</summary>
public class OperatorSpecs
{
    [Theory]
    [InlineData("value + 2", 9.5)]
    [InlineData("value - 2", 5.5)]
    [InlineData("value * 2", 15)]
    [InlineData("value / 2", 3.75)]
    [InlineData("value % 2", 1.5)]
    [InlineData("-value", -7.5)]
    [InlineData("quality + 1", 1)]                     // an int field is promoted to number
    [InlineData("signal.spindle_temp - ambient", 23.5)]
    [InlineData("limit * 10", 71)]                     // a constant field
    [InlineData("1.5e3 + 2E-1", 1500.2)]
    [InlineData("007", 7)]
    public void Arithmetic_on_numbers(string text, double expected) =>
        Assert.Equal(expected, Telemetry.Number(text), 12);

    [Theory]
    [InlineData("1 / 0")]
    [InlineData("0 / 0")]
    [InlineData("-1 / 0")]
    [InlineData("5 % 0")]
    [InlineData("value / (quality * 2)")]
    public void Division_by_zero_has_no_value(string text) =>
        Assert.True(double.IsNaN(Telemetry.Number(text)));

    [Theory]
    [InlineData("value > 7.1", true)]
    [InlineData("value >= 7.5", true)]
    [InlineData("value < 7.5", false)]
    [InlineData("value <= 7.5", true)]
    [InlineData("value == 7.5", true)]
    [InlineData("value != 7.5", false)]
    [InlineData("value > 7.1 and quality == 0", true)]
    [InlineData("value > 7.1 && quality != 0", false)]
    [InlineData("value > 100 or quality == 0", true)]
    [InlineData("value > 100 || quality == 1", false)]
    [InlineData("not (value > 7.1)", false)]
    [InlineData("!(value > 7.1)", false)]
    [InlineData("signal.spindle_temp - ambient > 20", true)]
    [InlineData("value > limit", true)]
    [InlineData("1 / 0 > 0", false)]                   // no value compares false
    [InlineData("1 / 0 < 0", false)]
    [InlineData("true == true", true)]
    [InlineData("true != false", true)]
    public void Comparisons_and_logic_on_numbers_and_booleans(string text, bool expected) =>
        Assert.Equal(expected, Telemetry.Condition(text));

    [Theory]
    [InlineData("status == 'good'", true)]
    [InlineData("status == \"good\"", true)]
    [InlineData("status != 'bad'", true)]
    [InlineData("status == 'Good'", false)]            // ordinal, case-sensitive
    [InlineData("'abc' < 'abd'", true)]
    [InlineData("'abc' <= 'abc'", true)]
    [InlineData("'b' > 'a'", true)]
    [InlineData("'B' >= 'a'", false)]                  // ordinal: upper case sorts first
    [InlineData("status in ['good', 'uncertain']", true)]
    [InlineData("status not in ['bad', 'uncertain']", true)]
    [InlineData("quality in [0, 192]", true)]
    [InlineData("quality not in [0, 192]", false)]
    [InlineData("value in []", false)]
    [InlineData("value not in []", true)]
    public void Strings_compare_ordinally_and_in_tests_membership(string text, bool expected) =>
        Assert.Equal(expected, Telemetry.Condition(text));

    [Theory]
    [InlineData("'a' + \"b\"", "ab")]
    [InlineData("status + '/' + to_string(quality)", "good/0")]
    [InlineData("'it\\'s'", "it's")]
    [InlineData("\"say \\\"hi\\\"\"", "say \"hi\"")]
    [InlineData("'tab\\tnew\\nline\\\\'", "tab\tnew\nline\\")]
    [InlineData("'\\u00e9t\\u00e9'", "été")]
    [InlineData("'x\\ry\\0'", "x\ry\0")]
    public void Plus_concatenates_strings_and_escapes_are_decoded(string text, string expected) =>
        Assert.Equal(expected, Telemetry.Text(text));

    [Theory]
    [InlineData("5s + 2m == 125s", true)]
    [InlineData("1h30m == 90m", true)]
    [InlineData("2m30s500ms == 150500ms", true)]
    [InlineData("1d == 24h", true)]
    [InlineData("1.5s == 1500ms", true)]
    [InlineData("500ms * 4 == 2s", true)]
    [InlineData("4 * 500ms == 2s", true)]
    [InlineData("2m / 4 == 30s", true)]
    [InlineData("2m - 30s == 90s", true)]
    [InlineData("-5s < 0s", true)]
    [InlineData("5s > 4999ms", true)]
    [InlineData("window >= 5m and window <= 5m", true)]
    [InlineData("window != 5m", false)]
    [InlineData("2m / 0 == null", true)]               // dividing a duration by zero has no value
    public void Durations_are_a_literal_type_with_arithmetic(string text, bool expected) =>
        Assert.Equal(expected, Telemetry.Condition(text));

    [Fact]
    public void Dividing_durations_gives_a_number() => Assert.Equal(4, Telemetry.Number("2m / 30s"));

    [Theory]
    [InlineData("now() - ts > 5m", true)]              // ts is ten minutes old
    [InlineData("now() - ts == 10m", true)]
    [InlineData("ts + 10m == now()", true)]
    [InlineData("10m + ts == now()", true)]
    [InlineData("ts - 30s < ts", true)]
    [InlineData("ts < now()", true)]
    [InlineData("ts >= now()", false)]
    [InlineData("ts != now()", true)]
    public void Timestamps_compare_and_shift_by_durations(string text, bool expected) =>
        Assert.Equal(expected, Telemetry.Condition(text));

    [Theory]
    [InlineData("value > 7 ? 'high' : 'low'", "high")]
    [InlineData("value > 8 ? 'high' : 'low'", "low")]
    [InlineData("if(value > 7, 'high', 'low')", "high")]
    [InlineData("quality == 0 ? null : status", null)]  // null takes the other branch's type
    public void Conditional_picks_a_branch(string text, string? expected) =>
        Assert.Equal(expected, Telemetry.Text(text));

    [Fact]
    public void Value_results_are_boxed_in_their_runtime_type()
    {
        Assert.Equal(7.5, Telemetry.Value("value"));
        Assert.Equal(true, Telemetry.Value("value > 1"));
        Assert.Equal("good", Telemetry.Value("status"));
        Assert.Equal(Telemetry.Noon.AddMinutes(-10), Telemetry.Value("ts"));
        Assert.Equal(TimeSpan.FromSeconds(90), Telemetry.Value("90s"));
        Assert.Null(Telemetry.Value("null"));
        Assert.Null(Telemetry.Value("1 / 0"));
    }
}
