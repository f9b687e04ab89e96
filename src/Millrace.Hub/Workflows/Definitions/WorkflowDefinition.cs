using System.Text.Json.Serialization;

namespace Millrace.Hub.Workflows.Definitions;

/// <summary>
/// One version of a workflow as declared in the <c>workflows:</c> section: what starts it and its steps. Plain data
/// (expressions kept as text) so the exact definition an instance started on can be stored and compiled again after
/// the configuration moved on (<see cref="Store.SqliteWorkflowStore"/> keeps every revision).
/// </summary>
/// <param name="Id">The workflow id (<c>predictive-maintenance</c>).</param>
/// <param name="Version">The declared version; an instance finishes on the version (and revision) it started with.</param>
/// <param name="Trigger">The business event type that starts an instance, with an optional condition.</param>
/// <param name="Steps">The steps, run in order.</param>
/// <param name="Description">What the workflow does, for people.</param>
public sealed record WorkflowDefinition(string Id, int Version, WorkflowTrigger Trigger, IReadOnlyList<WorkflowStep> Steps, string? Description = null)
{
    /// <summary>Every step of the definition, nested ones included, depth first.</summary>
    public IEnumerable<WorkflowStep> AllSteps() => Flatten(Steps);

    private static IEnumerable<WorkflowStep> Flatten(IEnumerable<WorkflowStep> steps)
    {
        foreach (var step in steps)
        {
            yield return step;
            foreach (var child in step.Children().SelectMany(Flatten)) yield return child;
        }
    }
}

/// <summary>What starts an instance: a business event of type <paramref name="Event"/> for which <paramref name="When"/> holds.</summary>
public sealed record WorkflowTrigger(string Event, string? When = null);

/// <summary>A step of a workflow. Step ids are unique across the whole definition (nested steps included).</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(CallStep), "call")]
[JsonDerivedType(typeof(WaitStep), "wait")]
[JsonDerivedType(typeof(IfStep), "if")]
[JsonDerivedType(typeof(ParallelStep), "parallel")]
[JsonDerivedType(typeof(ApprovalStep), "approval")]
public abstract record WorkflowStep(string Id)
{
    /// <summary>The step lists nested in this step (branches).</summary>
    public virtual IEnumerable<IReadOnlyList<WorkflowStep>> Children() => [];
}

/// <summary>Calls a connector operation through the outbox; may declare the call that undoes it.</summary>
/// <param name="Connector">Connector id (<c>erp</c>).</param>
/// <param name="Operation">Operation of that connector (<c>reserve-material</c>).</param>
/// <param name="Input">The operation's input, built from the event, earlier outputs and the instance.</param>
/// <param name="Retry">Attempts, backoff and the per-attempt timeout.</param>
/// <param name="Compensate">The call that undoes this one when a later step fails for good, or null.</param>
public sealed record CallStep(string Id, string Connector, string Operation, InputTemplate Input, RetrySettings Retry, CompensationCall? Compensate = null)
    : WorkflowStep(Id);

/// <summary>The compensating call of a <see cref="CallStep"/>; its input may read the step's own output.</summary>
public sealed record CompensationCall(string Connector, string Operation, InputTemplate Input);

/// <summary>Retry policy of a call: exponential backoff with jitter, at most <paramref name="MaxAttempts"/> attempts,
/// each bounded by <paramref name="TimeoutMs"/>; a target's Retry-After wins over the computed delay.</summary>
public sealed record RetrySettings(int MaxAttempts = 5, long BackoffMs = 500, long MaxBackoffMs = 30_000, long TimeoutMs = 30_000)
{
    /// <summary>The default policy.</summary>
    public static readonly RetrySettings Default = new();
}

/// <summary>Waits for a business event of type <paramref name="Event"/> whose <paramref name="Correlate"/> value
/// equals the instance's <paramref name="Key"/>; after <paramref name="TimeoutMs"/> runs <paramref name="OnTimeout"/>.</summary>
/// <param name="Key">Expression over the instance, evaluated when the wait starts (<c>event.data.asset</c>).</param>
/// <param name="Correlate">Expression over the awaited event (<c>event.data.asset</c>).</param>
public sealed record WaitStep(string Id, string Event, string Key, string Correlate, long? TimeoutMs, IReadOnlyList<WorkflowStep> OnTimeout) : WorkflowStep(Id)
{
    /// <inheritdoc />
    public override IEnumerable<IReadOnlyList<WorkflowStep>> Children() => [OnTimeout];
}

/// <summary>Runs <paramref name="Then"/> when the condition holds, else <paramref name="Else"/>.</summary>
public sealed record IfStep(string Id, string Condition, IReadOnlyList<WorkflowStep> Then, IReadOnlyList<WorkflowStep> Else) : WorkflowStep(Id)
{
    /// <inheritdoc />
    public override IEnumerable<IReadOnlyList<WorkflowStep>> Children() => [Then, Else];
}

/// <summary>Runs named branches at the same time; the step is done when every branch is (join).</summary>
public sealed record ParallelStep(string Id, IReadOnlyList<ParallelBranch> Branches) : WorkflowStep(Id)
{
    /// <inheritdoc />
    public override IEnumerable<IReadOnlyList<WorkflowStep>> Children() => Branches.Select(b => b.Steps);
}

/// <summary>One branch of a <see cref="ParallelStep"/>.</summary>
public sealed record ParallelBranch(string Name, IReadOnlyList<WorkflowStep> Steps);

/// <summary>A human decision: the instance waits until a person approves or rejects over the API. The output
/// (<c>decision</c>, <c>by</c>, <c>comment</c>, <c>at</c>) is what later steps branch on.</summary>
/// <param name="Prompt">Template shown to the approver.</param>
/// <param name="TimeoutMs">How long to wait, or null for as long as it takes.</param>
/// <param name="OnTimeout">The decision taken when the timeout passes: <c>approved</c> or <c>rejected</c>.</param>
public sealed record ApprovalStep(string Id, string Prompt, long? TimeoutMs = null, string OnTimeout = "rejected") : WorkflowStep(Id);
