namespace Millrace.Hub.Processing.Rules;

/// <summary>The shape of the data a threshold or rate-of-change rule emits.</summary>
public enum EpisodePayload
{
    /// <summary><c>maintenance.alert.raised</c>: alertId, asset, rule, signal, value (peak), unit, threshold, severity, raisedAt.</summary>
    Alert,
    /// <summary><c>coldchain.excursion.detected</c>: excursionId, sensor, storageLocation, temperature (peak), allowedMin/Max, startedAt, durationSeconds, lots.</summary>
    Excursion,
    /// <summary>
    /// <c>quality.exception.raised</c>: exceptionId, asset, characteristic (the signal), measured (peak), unit,
    /// lowerLimit/upperLimit (the rule's limits), severity, raisedAt, and the order, material and lot produced then.
    /// </summary>
    QualityException,
}

/// <summary>
/// Limits of a threshold episode. An episode starts when the value goes above <see cref="Above"/> (or below
/// <see cref="Below"/>), is raised once it lasted <see cref="Consecutive"/> samples and <see cref="MinDurationMs"/>,
/// and ends when the value is back beyond the clear limit (hysteresis).
/// </summary>
/// <param name="Above">High limit, or null.</param>
/// <param name="Below">Low limit, or null.</param>
/// <param name="ClearBelow">An episode over <see cref="Above"/> ends below this (≤ Above).</param>
/// <param name="ClearAbove">An episode under <see cref="Below"/> ends above this (≥ Below).</param>
/// <param name="Consecutive">Samples beyond the limit needed to raise.</param>
/// <param name="MinDurationMs">Event time beyond the limit needed to raise.</param>
public sealed record ThresholdParameters(double? Above, double? Below, double ClearBelow, double ClearAbove, int Consecutive, long MinDurationMs);

/// <summary><c>kind: threshold</c>.</summary>
public sealed record ThresholdRuleDefinition : RuleDefinition
{
    /// <inheritdoc />
    public override RuleKind Kind => RuleKind.Threshold;

    /// <summary>The signal watched.</summary>
    public required string Signal { get; init; }

    /// <summary>Limits (per-asset overrides replace them).</summary>
    public required ThresholdParameters Parameters { get; init; }

    /// <summary>
    /// When set, the limits are the storage location's temperature range (cold chain), widened inwards by this
    /// hysteresis margin for clearing; <see cref="Parameters"/> then only supply the count and duration.
    /// </summary>
    public double? StorageLimitsHysteresis { get; init; }

    /// <summary>Optional CloudEvents type emitted when a raised episode ends (carries the final peak and duration).</summary>
    public string? ClearedEventType { get; init; }

    /// <summary>The data shape of the emitted events.</summary>
    public EpisodePayload Payload { get; init; } = EpisodePayload.Alert;

    /// <summary>Alert severity (alert payload).</summary>
    public string Severity { get; init; } = "high";
}

/// <summary>
/// <c>kind: rate-of-change</c>: the slope of a signal, (newest − oldest) / elapsed over the last <see cref="SpanMs"/>,
/// expressed per <see cref="PerMs"/>, is run through the same episode logic as a threshold.
/// </summary>
public sealed record RateOfChangeRuleDefinition : RuleDefinition
{
    /// <inheritdoc />
    public override RuleKind Kind => RuleKind.RateOfChange;

    /// <summary>The signal watched.</summary>
    public required string Signal { get; init; }

    /// <summary>Limits on the rate.</summary>
    public required ThresholdParameters Parameters { get; init; }

    /// <summary>The time unit of the rate (a rate "per minute" has 60000).</summary>
    public required long PerMs { get; init; }

    /// <summary>The span the slope is measured over.</summary>
    public required long SpanMs { get; init; }

    /// <summary>Alert severity.</summary>
    public string Severity { get; init; } = "medium";
}
