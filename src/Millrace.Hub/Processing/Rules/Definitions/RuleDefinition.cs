using System.Collections.Immutable;
using Millrace.Core.Config;

namespace Millrace.Hub.Processing.Rules;

/// <summary>The kinds of rule the engine runs.</summary>
public enum RuleKind
{
    /// <summary>A value beyond a limit, with hysteresis and a minimum duration or sample count: one fact per episode.</summary>
    Threshold,
    /// <summary>The slope of a signal over a span beyond a limit: one fact per episode.</summary>
    RateOfChange,
    /// <summary>Cumulative good/scrap counters turned into produced quantities per production order.</summary>
    CounterQuantity,
    /// <summary>Running/idle/down from a state signal or from conditions: downtime started and ended.</summary>
    StateMachine,
    /// <summary>Tumbling, sliding or count windows of one signal with aggregates.</summary>
    Window,
}

/// <summary>
/// A rule as declared under <c>rules:</c>: it applies to every asset of its classes, except where an override turns
/// it off or changes its parameters for one asset.
/// </summary>
public abstract record RuleDefinition
{
    /// <summary>Rule id, unique in the configuration; part of every fact key the rule produces.</summary>
    public required string Id { get; init; }

    /// <summary>The asset classes the rule applies to.</summary>
    public required ImmutableArray<string> Classes { get; init; }

    /// <summary>The CloudEvents type of the main fact the rule emits.</summary>
    public required string EventType { get; init; }

    /// <summary>Optional condition gating the samples the rule considers (expression over the sample and signals).</summary>
    public RuleExpression? When { get; init; }

    /// <summary>Per-asset switches, by full asset id.</summary>
    public ImmutableDictionary<string, RuleOverride> Overrides { get; init; } = ImmutableDictionary<string, RuleOverride>.Empty;

    /// <summary>Where the rule is declared.</summary>
    public required SourceLocation Location { get; init; }

    /// <summary>The kind of rule.</summary>
    public abstract RuleKind Kind { get; }
}

/// <summary>An expression taken from the configuration, with the position of its text for error messages.</summary>
/// <param name="Text">The expression.</param>
/// <param name="Node">The YAML scalar it came from (maps an expression column back to file:line:col).</param>
public sealed record RuleExpression(string Text, ConfigScalar Node);

/// <summary>
/// One asset's deviation from a rule: disabled, or parameters replaced. The parameter record has the same type as the
/// rule's own (<see cref="ThresholdParameters"/>, <see cref="CounterParameters"/>, …).
/// </summary>
/// <param name="AssetId">Full asset id.</param>
/// <param name="Enabled">False turns the rule off for the asset.</param>
/// <param name="Parameters">The asset's parameters, or null to keep the rule's.</param>
/// <param name="Location">Where the override is declared.</param>
public sealed record RuleOverride(string AssetId, bool Enabled, object? Parameters, SourceLocation Location);

/// <summary>Engine-wide settings: <c>rule-settings:</c> (lateness, reorder capacity, message-id memory).</summary>
/// <param name="AllowedLatenessMs">How far behind an asset's newest event time a sample may arrive and still count.</param>
/// <param name="ReorderCapacity">Samples held per asset while waiting for the watermark (bounded memory).</param>
/// <param name="MessageIdMemory">Recent message ids remembered per shard for de-duplication.</param>
public sealed record RuleSettings(long AllowedLatenessMs = 0, int ReorderCapacity = 32, int MessageIdMemory = 65536)
{
    /// <summary>The defaults.</summary>
    public static RuleSettings Default { get; } = new();
}

/// <summary>The validated rules of a configuration, published by the <c>rules:</c> section.</summary>
/// <param name="Rules">Rules in declaration order.</param>
/// <param name="Settings">Engine settings.</param>
public sealed record RuleBook(ImmutableArray<RuleDefinition> Rules, RuleSettings Settings)
{
    /// <summary>No rules.</summary>
    public static RuleBook Empty { get; } = new([], RuleSettings.Default);
}
