using Millrace.Core.Expressions;

namespace Millrace.Core.Tests.Expressions;

/// <summary>Syntax errors name what was expected and point at the exact column (1-based) and length.</summary>
public class SyntaxErrorSpecs
{
    [Theory]
    [InlineData("(value > 1", 11, 0, "expected ')', found end of expression")]
    [InlineData("round(value, 2", 15, 0, "expected ',' or ')', found end of expression")]
    [InlineData("abs(value))", 11, 1, "expected an operator or the end of the expression, found ')'")]
    [InlineData("value > ", 9, 0, "expected a value, found end of expression")]
    [InlineData("value > 7.1 quality == 0", 13, 7, "expected an operator or the end of the expression, found 'quality'")]
    [InlineData("value = 1", 7, 1, "unexpected character '=' (use '==' to compare)")]
    [InlineData("a & b", 3, 1, "unexpected character '&' (use 'and' or '&&')")]
    [InlineData("a | b", 3, 1, "unexpected character '|' (use 'or' or '||')")]
    [InlineData("value @ 1", 7, 1, "unexpected character '@'")]
    [InlineData("status == 'good", 11, 5, "unterminated string (missing closing '\\'')")]
    [InlineData("'a\\qb'", 3, 2, "unknown escape '\\q' in string (use \\\\, \\', \\\", \\n, \\r, \\t, \\0 or \\uXXXX)")]
    [InlineData("'\\u12'", 2, 5, "invalid escape: '\\u' needs four hex digits")]
    [InlineData("5x", 2, 1, "invalid number '5x': 'x' is not a duration unit (use ms, s, m, h or d)")]
    [InlineData("window > 5min", 11, 3, "invalid number '5min': 'min' is not a duration unit (use ms, s, m, h or d)")]
    [InlineData("1h30", 1, 4, "invalid duration '1h30': every part needs a unit (ms, s, m, h or d)")]
    [InlineData("1e999", 1, 5, "number '1e999' is out of range")]
    [InlineData("value in 1", 10, 1, "expected '[' to start the list after 'in', found '1'")]
    [InlineData("value in [1, 2", 15, 0, "expected ',' or ']', found end of expression")]
    [InlineData("[1, 2]", 1, 1, "a list is only allowed after 'in', as in x in [1, 2]")]
    [InlineData("abs(1,)", 7, 1, "expected a value, found ')'")]
    [InlineData("data.", 6, 0, "expected a field name after '.', found end of expression")]
    [InlineData("data.order(1)", 11, 1, "only the built-in functions can be called (methods and computed callees are not allowed)")]
    [InlineData("true ? 1", 9, 0, "expected ':' of the conditional '? :', found end of expression")]
    [InlineData("value >", 8, 0, "expected a value, found end of expression")]
    [InlineData("", 1, 0, "expression is empty")]
    [InlineData("   ", 1, 3, "expression is empty")]
    public void Syntax_errors_point_at_the_column(string text, int column, int length, string reason)
    {
        var error = Assert.Throws<ExpressionException>(() => ExpressionCompiler.Parse(text));
        Assert.Equal(reason, error.Reason);
        Assert.Equal(column, error.Column);
        Assert.Equal(length, error.Length);
        Assert.Equal($"{reason} at column {column}", error.Message);
    }

    [Fact]
    public void A_line_break_counts_as_one_column()
    {
        var error = Assert.Throws<ExpressionException>(() => ExpressionCompiler.Parse("value > 1 and\n  (quality"));
        Assert.Equal(25, error.Column); // "value > 1 and" is 13, the line break 14, "  (quality" 15-24
    }

    [Fact]
    public void Word_keywords_may_name_json_members_after_a_dot()
    {
        var parsed = ExpressionCompiler.Parse("data.in == data.not");
        Assert.Equal("data.in == data.not", parsed.Text);
    }
}
