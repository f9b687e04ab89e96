using Microsoft.Extensions.Logging;
using Millrace.Hub.Connectors;
using Millrace.Hub.DeadLetters;
using Millrace.Hub.Workflows.Definitions;
using Millrace.Hub.Workflows.Inspection;
using Millrace.Hub.Workflows.Store;

namespace Millrace.Hub.Workflows.Engine;

/// <summary>What a <see cref="WorkflowEngine"/> runs with.</summary>
public sealed class WorkflowEngineOptions
{
    /// <summary>The store (owned by the caller).</summary>
    public required SqliteWorkflowStore Store { get; init; }

    /// <summary>The definitions of the configuration (the current revision of each workflow).</summary>
    public required IReadOnlyList<WorkflowDefinition> Definitions { get; init; }

    /// <summary>Connectors by id.</summary>
    public required IReadOnlyDictionary<string, IConnector> Connectors { get; init; }

    /// <summary>Where a failed instance's dead letter goes (source <c>workflow:&lt;id&gt;</c>); null: none.</summary>
    public SqliteDeadLetterStore? DeadLetters { get; init; }

    /// <summary>Clock for timers, retries and timestamps.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Logger.</summary>
    public ILogger? Logger { get; init; }

    /// <summary>Meters; null: none.</summary>
    public WorkflowMetrics? Metrics { get; init; }

    /// <summary>Commands sent at the same time, over all connectors.</summary>
    public int MaxConcurrentCalls { get; init; } = 256;

    /// <summary>Most commands (events, results, decisions) applied per group commit.</summary>
    public int MaxBatch { get; init; } = 2048;
}
