namespace Millrace.Hub.Processing.Rules;

/// <summary>When a counter-to-quantity rule reports what was produced.</summary>
/// <param name="Every">Report once this many units (good + scrap) were counted for the order; 0 = not by count.</param>
/// <param name="WindowMs">Report what was counted in each event-time window of this length (aligned to the epoch); 0 = no window.</param>
/// <param name="Rollover">The counter wraps to 0 after Rollover − 1 (e.g. 65536 for a 16-bit PLC counter); 0 = never wraps.</param>
public sealed record CounterParameters(long Every, long WindowMs, double Rollover);

/// <summary>
/// <c>kind: counter-quantity</c>: cumulative good and scrap counters (which the device resets, or which wrap at
/// <see cref="CounterParameters.Rollover"/>) become deltas, attributed to the production order active on the asset's
/// line at each sample's event time, and reported as <c>production.completed</c> facts at order change, every N
/// units or per window.
/// </summary>
public sealed record CounterQuantityRuleDefinition : RuleDefinition
{
    /// <inheritdoc />
    public override RuleKind Kind => RuleKind.CounterQuantity;

    /// <summary>The good-count counter signal.</summary>
    public required string GoodSignal { get; init; }

    /// <summary>The scrap-count counter signal, if the class has one.</summary>
    public string? ScrapSignal { get; init; }

    /// <summary>Reporting cadence and counter width.</summary>
    public required CounterParameters Parameters { get; init; }

    /// <summary>The routing operation confirmed (four digits).</summary>
    public string Operation { get; init; } = "0010";

    /// <summary>Unit of the quantities when the order does not say.</summary>
    public string Unit { get; init; } = "pcs";
}
