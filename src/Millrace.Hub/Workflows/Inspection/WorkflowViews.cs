using System.Text.Json;
using Millrace.Hub.Workflows.Engine;
using Millrace.Hub.Workflows.Store;

namespace Millrace.Hub.Workflows.Inspection;

/// <summary>One instance in a list.</summary>
public sealed record InstanceSummary(string Id, string Workflow, int Version, string Revision, string Key, string Status,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string? Error, string? TraceId, IReadOnlyList<string> Current);

/// <summary>A list of instances plus counts by status over all instances.</summary>
public sealed record InstanceList(IReadOnlyList<InstanceSummary> Items, IReadOnlyDictionary<string, long> Counts);

/// <summary>A step's current record.</summary>
public sealed record StepView(string Step, string Kind, string Status, int Iteration, int Attempts, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt,
    double? DurationMs, string? Branch, string? DocumentId, string? Reason, string? WaitKey, DateTimeOffset? Deadline, JsonElement? Output);

/// <summary>One row of step history.</summary>
public sealed record HistoryView(string Step, string Kind, int Iteration, int Attempts, DateTimeOffset? StartedAt, DateTimeOffset FinishedAt,
    double? DurationMs, string Outcome, string? DocumentId, string? Request, string? Response, string? Reason, bool Compensation);

/// <summary>An instance with its steps and history.</summary>
public sealed record InstanceDetail(InstanceSummary Instance, JsonElement Event, IReadOnlyList<StepView> Steps, IReadOnlyList<HistoryView> History);

/// <summary>Body of approve / reject / resume / cancel.</summary>
public sealed record DecisionRequest(string? By, string? Comment, string? Step);

/// <summary>Answer to an operator command.</summary>
public sealed record CommandResponse(string Id, bool Ok, string? Status, string Message);

/// <summary>Builds the views from stored rows.</summary>
public static class WorkflowViews
{
    /// <summary>Summary of a stored instance.</summary>
    public static InstanceSummary Summary(InstanceRow row, InstanceState? state = null)
    {
        state ??= JsonSerializer.Deserialize(row.State, WorkflowJsonContext.Default.InstanceState) ?? new InstanceState();
        var current = state.Steps.Where(s => s.Value.Status is StepStatus.Running or StepStatus.Waiting or StepStatus.Failed).Select(s => s.Key).ToList();
        string? trace = row.TraceParent is { Length: >= 35 } tp ? tp.Substring(3, 32) : null;
        return new InstanceSummary(row.Id, row.Workflow, row.Version, row.Revision, row.Key, row.Status.ToString().ToLowerInvariant(),
            row.CreatedAt, row.UpdatedAt, row.Error, trace, current);
    }

    /// <summary>Detail of a stored instance.</summary>
    public static InstanceDetail Detail(InstanceRow row, IReadOnlyList<StepHistoryRow> history, Func<string, string?> kindOf)
    {
        var state = JsonSerializer.Deserialize(row.State, WorkflowJsonContext.Default.InstanceState) ?? new InstanceState();
        using var doc = JsonDocument.Parse(row.Event);
        var steps = state.Steps.Select(s => new StepView(s.Key, kindOf(s.Key) ?? "step", s.Value.Status.ToString().ToLowerInvariant(), s.Value.Iteration,
            s.Value.Attempts, s.Value.StartedAt, s.Value.FinishedAt, Ms(s.Value.StartedAt, s.Value.FinishedAt), s.Value.Branch, s.Value.DocumentId,
            s.Value.Reason, s.Value.WaitKey, s.Value.Deadline, s.Value.Output)).ToList();
        var rows = history.Select(h => new HistoryView(h.Step, h.Kind, h.Iteration, h.Attempts, h.StartedAt, h.FinishedAt, Ms(h.StartedAt, h.FinishedAt),
            h.Outcome, h.DocumentId, h.Request, h.Response, h.Reason, h.Compensation)).ToList();
        return new InstanceDetail(Summary(row, state), doc.RootElement.Clone(), steps, rows);
    }

    private static double? Ms(DateTimeOffset? from, DateTimeOffset? to) => from is { } f && to is { } t ? (t - f).TotalMilliseconds : null;
}
