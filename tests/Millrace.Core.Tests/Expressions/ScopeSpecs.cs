using System.Linq.Expressions;
using Millrace.Core.Expressions;

namespace Millrace.Core.Tests.Expressions;

/// <summary>How callers declare fields: lambdas, expression builders, constants, dotted names, CLR type mapping.</summary>
public class ScopeSpecs
{
    public enum Quality { Good = 0, Uncertain = 64, Bad = 192 }

    public sealed class Reading
    {
        public decimal Amount { get; init; }
        public float Ratio { get; init; }
        public Quality Quality { get; init; }
        public bool? Flag { get; init; }
        public TimeSpan? Age { get; init; }
        public DateTimeOffset? Seen { get; init; }
        public double[] Values { get; init; } = [];
    }

    private static ExpressionScope<Reading> Scope() => ExpressionScope.For<Reading>()
        .Field("amount", r => r.Amount)
        .Field("ratio", r => r.Ratio)
        .Field("quality", r => r.Quality)
        .Field("flag", r => r.Flag)
        .Field("age", r => r.Age)
        .Field("seen", r => r.Seen)
        .Field("signal.spindle-temp", ctx => Expression.ArrayIndex(Expression.Property(ctx, nameof(Reading.Values)), Expression.Constant(0)))
        .Constant("asset.limit", 40.0)
        .Constant("asset.line", "line-2");

    private static readonly Reading Sample = new()
    {
        Amount = 12.5m, Ratio = 0.5f, Quality = Quality.Bad, Flag = null, Age = null, Seen = null, Values = [42],
    };

    [Theory]
    [InlineData("amount * 2 == 25")]                               // decimal -> number
    [InlineData("ratio == 0.5")]                                   // float -> number
    [InlineData("quality == 192")]                                 // enum -> its number
    [InlineData("not flag")]                                       // bool? null reads false
    [InlineData("age == null and seen == null")]                   // nullable durations and timestamps read null as missing
    [InlineData("signal['spindle-temp'] > asset.limit")]           // a literal index is a path segment
    [InlineData("asset.line == 'line-2'")]
    public void Clr_types_map_to_language_types(string text) =>
        Assert.True(ExpressionCompiler.CompilePredicate(text, Scope())(Sample));

    [Theory]
    [InlineData("quality == 'bad'", true)]
    [InlineData("'Bad' == quality", true)]                         // names match regardless of case
    [InlineData("quality != 'good'", true)]
    [InlineData("quality in ['good', 'uncertain']", false)]
    [InlineData("quality not in ['good', 'uncertain']", true)]
    [InlineData("quality == 192", true)]                           // the number still works
    public void String_literals_name_enum_members(string text, bool expected) =>
        Assert.Equal(expected, ExpressionCompiler.CompilePredicate(text, Scope())(Sample));

    [Fact]
    public void An_unknown_enum_member_is_a_compile_error_listing_the_members()
    {
        var error = Assert.Throws<ExpressionException>(() => ExpressionCompiler.CompilePredicate("quality == 'godo'", Scope()));
        Assert.Equal("'godo' is not a Quality (expected one of: good, uncertain, bad)", error.Reason);
        Assert.Equal(12, error.Column);
        Assert.Equal(6, error.Length);
    }

    [Fact]
    public void Unix_millisecond_timestamps_convert_without_throwing()
    {
        Assert.Equal(DateTimeOffset.UnixEpoch.AddMilliseconds(1500), ExpressionScope.FromUnixMilliseconds(1500));
        Assert.Null(ExpressionScope.FromUnixMilliseconds(long.MaxValue));
        Assert.Null(ExpressionScope.FromUnixMilliseconds(long.MinValue));
    }

    [Fact]
    public void Declared_fields_report_their_types()
    {
        var types = Scope().Fields.ToDictionary(f => f.Name, f => f.Type);
        Assert.Equal(ExpressionValueType.Number, types["quality"]);
        Assert.Equal(ExpressionValueType.Boolean, types["flag"]);
        Assert.Equal(ExpressionValueType.Duration, types["age"]);
        Assert.Equal(ExpressionValueType.Timestamp, types["seen"]);
        Assert.Equal(ExpressionValueType.String, types["asset.line"]);
    }

    [Fact]
    public void One_parse_compiles_against_several_scopes()
    {
        var parsed = ExpressionCompiler.Parse("quality == 0 or value > 1");
        var telemetry = ExpressionCompiler.CompilePredicate(parsed, Telemetry.Scope());
        Assert.True(telemetry(Telemetry.Sample()));
        var error = Assert.Throws<ExpressionException>(() => ExpressionCompiler.CompilePredicate(parsed, Scope()));
        Assert.Equal("unknown field 'value'", error.Reason);
        Assert.Equal(17, error.Column);
    }
}
