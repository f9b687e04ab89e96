using Millrace.Core.Expressions;

namespace Millrace.Core.Tests.Expressions;

/// <summary>Every whitelisted function.</summary>
public class FunctionSpecs
{
    [Theory]
    [InlineData("abs(-3.5)", 3.5)]
    [InlineData("min(3, 1, 2)", 1)]
    [InlineData("max(3, 1, 2)", 3)]
    [InlineData("min(value, 5)", 5)]
    [InlineData("round(2.5)", 3)]                      // half away from zero
    [InlineData("round(-2.5)", -3)]
    [InlineData("round(3.14159, 2)", 3.14)]
    [InlineData("round(2.345, 2)", 2.35)]
    [InlineData("round(1234.5, -2)", 1200)]
    [InlineData("round(value * 1.0, 0)", 8)]
    [InlineData("round(1.23456, 99)", 1.23456)]        // digits are capped at 15
    [InlineData("floor(2.7)", 2)]
    [InlineData("floor(-2.2)", -3)]
    [InlineData("ceil(2.1)", 3)]
    [InlineData("sqrt(16)", 4)]
    [InlineData("pow(2, 10)", 1024)]
    [InlineData("clamp(15, 0, 10)", 10)]
    [InlineData("clamp(-1, 0, 10)", 0)]
    [InlineData("clamp(5, 0, 10)", 5)]
    [InlineData("len('abcd')", 4)]
    [InlineData("len(status)", 4)]
    [InlineData("coalesce(null, 3)", 3)]
    [InlineData("coalesce(1 / 0, 1 / 0, 4)", 4)]
    [InlineData("coalesce(2, 3)", 2)]
    [InlineData("duration_seconds(2m)", 120)]
    [InlineData("duration_seconds(window)", 300)]
    [InlineData("to_number('12.5')", 12.5)]
    [InlineData("to_number(' -1e3 ')", -1000)]
    [InlineData("to_number(true)", 1)]
    [InlineData("to_number(false)", 0)]
    [InlineData("to_number(90s)", 90)]
    [InlineData("to_number(value)", 7.5)]
    [InlineData("to_number(timestamp('1970-01-01T00:01:00Z'))", 60)]
    public void Numeric_functions(string text, double expected) =>
        Assert.Equal(expected, Telemetry.Number(text), 12);

    [Theory]
    [InlineData("sqrt(-1)")]
    [InlineData("clamp(5, 10, 0)")]                    // lo > hi has no value
    [InlineData("to_number('12,5')")]
    [InlineData("to_number('abc')")]
    [InlineData("round(1 / 0, 2)")]
    [InlineData("min(1, 1 / 0)")]                     // a missing argument makes the result missing
    public void Numeric_functions_without_a_value_give_NaN(string text) =>
        Assert.True(double.IsNaN(Telemetry.Number(text)));

    [Theory]
    [InlineData("lower('AbC')", "abc")]
    [InlineData("upper(status)", "GOOD")]
    [InlineData("to_string(12.5)", "12.5")]
    [InlineData("to_string(3)", "3")]
    [InlineData("to_string(true)", "true")]
    [InlineData("to_string(5s)", "00:00:05")]
    [InlineData("to_string(ts)", "2026-11-22T11:50:00.0000000+00:00")]
    [InlineData("to_string(now())", "2026-11-22T12:00:00.0000000+00:00")]
    [InlineData("coalesce(null, 'x')", "x")]
    [InlineData("if(true, 'a', 'b')", "a")]
    public void Text_functions(string text, string expected) =>
        Assert.Equal(expected, Telemetry.Text(text));

    [Theory]
    [InlineData("contains('spindle', 'ind')", true)]
    [InlineData("contains('spindle', 'IND')", false)]
    [InlineData("starts_with(status, 'go')", true)]
    [InlineData("starts_with(status, 'od')", false)]
    [InlineData("ends_with(status, 'od')", true)]
    [InlineData("ends_with(status, 'go')", false)]
    [InlineData("exists(status)", true)]
    [InlineData("exists(count)", true)]
    [InlineData("exists(value)", true)]
    [InlineData("exists(ts)", true)]
    [InlineData("exists(window)", true)]
    [InlineData("exists(null.x)", false)]
    [InlineData("now() > ts", true)]
    [InlineData("timestamp('2026-11-22T12:00:00Z') == now()", true)]
    [InlineData("timestamp('2026-11-22T13:00:00+01:00') == now()", true)]  // instants compare, not wall clocks
    [InlineData("timestamp('not a time') == null", true)]
    public void Boolean_and_time_functions(string text, bool expected) =>
        Assert.Equal(expected, Telemetry.Condition(text));

    [Fact]
    public void Now_reads_only_the_injected_clock()
    {
        var clock = new FixedClock(Telemetry.Noon);
        var isLate = ExpressionCompiler.CompilePredicate("now() - ts > 15m", Telemetry.Scope(), new ExpressionOptions { TimeProvider = clock });
        var sample = Telemetry.Sample();
        Assert.False(isLate(sample));
        clock.Now = Telemetry.Noon.AddMinutes(6);
        Assert.True(isLate(sample));
    }

    [Fact]
    public void The_catalog_lists_every_function_the_binder_accepts()
    {
        foreach (var name in FunctionCatalog.Signatures.Keys)
        {
            // Calling with a wrong number of arguments must be an arity error, never "unknown function".
            var error = Telemetry.Error(name + "(1, 'x', true, 5s, 1, 2)");
            Assert.DoesNotContain("unknown function", error.Reason);
        }
    }
}
