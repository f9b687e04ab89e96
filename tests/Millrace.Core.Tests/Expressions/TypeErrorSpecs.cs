using Millrace.Core.Expressions;

namespace Millrace.Core.Tests.Expressions;

/// <summary>Type errors, unknown names and misuse are compile errors with a column, never evaluation surprises.</summary>
public class TypeErrorSpecs
{
    [Theory]
    [InlineData("status == 5", 8, 2, "cannot compare string with number")]
    [InlineData("status > value", 8, 1, "cannot compare string with number")]
    [InlineData("ts < 5", 4, 1, "cannot compare timestamp with number")]
    [InlineData("window == 5", 8, 2, "cannot compare duration with number")]
    [InlineData("value in ['a']", 11, 3, "cannot compare number with string")]
    [InlineData("value + 'x'", 7, 1, "cannot apply '+' to number and string (use to_string() to turn a value into text)")]
    [InlineData("status - 'x'", 8, 1, "cannot apply '-' to string and string")]
    [InlineData("ts + ts", 4, 1, "cannot apply '+' to timestamp and timestamp")]
    [InlineData("window * window", 8, 1, "cannot apply '*' to duration and duration")]
    [InlineData("true + 1", 6, 1, "cannot apply '+' to boolean and number")]
    [InlineData("value and true", 1, 5, "the operands of 'and' must be boolean, found number")]
    [InlineData("true || status", 9, 6, "the operands of '||' must be boolean, found string")]
    [InlineData("not value", 1, 3, "the operand of 'not' must be boolean, found number")]
    [InlineData("-status", 1, 1, "cannot negate a string")]
    [InlineData("true < false", 6, 1, "'<' cannot order boolean values")]
    [InlineData("value < null", 7, 1, "'<' cannot compare with null (use '== null', '!= null' or exists())")]
    [InlineData("value ? 1 : 2", 1, 5, "the condition of '?:' must be boolean, found number")]
    [InlineData("true ? 1 : 'a'", 12, 3, "the branches of '?:' have different types: number and string")]
    [InlineData("if(1, 2, 3)", 4, 1, "the condition of 'if' must be boolean, found number")]
    [InlineData("sqrt('x')", 6, 3, "argument 1 of 'sqrt' must be number, found string")]
    [InlineData("round(value, '2')", 14, 3, "argument 2 of 'round' must be number, found string")]
    [InlineData("lower(value)", 7, 5, "argument 1 of 'lower' must be string, found number")]
    [InlineData("len(value)", 5, 5, "argument 1 of 'len' must be string or json, found number")]
    [InlineData("coalesce(value, 'x')", 17, 3, "the arguments of 'coalesce' must have one type: number and string")]
    [InlineData("round(1, 2, 3)", 1, 14, "'round' takes 1 or 2 arguments, found 3")]
    [InlineData("now(1)", 1, 6, "'now' takes no arguments, found 1")]
    [InlineData("abs()", 1, 5, "'abs' takes 1 argument, found 0")]
    [InlineData("max(1)", 1, 6, "'max' takes at least 2 arguments, found 1")]
    [InlineData("exists(1 + 1)", 8, 5, "exists() takes a field, as in exists(data.order_id)")]
    [InlineData("value.x", 7, 1, "'value' is a number and has no field 'x'")]
    [InlineData("status['x']", 7, 5, "'status' is a string and has no field 'x'")]
    [InlineData("value[0]", 1, 5, "a number cannot be indexed")]
    public void Type_errors_point_at_the_operator_or_operand(string text, int column, int length, string reason)
    {
        var error = Telemetry.Error(text);
        Assert.Equal(reason, error.Reason);
        Assert.Equal(column, error.Column);
        Assert.Equal(length, error.Length);
    }

    [Theory]
    [InlineData("valu > 7", 1, 4, "unknown field 'valu' (did you mean 'value'?)")]
    [InlineData("value > 1 and qualty == 0", 15, 6, "unknown field 'qualty' (did you mean 'quality'?)")]
    [InlineData("signal.spindel_temp > 5", 1, 19, "unknown field 'signal.spindel_temp' (did you mean 'signal.spindle_temp'?)")]
    [InlineData("Value > 1", 1, 5, "unknown field 'Value' (did you mean 'value'?)")]
    [InlineData("pressure > 1", 1, 8, "unknown field 'pressure'")]
    [InlineData("sqroot(value)", 1, 6, "unknown function 'sqroot' (did you mean 'sqrt'?)")]
    [InlineData("rnd(value)", 1, 3, "unknown function 'rnd'")]
    [InlineData("now > ts", 1, 3, "'now' is a function; call it as now(…)")]
    [InlineData("value(1)", 1, 5, "'value' is a field, not a function")]
    public void Unknown_names_are_errors_with_suggestions(string text, int column, int length, string reason)
    {
        var error = Telemetry.Error(text);
        Assert.Equal(reason, error.Reason);
        Assert.Equal(column, error.Column);
        Assert.Equal(length, error.Length);
    }

    [Theory]
    [InlineData("value + 1", "a condition must be boolean, but this expression is number")]
    [InlineData("status", "a condition must be boolean, but this expression is string")]
    public void A_condition_must_be_boolean(string text, string reason)
    {
        var error = Assert.Throws<ExpressionException>(() => ExpressionCompiler.CompilePredicate(text, Telemetry.Scope()));
        Assert.Equal(reason, error.Reason);
        Assert.Equal(1, error.Column);
        Assert.Equal(text.Length, error.Length);
    }

    [Fact]
    public void A_computed_number_must_be_a_number()
    {
        var error = Assert.Throws<ExpressionException>(() => ExpressionCompiler.CompileNumber("now() - ts", Telemetry.Scope()));
        Assert.Equal("expected a number, but this expression is duration (use duration_seconds())", error.Reason);
    }

    [Fact]
    public void Check_reports_the_result_type_without_generating_code()
    {
        var scope = Telemetry.Scope();
        Assert.Equal(ExpressionValueType.Boolean, ExpressionCompiler.Check(ExpressionCompiler.Parse("value > 1"), scope));
        Assert.Equal(ExpressionValueType.Duration, ExpressionCompiler.Check(ExpressionCompiler.Parse("now() - ts"), scope));
        Assert.Throws<ExpressionException>(() => ExpressionCompiler.Check(ExpressionCompiler.Parse("valu"), scope));
    }

    [Fact]
    public void Scopes_reject_types_the_language_cannot_represent()
    {
        var error = Assert.Throws<ArgumentException>(() => ExpressionScope.For<TelemetrySample>().Field("signals", s => s.Signals));
        Assert.Contains("field 'signals' has type Double[]", error.Message);
        Assert.Throws<ArgumentException>(() => ExpressionScope.For<TelemetrySample>().Field("value", s => s.Value).Field("value", s => s.Ambient));
        Assert.Throws<ArgumentException>(() => ExpressionScope.For<TelemetrySample>().Field("signal..x", s => s.Value));
    }
}
