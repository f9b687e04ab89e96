using Millrace.Core.Expressions;

namespace Millrace.Core.Tests.Expressions;

/// <summary>
/// Missing values (an absent JSON member, JSON null, a null field, a number without a value such as 1/0):
/// ordering comparisons are false, == is true only against another missing value, != is the negation of ==,
/// arithmetic and text functions give missing, predicates over missing text are false.
/// </summary>
public class MissingValueSpecs
{
    [Theory]
    [InlineData("data.missing > 5", false)]
    [InlineData("data.missing < 5", false)]
    [InlineData("data.missing >= 5", false)]
    [InlineData("data.missing == 5", false)]
    [InlineData("data.missing != 5", true)]
    [InlineData("data.missing == 'x'", false)]
    [InlineData("data.missing != 'x'", true)]
    [InlineData("data.missing == null", true)]
    [InlineData("data.note == null", true)]                   // JSON null is missing too
    [InlineData("data.order == null", false)]
    [InlineData("data.order != null", true)]
    [InlineData("data.missing == data.note", true)]           // missing equals missing
    [InlineData("data.missing == false", false)]              // a missing boolean is neither true nor false ...
    [InlineData("data.missing == true", false)]
    [InlineData("data.missing", false)]                       // ... but a condition needs JSON true
    [InlineData("not data.missing", true)]
    [InlineData("data.missing + 1 > 0", false)]               // arithmetic with missing is missing
    [InlineData("data.missing + 1 == null", true)]
    [InlineData("data.missing in [1, 2]", false)]
    [InlineData("data.missing in ['a', null]", true)]
    [InlineData("data.missing.deeper.still == null", true)]   // walking through missing stays missing
    [InlineData("data.order.deeper == null", true)]           // a member of a string is missing
    [InlineData("data.lines[2] == null", true)]               // past the end
    [InlineData("data.lines[-1] == null", true)]
    [InlineData("data.lines[0.5] == null", true)]
    [InlineData("data.order[0] == null", true)]               // indexing a non-array
    [InlineData("exists(data.order)", true)]
    [InlineData("exists(data.scrap)", true)]                  // zero is a value
    [InlineData("exists(data.rework)", true)]                 // false is a value
    [InlineData("exists(data.missing)", false)]
    [InlineData("exists(data.note)", false)]
    [InlineData("exists(data.lines[1].sku)", true)]
    [InlineData("exists(data.lines[2].sku)", false)]
    [InlineData("contains(data.missing, 'x')", false)]
    [InlineData("starts_with(data.missing, 'x')", false)]
    [InlineData("lower(data.missing) == null", true)]
    [InlineData("'x' + data.missing == null", true)]
    [InlineData("len(data.missing) > 0", false)]
    [InlineData("timestamp(data.missing) < timestamp(data.started_at)", false)]
    [InlineData("timestamp(data.missing) == null", true)]
    [InlineData("timestamp(data.order) == null", true)]       // not a timestamp: missing
    [InlineData("coalesce(data.missing, data.note, 'fallback') == 'fallback'", true)]
    [InlineData("null == null", true)]
    [InlineData("null != null", false)]
    [InlineData("1 / 0 == 1 / 0", true)]                      // NaN is the missing number, and equals itself
    [InlineData("1 / 0 != 0", true)]
    public void Missing_json_values(string text, bool expected) =>
        Assert.Equal(expected, ProductionEvent.Condition(text));

    [Fact]
    public void Arithmetic_with_missing_gives_NaN_and_a_null_value()
    {
        Assert.True(double.IsNaN(ProductionEvent.Number("data.missing * 2")));
        Assert.True(double.IsNaN(ProductionEvent.Number("data.order")));   // a string read as a number
        Assert.True(double.IsNaN(ProductionEvent.Number("null")));
        Assert.Null(ProductionEvent.Value("data.missing * 2"));
        Assert.Null(ProductionEvent.Value("data.missing"));
        Assert.Null(ProductionEvent.Text("data.note"));
    }

    [Fact]
    public void Null_typed_fields_read_as_missing()
    {
        var sample = Telemetry.Sample(status: null) with { Count = null };
        Assert.True(Telemetry.Condition("status == null", sample));
        Assert.False(Telemetry.Condition("status == 'good'", sample));
        Assert.True(Telemetry.Condition("status != 'good'", sample));
        Assert.False(Telemetry.Condition("status < 'z'", sample));
        Assert.False(Telemetry.Condition("exists(status)", sample));
        Assert.True(Telemetry.Condition("count == null", sample));
        Assert.False(Telemetry.Condition("count >= 0", sample));
        Assert.False(Telemetry.Condition("exists(count)", sample));
        Assert.True(double.IsNaN(Telemetry.Number("count + 1", sample)));
        Assert.Null(Telemetry.Text("upper(status)", sample));
        Assert.Equal("n/a", Telemetry.Text("coalesce(status, 'n/a')", sample));
        Assert.Equal(2, Telemetry.Number("coalesce(count, 2)", sample));
    }

    [Fact]
    public void Evaluation_never_throws_at_the_edges_of_time()
    {
        var sample = Telemetry.Sample() with { Timestamp = DateTimeOffset.MaxValue, Window = TimeSpan.MaxValue };
        Assert.True(Telemetry.Condition("ts + 1d == null", sample));
        Assert.True(Telemetry.Condition("window + window == null", sample));
        Assert.True(Telemetry.Condition("window * 1e300 == null", sample));
        Assert.True(Telemetry.Condition("-window == null", Telemetry.Sample() with { Window = TimeSpan.MinValue }));
        Assert.True(Telemetry.Condition("ts - 1d < ts", sample));
    }
}
