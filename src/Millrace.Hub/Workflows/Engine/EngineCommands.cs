using Millrace.Hub.Workflows.Store;

namespace Millrace.Hub.Workflows.Engine;

/// <summary>Something the engine's loop applies to its instances.</summary>
internal abstract record EngineCommand;

/// <summary>A business event: may start instances and advance waits. Completes once that is durable.</summary>
internal sealed record EventCommand(WorkflowEvent Event, TaskCompletionSource<int> Done, string? OnlyWorkflow = null) : EngineCommand;

/// <summary>A command's result came back from its connector.</summary>
internal sealed record CallCompleted(OutboxRow Row, CallOutcome Outcome) : EngineCommand;

/// <summary>A person's action on an instance: approve, reject, resume, cancel.</summary>
internal sealed record OperatorCommand(string Action, string InstanceId, string? By, string? Comment, string? Step, TaskCompletionSource<OperatorResult> Done) : EngineCommand;

/// <summary>A timer may be due.</summary>
internal sealed record TickCommand : EngineCommand
{
    public static readonly TickCommand Instance = new();
}

/// <summary>What an operator command did.</summary>
/// <param name="Ok">Whether it was applied.</param>
/// <param name="Status">The instance's status after it (or null when not found).</param>
/// <param name="Message">What happened, or why not.</param>
/// <param name="NotFound">True when no such instance exists.</param>
public sealed record OperatorResult(bool Ok, string? Status, string Message, bool NotFound = false);
