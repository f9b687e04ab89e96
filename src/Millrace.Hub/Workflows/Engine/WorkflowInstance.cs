using System.Text.Json;
using System.Text.Json.Serialization;

namespace Millrace.Hub.Workflows.Engine;

/// <summary>Where an instance is in its life.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<InstanceStatus>))]
public enum InstanceStatus
{
    /// <summary>Steps are running or waiting (for a call, an event, a timer or a person).</summary>
    Running,

    /// <summary>A step failed for good; completed steps are being undone in reverse order.</summary>
    Compensating,

    /// <summary>Stopped on a failed step (after compensation); visible, dead-lettered, resumable or cancellable by a person.</summary>
    Failed,

    /// <summary>Every step is done.</summary>
    Completed,

    /// <summary>Stopped by a person.</summary>
    Cancelled,
}

/// <summary>Where a step is.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<StepStatus>))]
public enum StepStatus
{
    /// <summary>Not started (or reset by a resume).</summary>
    Pending,

    /// <summary>Its command is in the outbox or being sent.</summary>
    Running,

    /// <summary>Waiting for an event, a timeout or a person.</summary>
    Waiting,

    /// <summary>Done; its output is available to later steps.</summary>
    Succeeded,

    /// <summary>Failed for good (after its last attempt, or a permanent outcome).</summary>
    Failed,

    /// <summary>Done and later undone by its compensating call.</summary>
    Compensated,
}

/// <summary>The durable state of one step of an instance (part of <see cref="InstanceState"/>).</summary>
public sealed class StepRecord
{
    /// <summary>Status.</summary>
    public StepStatus Status { get; set; }

    /// <summary>How many times the step was started anew (a resume increments it, and with it the idempotency key).</summary>
    public int Iteration { get; set; }

    /// <summary>Attempts spent by the last run of a call.</summary>
    public int Attempts { get; set; }

    /// <summary>The step's output (call result, awaited event, decision, chosen branch).</summary>
    public JsonElement? Output { get; set; }

    /// <summary>When the step started.</summary>
    public DateTimeOffset? StartedAt { get; set; }

    /// <summary>When the step finished.</summary>
    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>The branch taken: <c>then</c>/<c>else</c> for an if, <c>event</c>/<c>timeout</c> for a wait.</summary>
    public string? Branch { get; set; }

    /// <summary>The correlation key a wait waits for.</summary>
    public string? WaitKey { get; set; }

    /// <summary>When a wait or approval times out.</summary>
    public DateTimeOffset? Deadline { get; set; }

    /// <summary>Idempotency key of the call's command (outbox row).</summary>
    public string? OutboxKey { get; set; }

    /// <summary>The target's document id.</summary>
    public string? DocumentId { get; set; }

    /// <summary>Why it failed; or the prompt of an approval.</summary>
    public string? Reason { get; set; }
}

/// <summary>The step records of an instance, plus the order in which calls completed (compensation runs it backwards).</summary>
public sealed class InstanceState
{
    /// <summary>Steps by id (absent: not reached).</summary>
    public Dictionary<string, StepRecord> Steps { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Call steps in completion order.</summary>
    public List<string> Completed { get; set; } = [];

    /// <summary>The step whose failure stopped the instance.</summary>
    public string? FailedStep { get; set; }

    /// <summary>Steps whose compensation is still to run, next first; null when not compensating.</summary>
    public List<string>? CompensationQueue { get; set; }
}

/// <summary>One running (or failed) instance held by the engine.</summary>
public sealed class WorkflowInstance
{
    /// <summary>Deterministic id (<see cref="WorkflowKeys.InstanceId"/>).</summary>
    public required string Id { get; init; }

    /// <summary>The workflow id.</summary>
    public required string Workflow { get; init; }

    /// <summary>The definition version it started on.</summary>
    public required int Version { get; init; }

    /// <summary>The definition revision (hash) it started on.</summary>
    public required string Revision { get; init; }

    /// <summary>The business key: the id of the trigger event.</summary>
    public required string Key { get; init; }

    /// <summary>The trigger event (id, type, source, time, subject, traceparent, data).</summary>
    public required JsonElement Event { get; init; }

    /// <summary>W3C traceparent of the trigger event, passed on to every call.</summary>
    public string? TraceParent { get; init; }

    /// <summary>Status.</summary>
    public InstanceStatus Status { get; set; }

    /// <summary>Created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Last change.</summary>
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Why it failed.</summary>
    public string? Error { get; set; }

    /// <summary>Step records.</summary>
    public InstanceState State { get; set; } = new();

    internal CompiledWorkflow Compiled { get; set; } = null!;

    internal WorkflowScopeContext Context { get; set; } = null!;

    /// <summary>The W3C trace id (from <see cref="TraceParent"/>).</summary>
    public string? TraceId => TraceParent is { Length: >= 35 } tp ? tp.Substring(3, 32) : null;

    internal StepRecord Step(string id)
    {
        if (!State.Steps.TryGetValue(id, out var record)) State.Steps[id] = record = new StepRecord();
        return record;
    }

    internal bool HasCallsInFlight => State.Steps.Values.Any(s => s.Status == StepStatus.Running);
}
