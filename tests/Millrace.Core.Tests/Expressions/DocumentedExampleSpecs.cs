using Millrace.Core.Expressions;

namespace Millrace.Core.Tests.Expressions;

/// <summary>Every example in docs/expressions.md compiles against the scope it is documented for.</summary>
public class DocumentedExampleSpecs
{
    private static ExpressionScope<TelemetrySample> RuleScope() => Telemetry.Scope()
        .Constant("limit_low", 2.0)
        .Constant("limit_high", 7.0)
        .Field("delta", s => s.Value - s.Ambient);

    [Theory]
    [InlineData("value > 7.1 and quality == 0")]
    [InlineData("signal.spindle_temp - ambient > 20")]
    [InlineData("signal.spindle_temp - ambient > 20 and quality == 0")]
    [InlineData("now() - ts > 5m")]
    [InlineData("value < limit_low or value > limit_high")]
    [InlineData("value > limit and quality == 0")]
    public void Rule_conditions(string text) =>
        ExpressionCompiler.CompilePredicate(text, RuleScope(), Telemetry.Options);

    [Theory]
    [InlineData("round(delta * 1.0, 2)")]
    [InlineData("round(value - limit_high, 2)")]
    [InlineData("signal.spindle_temp - ambient")]
    public void Computed_fields(string text) => ExpressionCompiler.CompileNumber(text, RuleScope(), Telemetry.Options);

    [Fact]
    public void Computed_text_fields() =>
        Assert.Equal("high", ExpressionCompiler.CompileString("value > limit_high * 1.1 ? 'critical' : 'high'", RuleScope())(Telemetry.Sample()));

    [Theory]
    [InlineData("data.confirmed <= data.order_quantity * 1.05")]
    [InlineData("exists(data.order) and starts_with(data.order, 'PO-')")]
    [InlineData("data.scrap == null or data.scrap >= 0")]
    [InlineData("timestamp(data.completed_at) - timestamp(data.started_at) < 12h")]
    [InlineData("data.unit in ['pcs', 'kg', 'm']")]
    public void Business_rule_checks_pass_on_the_sample_event(string text) =>
        Assert.True(ProductionEvent.Condition(text));

    [Theory]
    [InlineData("event.data.severity in ['high', 'critical']")]
    [InlineData("event.type == 'com.acme.production.confirmed.v1' and event.data.confirmed > 0")]
    public void Workflow_branches(string text) =>
        Assert.True(ExpressionCompiler.CompilePredicate(text, ProductionEvent.EventScope())(ProductionEvent.View()));

    [Fact]
    public void Mapping_fields_and_template()
    {
        var scope = ExpressionScope.ForJson();
        var data = ProductionEvent.Data;
        Assert.Equal("PO-4711", ExpressionCompiler.CompileValue("data.order", scope)(data)?.ToString());
        Assert.Equal(1040.0, ExpressionCompiler.CompileValue("round(data.confirmed, 0)", scope)(data));
        Assert.Equal("Confirmed 1040 PCS", ExpressionCompiler.CompileString("'Confirmed ' + to_string(data.confirmed) + ' ' + upper(data.unit)", scope)(data));
        Assert.Equal("P003", ExpressionCompiler.CompileString("coalesce(data.plant, 'P003')", scope)(data));
        Assert.NotNull(ExpressionCompiler.CompileString("to_string(now())", scope)(data));
        Assert.Equal("Order PO-4711: 1040 PCS confirmed",
            ExpressionCompiler.CompileTemplate("Order {data.order}: {data.confirmed} {upper(data.unit)} confirmed", scope)(data));
    }
}
