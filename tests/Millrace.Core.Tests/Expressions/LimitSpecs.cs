using Millrace.Core.Expressions;

namespace Millrace.Core.Tests.Expressions;

/// <summary>Bounded input: length and nesting limits give clear errors instead of exhausting the stack.</summary>
public class LimitSpecs
{
    [Fact]
    public void Text_longer_than_the_limit_is_refused()
    {
        var text = "value > " + new string('1', 4100);
        var error = Assert.Throws<ExpressionException>(() => ExpressionCompiler.Parse(text));
        Assert.Equal($"expression is too long ({text.Length} characters; the limit is 4096)", error.Reason);
        Assert.Equal(4097, error.Column);
    }

    [Fact]
    public void The_length_limit_is_configurable()
    {
        Assert.Throws<ExpressionException>(() => ExpressionCompiler.Parse("value > 1", new ExpressionOptions { MaxLength = 5 }));
        Assert.NotNull(ExpressionCompiler.Parse("value > 1", new ExpressionOptions { MaxLength = 9 }));
    }

    [Fact]
    public void Deep_parentheses_are_refused_at_the_level_that_exceeds_the_limit()
    {
        var text = new string('(', 100) + "1" + new string(')', 100);
        var error = Assert.Throws<ExpressionException>(() => ExpressionCompiler.Parse(text));
        Assert.Equal("expression is nested too deeply (the limit is 64 levels)", error.Reason);
        Assert.Equal(65, error.Column); // the whole expression is level 1, so the 64th '(' opens level 65; the error is at the token after it
    }

    [Theory]
    [InlineData(2000, "- ")]      // prefix chains
    [InlineData(1000, "not ")]
    [InlineData(800, "abs(")]    // nested calls
    public void Deep_prefix_and_call_chains_are_refused(int count, string prefix)
    {
        var text = string.Concat(Enumerable.Repeat(prefix, count)) + "1" + (prefix == "abs(" ? new string(')', count) : "");
        var error = Assert.Throws<ExpressionException>(() => ExpressionCompiler.Parse(text));
        Assert.StartsWith("expression is nested too deeply", error.Reason);
    }

    [Fact]
    public void Long_flat_operator_chains_count_as_depth()
    {
        var ok = string.Join(" + ", Enumerable.Repeat("1", 64));      // 63 operators: depth 64
        Assert.Equal(64, Telemetry.Number(ok));
        var tooDeep = string.Join(" + ", Enumerable.Repeat("1", 66));
        Assert.StartsWith("expression is nested too deeply", Assert.Throws<ExpressionException>(() => ExpressionCompiler.Parse(tooDeep)).Reason);
    }

    [Fact]
    public void A_higher_depth_limit_admits_deeper_expressions()
    {
        var text = new string('(', 100) + "1" + new string(')', 100);
        var options = new ExpressionOptions { MaxDepth = 200 };
        Assert.Equal(1, ExpressionCompiler.CompileNumber(ExpressionCompiler.Parse(text, options), Telemetry.Scope())(Telemetry.Sample()));
    }
}
