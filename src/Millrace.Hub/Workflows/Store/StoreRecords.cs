using Millrace.Hub.Workflows.Engine;

namespace Millrace.Hub.Workflows.Store;

/// <summary>A command waiting in the outbox: written in the transaction that moved its step to running, deleted in
/// the transaction that records its result. A row still present after a restart is sent again with the same key.</summary>
public sealed record OutboxRow(
    string Key, string Instance, string Step, string Connector, string Operation, string Input, string? TraceParent, bool Compensation,
    DateTimeOffset CreatedAt);

/// <summary>One finished run of a step (a call with its attempts, a wait, a decision), for inspection and audit.</summary>
public sealed record StepHistoryRow(
    string Instance, string Step, string Kind, int Iteration, int Attempts, DateTimeOffset? StartedAt, DateTimeOffset FinishedAt,
    string Outcome, string? DocumentId, string? Request, string? Response, string? Reason, bool Compensation);

/// <summary>An instance row as stored.</summary>
public sealed record InstanceRow(
    string Id, string Workflow, int Version, string Revision, string Key, InstanceStatus Status, string Event, string? TraceParent,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string? Error, string State);

/// <summary>Everything one group commit writes.</summary>
public sealed class StoreBatch
{
    /// <summary>Instances to upsert (last state wins).</summary>
    public Dictionary<string, WorkflowInstance> Instances { get; } = new(StringComparer.Ordinal);

    /// <summary>New outbox rows.</summary>
    public List<OutboxRow> Outbox { get; } = [];

    /// <summary>Outbox keys whose result is recorded.</summary>
    public List<string> OutboxDone { get; } = [];

    /// <summary>History rows.</summary>
    public List<StepHistoryRow> History { get; } = [];

    /// <summary>Whether there is anything to write.</summary>
    public bool IsEmpty => Instances.Count == 0 && Outbox.Count == 0 && OutboxDone.Count == 0 && History.Count == 0;

    /// <summary>Clears the batch for reuse.</summary>
    public void Clear()
    {
        Instances.Clear();
        Outbox.Clear();
        OutboxDone.Clear();
        History.Clear();
    }
}
