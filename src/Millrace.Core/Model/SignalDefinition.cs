using System.Collections.Immutable;
using Millrace.Core.Units;

namespace Millrace.Core.Model;

/// <summary>
/// A signal an asset reports: its name (unique per asset), kind, unit and optional plausible range.
/// Gauges and counters have a unit (counters default to <c>count</c>); state signals have none but may list the
/// states they can take.
/// </summary>
/// <param name="Name">Local name, e.g. <c>spindle-vibration</c>; same syntax as a local id.</param>
/// <param name="Kind">Gauge, counter or state.</param>
/// <param name="Unit">The unit values arrive in; null for state signals.</param>
public sealed record SignalDefinition(string Name, SignalKind Kind, Unit? Unit)
{
    /// <summary>Plausible engineering range, if declared.</summary>
    public ValueRange? Range { get; init; }

    /// <summary>Free text for people.</summary>
    public string? Description { get; init; }

    /// <summary>For state signals: the allowed states (empty means any).</summary>
    public ImmutableArray<string> States { get; init; } = [];
}
