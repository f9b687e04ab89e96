using Millrace.Hub.Connectors;
using Millrace.Hub.Workflows.Definitions;

namespace Millrace.Hub.Hosting;

/// <summary>The workflows a hub runs (the <c>workflows:</c> section) and the connectors their steps call, by id.
/// The hub owns the connectors from start on and disposes them when it stops.</summary>
public sealed record HubWorkflows(IReadOnlyList<WorkflowDefinition> Definitions, IReadOnlyDictionary<string, IConnector> Connectors)
{
    /// <summary>What owns the connectors (a <c>ConnectorSet</c>); disposed by the hub instead of each connector when given.</summary>
    public IAsyncDisposable? Owner { get; init; }

    /// <summary>
    /// Creates the connectors when the hub starts, given the hub's meter scope (its telemetry instance), so their meters
    /// (<c>Millrace.Connectors</c>) show in the hub's <c>/metrics</c>: connectors built before the hub cannot know it.
    /// When set, it replaces <see cref="Connectors"/> and <see cref="Owner"/> with the set it returns.
    /// </summary>
    public Func<object, ConnectorSet>? CreateConnectors { get; init; }

    /// <summary>Commands sent at the same time, over all connectors.</summary>
    public int MaxConcurrentCalls { get; init; } = 256;
}
