using System.Collections.Immutable;

namespace Millrace.Hub.Processing.Rules;

/// <summary>One state of an asset state machine.</summary>
/// <param name="Name">State name (running, idle, down, …).</param>
/// <param name="Reason">Downtime reason when the state counts as downtime (breakdown, changeover, …), else null.</param>
/// <param name="Planned">Whether downtime in this state is planned.</param>
/// <param name="When">For derived states: the condition over signals; null for states read from a state signal.</param>
public sealed record MachineState(string Name, string? Reason, bool Planned, RuleExpression? When);

/// <summary>Downtime started/ended hold-off.</summary>
/// <param name="MinDurationMs">Downtime shorter than this is ignored (no started/ended pair).</param>
public sealed record StateMachineParameters(long MinDurationMs);

/// <summary>
/// <c>kind: state-machine</c>: the asset's state comes from a state signal (each named state may carry a downtime
/// reason) or from conditions evaluated in order (first true wins, else <see cref="DefaultState"/>). Entering a
/// downtime state emits downtime-started; leaving it emits downtime-ended with the duration.
/// </summary>
public sealed record StateMachineRuleDefinition : RuleDefinition
{
    /// <inheritdoc />
    public override RuleKind Kind => RuleKind.StateMachine;

    /// <summary>The state signal, or null when states are derived from conditions.</summary>
    public string? Signal { get; init; }

    /// <summary>The states with their reasons (and conditions when derived).</summary>
    public required ImmutableArray<MachineState> States { get; init; }

    /// <summary>For derived states: the state when no condition holds.</summary>
    public string DefaultState { get; init; } = "running";

    /// <summary>Hold-off.</summary>
    public required StateMachineParameters Parameters { get; init; }

    /// <summary>CloudEvents type of the downtime-ended fact (<see cref="RuleDefinition.EventType"/> is downtime-started).</summary>
    public required string EndedEventType { get; init; }

    /// <summary>Optional CloudEvents type emitted on every state change (<c>asset.state.changed</c>).</summary>
    public string? StateChangedEventType { get; init; }
}
