using Millrace.Core.Expressions;

namespace Millrace.Core.Tests.Expressions;

/// <summary>The precedence and associativity table of docs/expressions.md, row by row.</summary>
public class PrecedenceSpecs
{
    [Theory]
    [InlineData("1 + 2 * 3", 7)]                // * over +
    [InlineData("(1 + 2) * 3", 9)]              // parentheses
    [InlineData("10 - 4 - 3", 3)]               // - is left-associative
    [InlineData("100 / 10 / 5", 2)]             // / is left-associative
    [InlineData("2 * 3 % 4", 2)]                // * and % share a level, left to right
    [InlineData("7 % 4 * 2", 6)]
    [InlineData("1 - 2 + 3", 2)]                // + and - share a level, left to right
    [InlineData("-2 * 3", -6)]                  // unary minus over *
    [InlineData("-(2 + 3)", -5)]
    [InlineData("- -4", 4)]
    [InlineData("2 * -3", -6)]
    [InlineData("3 - -3", 6)]
    [InlineData("true ? 1 : 0 + 5", 1)]         // ?: is lowest
    [InlineData("false ? 1 : true ? 2 : 3", 2)] // ?: is right-associative
    [InlineData("1 < 2 ? 10 : 20", 10)]
    public void Arithmetic_and_conditional_follow_the_table(string text, double expected) =>
        Assert.Equal(expected, Telemetry.Number(text));

    [Theory]
    [InlineData("1 + 2 > 2", true)]                    // arithmetic over comparison
    [InlineData("1 < 2 == true", true)]                // relational over equality
    [InlineData("true == 1 < 2", true)]
    [InlineData("1 + 1 in [2, 3]", true)]              // arithmetic over in
    [InlineData("1 in [1] == true", true)]             // in over equality
    [InlineData("not 1 > 2", true)]                    // not is below comparisons: not (1 > 2)
    [InlineData("not true == false", true)]            // not (true == false)
    [InlineData("not false and false", false)]         // not over and: (not false) and false
    [InlineData("true or false and false", true)]      // and over or
    [InlineData("(true or false) and false", false)]
    [InlineData("false and true or true", true)]
    [InlineData("true || false && false", true)]       // symbol spellings share the levels
    [InlineData("!false && !false", true)]
    [InlineData("1 == 1 and 2 == 2", true)]
    [InlineData("true == !false", true)]               // '!' in operand position binds tightly
    [InlineData("2 not in [1, 3] and 1 in [1]", true)]
    public void Logic_and_comparison_follow_the_table(string text, bool expected) =>
        Assert.Equal(expected, Telemetry.Condition(text));
}
