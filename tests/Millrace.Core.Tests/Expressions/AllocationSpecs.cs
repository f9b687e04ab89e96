using Millrace.Core.Expressions;

namespace Millrace.Core.Tests.Expressions;

/// <summary>
/// Compiled number and boolean expressions allocate nothing per evaluation: field reads are inlined loads, helpers
/// take and return values, JSON comparisons read the document in place.
/// </summary>
public class AllocationSpecs
{
    private const int Evaluations = 100_000;

    public sealed class SampleObject
    {
        public double Value { get; set; }
        public int Quality { get; set; }
    }

    [Theory]
    [InlineData("value > 7.1 and quality == 0")]
    [InlineData("signal.spindle_temp - ambient > 20")]
    [InlineData("status == 'good' and not (value < 0) and status in ['good', 'uncertain']")]
    [InlineData("now() - ts > 5m and window <= 5m")]
    [InlineData("count != null and clamp(value, 0, 10) > limit ? true : false")]
    [InlineData("starts_with(status, 'go') and value / 0 == 1 / 0")]
    public void Conditions_over_a_struct_allocate_nothing(string text)
    {
        var condition = ExpressionCompiler.CompilePredicate(text, Telemetry.Scope(), Telemetry.Options);
        var sample = Telemetry.Sample();
        Assert.Equal(0, AllocatedBy(() => condition(sample)));
    }

    [Theory]
    [InlineData("round(value * 1.0, 2)")]
    [InlineData("clamp(value, 0, 10) + abs(ambient) - min(value, ambient, 3) * max(1, 2)")]
    [InlineData("pow(value, 2) % 7 + sqrt(ambient) + floor(value) + ceil(value)")]
    [InlineData("duration_seconds(now() - ts) / 60")]
    [InlineData("coalesce(count, 0) + to_number(quality == 0)")]
    public void Computed_numbers_over_a_struct_allocate_nothing(string text)
    {
        var compute = ExpressionCompiler.CompileNumber(text, Telemetry.Scope(), Telemetry.Options);
        var sample = Telemetry.Sample();
        Assert.Equal(0, AllocatedBy(() => compute(sample)));
    }

    [Fact]
    public void Conditions_over_a_class_allocate_nothing()
    {
        var scope = ExpressionScope.For<SampleObject>().Field("value", s => s.Value).Field("quality", s => s.Quality);
        var condition = ExpressionCompiler.CompilePredicate("value > 7.1 and quality == 0", scope);
        var sample = new SampleObject { Value = 8, Quality = 0 };
        Assert.Equal(0, AllocatedBy(() => condition(sample)));
    }

    [Theory]
    [InlineData("data.confirmed <= data.order_quantity * 1.05 and data.severity in ['high', 'critical']")]
    [InlineData("data.lines[1].sku == 'B-2' and exists(data.order) and not data.rework")]
    [InlineData("contains(data.tags, 'export') and data.missing == null")]
    public void Json_conditions_that_compare_in_place_allocate_nothing(string text)
    {
        var condition = ExpressionCompiler.CompilePredicate(text, ExpressionScope.ForJson());
        var data = ProductionEvent.Data;
        Assert.True(condition(data));
        Assert.Equal(0, AllocatedBy(() => condition(data)));
    }

    [Fact]
    public void The_measurement_detects_allocation()
    {
        // Guards the guard: text concatenation must show up as allocated bytes.
        var concat = ExpressionCompiler.CompileString("status + to_string(value)", Telemetry.Scope());
        var sample = Telemetry.Sample();
        Assert.True(AllocatedBy(() => concat(sample) is not null) > 0);
    }

    private static long AllocatedBy(Func<bool> evaluate)
    {
        for (var i = 0; i < 1_000; i++) evaluate(); // JIT and tiering first
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Evaluations; i++) evaluate();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    private static long AllocatedBy(Func<double> evaluate) => AllocatedBy(() => !double.IsInfinity(evaluate()));
}
