using System.Text;
using Millrace.Schema.Internal;

namespace Millrace.Schema.Tests.Specs;

/// <summary>The byte-level matcher for simple anchored patterns must agree with the regex engine.</summary>
public sealed class SimplePatternSpecs
{
    [Theory]
    [InlineData("^[0-9]{10}$", new[] { "1000004711", "100000471", "10000047110", "100000471a", "", "１０００００４７１１" })]
    [InlineData("^[A-Z0-9]{4}$", new[] { "DE01", "de01", "DE0", "DE011", "DÉ01" })]
    [InlineData("^[A-Z]{2}-\\d+$", new[] { "AB-1", "AB-", "AB-12x", "A-12" })]
    [InlineData("^a*$", new[] { "", "aaa", "aab" })]
    [InlineData("^xy{1,3}$", new[] { "y", "xy", "xyyy", "xyyyy", "x" })]
    [InlineData("^[-a]{2}$", new[] { "-a", "a-", "--", "ab" })]
    public void Agrees_with_the_regex_engine(string pattern, string[] inputs)
    {
        var simple = SimplePattern.TryCreate(pattern);
        Assert.NotNull(simple);
        var regex = EcmaRegex.Get(pattern);
        foreach (var input in inputs)
            Assert.Equal(regex.IsMatch(input), simple.IsMatch(Encoding.UTF8.GetBytes(input)));
    }

    [Theory]
    [InlineData("^[0-9]+[0-9]$")]
    [InlineData("[0-9]{4}")]
    [InlineData("^(ab)+$")]
    [InlineData("^[^0-9]+$")]
    [InlineData("^a.b$")]
    public void Leaves_patterns_that_need_backtracking_or_features_to_the_regex_engine(string pattern) =>
        Assert.Null(SimplePattern.TryCreate(pattern));
}
