using System.Collections.Immutable;

namespace Millrace.Hub.Processing.Rules;

/// <summary>An aggregate a window computes.</summary>
public enum WindowAggregate
{
    /// <summary>Number of samples.</summary>
    Count,
    /// <summary>Sum of values.</summary>
    Sum,
    /// <summary>Smallest value.</summary>
    Min,
    /// <summary>Largest value.</summary>
    Max,
    /// <summary>Mean value.</summary>
    Avg,
    /// <summary>Earliest value (event time).</summary>
    First,
    /// <summary>Latest value (event time).</summary>
    Last,
    /// <summary>Increase of a cumulative counter across the window, resets and rollovers handled.</summary>
    Delta,
    /// <summary>A percentile (see <see cref="WindowRuleDefinition.Percentiles"/>).</summary>
    Percentile,
}

/// <summary>Size and closing of a window; per-asset overrides may replace it.</summary>
/// <param name="SizeMs">Event-time length (tumbling, or sliding window length); 0 for count windows.</param>
/// <param name="SlideMs">Sliding step; equal to <paramref name="SizeMs"/> for tumbling windows.</param>
/// <param name="Count">Close after this many samples of the asset (count windows); 0 otherwise.</param>
public sealed record WindowParameters(long SizeMs, long SlideMs, int Count);

/// <summary>
/// <c>kind: window</c>: per asset, samples of one signal grouped in tumbling or sliding event-time windows or in
/// count windows, optionally closed early by a condition, and emitted with the requested aggregates once the
/// watermark passes the window's end.
/// </summary>
public sealed record WindowRuleDefinition : RuleDefinition
{
    /// <inheritdoc />
    public override RuleKind Kind => RuleKind.Window;

    /// <summary>The signal aggregated.</summary>
    public required string Signal { get; init; }

    /// <summary>Size and slide.</summary>
    public required WindowParameters Parameters { get; init; }

    /// <summary>The aggregates reported (percentiles listed separately).</summary>
    public required ImmutableArray<WindowAggregate> Aggregates { get; init; }

    /// <summary>Percentiles reported, 0..100 (e.g. 50, 95, 99).</summary>
    public ImmutableArray<double> Percentiles { get; init; } = [];

    /// <summary>Values kept per window for percentiles; beyond it a deterministic reservoir sample is kept.</summary>
    public int PercentileCapacity { get; init; } = 256;

    /// <summary>Optional condition that closes the window after the sample that makes it true (e.g. end of batch).</summary>
    public RuleExpression? CloseWhen { get; init; }
}
