using System.Linq.Expressions;
using Millrace.Core.Expressions;
using Millrace.Hub.Processing.Telemetry;

namespace Millrace.Hub.Processing.Rules;

/// <summary>
/// What a rule expression reads: the sample being processed and the asset's latest value of every signal. A struct
/// passed by value into compiled delegates, so evaluating a condition allocates nothing.
/// </summary>
public readonly struct RuleSampleContext
{
    /// <summary>The sample's value.</summary>
    public readonly double Value;

    /// <summary>The sample's event time (Unix ms).</summary>
    public readonly long TimestampMs;

    /// <summary>The sample's quality.</summary>
    public readonly SampleQuality Quality;

    /// <summary>Latest value per (asset, signal) index of the shard (NaN until seen).</summary>
    public readonly double[] Values;

    /// <summary>Index of the asset's first signal in <see cref="Values"/>.</summary>
    public readonly int Base;

    /// <summary>Creates a context.</summary>
    public RuleSampleContext(double value, long timestampMs, SampleQuality quality, double[] values, int @base)
    {
        Value = value;
        TimestampMs = timestampMs;
        Quality = quality;
        Values = values;
        Base = @base;
    }
}

/// <summary>Builds the expression scope of rule conditions for one signal layout.</summary>
public static class RuleScope
{
    /// <summary>
    /// The fields: <c>value</c>, <c>quality</c> (enum: <c>quality == 'good'</c>), <c>ts</c> (timestamp) and
    /// <c>signal.&lt;name&gt;</c> for every signal of the asset, read from the asset's latest values by offset.
    /// </summary>
    /// <param name="signals">The asset's signal names in their order (offset = position).</param>
    public static ExpressionScope<RuleSampleContext> For(IReadOnlyList<string> signals)
    {
        var scope = ExpressionScope.For<RuleSampleContext>()
            .Field("value", c => c.Value)
            .Field("quality", c => c.Quality)
            .Field("ts", c => ExpressionScope.FromUnixMilliseconds(c.TimestampMs));
        for (int i = 0; i < signals.Count; i++)
        {
            int offset = i;
            scope.Field("signal." + signals[i], ctx => Expression.ArrayIndex(
                Expression.Field(ctx, nameof(RuleSampleContext.Values)),
                Expression.Add(Expression.Field(ctx, nameof(RuleSampleContext.Base)), Expression.Constant(offset))));
        }
        return scope;
    }
}
