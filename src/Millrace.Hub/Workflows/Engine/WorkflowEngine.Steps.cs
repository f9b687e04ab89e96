using System.Text;
using System.Text.Json;
using Millrace.Hub.Connectors;
using Millrace.Hub.Workflows.Definitions;
using Millrace.Hub.Workflows.Store;

namespace Millrace.Hub.Workflows.Engine;

public sealed partial class WorkflowEngine
{
    /// <summary>
    /// Walks the definition against the step records and starts every step that is due: the next step of each
    /// sequence, every branch of a parallel, the chosen branch of an if (decided once and recorded). When the walk
    /// finds everything done, the instance is completed.
    /// </summary>
    private void Advance(WorkflowInstance instance)
    {
        if (instance.Status != InstanceStatus.Running) return;
        if (Walk(instance, instance.Compiled.Definition.Steps))
        {
            instance.Status = InstanceStatus.Completed;
            _options.Metrics?.Completed.Add(1, new KeyValuePair<string, object?>("workflow", instance.Workflow));
            _finished.Add(instance.Id);
        }
    }

    private bool Walk(WorkflowInstance instance, IReadOnlyList<WorkflowStep> steps)
    {
        foreach (var step in steps)
            if (!WalkStep(instance, step)) return false;
        return true;
    }

    private bool WalkStep(WorkflowInstance instance, WorkflowStep step)
    {
        var record = instance.State.Steps.GetValueOrDefault(step.Id);
        var status = record?.Status ?? StepStatus.Pending;
        switch (step)
        {
            case CallStep call:
                if (status == StepStatus.Pending) StartCall(instance, call, instance.Step(call.Id));
                return status == StepStatus.Succeeded;
            case WaitStep wait:
                if (status == StepStatus.Pending) StartWait(instance, wait, instance.Step(wait.Id));
                return status == StepStatus.Succeeded && (record!.Branch != "timeout" || Walk(instance, wait.OnTimeout));
            case ApprovalStep approval:
                if (status == StepStatus.Pending) StartApproval(instance, approval, instance.Step(approval.Id));
                return status == StepStatus.Succeeded;
            case IfStep branch:
                if (status == StepStatus.Pending)
                {
                    record = instance.Step(branch.Id);
                    bool holds = instance.Compiled.Steps[branch.Id].Condition!(instance.Context);
                    record.Status = StepStatus.Succeeded;
                    record.Branch = holds ? "then" : "else";
                    record.StartedAt = record.FinishedAt = Now;
                    SetOutput(instance, branch.Id, JsonSerializer.SerializeToElement(new Dictionary<string, object> { ["branch"] = record.Branch },
                        InstanceIdentityContext.Default.DictionaryStringObject));
                    History(instance, branch.Id, "if", record, record.Branch, null, null, branch.Condition);
                }
                return Walk(instance, record!.Branch == "then" ? branch.Then : branch.Else);
            case ParallelStep parallel:
                bool all = true;
                foreach (var b in parallel.Branches) all &= Walk(instance, b.Steps); // no short cut: every branch starts
                if (all && status == StepStatus.Pending)
                {
                    record = instance.Step(parallel.Id);
                    record.Status = StepStatus.Succeeded;
                    record.FinishedAt = Now;
                    History(instance, parallel.Id, "parallel", record, "joined", null, null, $"{parallel.Branches.Count} branches joined");
                }
                return all;
            default:
                return true;
        }
    }

    private void StartCall(WorkflowInstance instance, CallStep call, StepRecord record)
        => Enqueue(instance, call.Id, record, call.Connector, call.Operation, instance.Compiled.Steps[call.Id].Input!, compensation: false);

    private void Enqueue(WorkflowInstance instance, string stepId, StepRecord record, string connector, string operation, CompiledInput input, bool compensation)
    {
        var key = WorkflowKeys.Command(instance.Workflow, instance.Id, stepId, record.Iteration, compensation);
        string inputJson;
        try
        {
            inputJson = input.Evaluate(instance.Context).GetRawText();
        }
        catch (Exception e) when (e is InvalidOperationException or JsonException)
        {
            inputJson = "{}";
        }
        var row = new OutboxRow(key, instance.Id, stepId, connector, operation, inputJson, instance.TraceParent, compensation, Now);
        if (!compensation)
        {
            record.Status = StepStatus.Running;
            record.StartedAt = Now;
            record.OutboxKey = key;
            record.Reason = null;
        }
        _rowRevisions[key] = instance.Revision;
        _batch.Outbox.Add(row);
        _toSend.Add(row);
        MarkDirty(instance);
    }

    private void StartWait(WorkflowInstance instance, WaitStep wait, StepRecord record)
    {
        var key = instance.Compiled.Steps[wait.Id].Key!(instance.Context) ?? "";
        record.Status = StepStatus.Waiting;
        record.StartedAt = Now;
        record.WaitKey = key;
        record.Deadline = wait.TimeoutMs is { } ms ? Now + TimeSpan.FromMilliseconds(ms) : null;
        Watch(instance, wait, record);
        MarkDirty(instance);
    }

    private void Watch(WorkflowInstance instance, WaitStep wait, StepRecord record)
    {
        var k = (wait.Event, record.WaitKey ?? "");
        if (!_waiting.TryGetValue(k, out var set)) _waiting[k] = set = [];
        set.Add((instance.Id, wait.Id));
        if (record.Deadline is { } due) _timers.Enqueue((instance.Id, wait.Id, due), due);
    }

    private void StartApproval(WorkflowInstance instance, ApprovalStep approval, StepRecord record)
    {
        record.Status = StepStatus.Waiting;
        record.StartedAt = Now;
        record.Reason = instance.Compiled.Steps[approval.Id].Prompt!(instance.Context);
        record.Deadline = approval.TimeoutMs is { } ms ? Now + TimeSpan.FromMilliseconds(ms) : null;
        if (record.Deadline is { } due) _timers.Enqueue((instance.Id, approval.Id, due), due);
        MarkDirty(instance);
    }

    private void OnCallCompleted(OutboxRow row, CallOutcome outcome)
    {
        _batch.OutboxDone.Add(row.Key);
        _rowRevisions.TryRemove(row.Key, out _);
        var r = outcome.Result;
        _options.Metrics?.RecordStep(row.Connector, row.Operation, r.Outcome, (outcome.FinishedAt - outcome.StartedAt).TotalSeconds);
        if (!_instances.TryGetValue(row.Instance, out var instance)) return; // cancelled meanwhile: nothing waits for it
        var record = instance.Step(row.Step);
        string request = r.Request ?? $"{row.Connector}.{row.Operation} {row.Input}";
        string? response = r.Response ?? (r.Output is { } o ? o.GetRawText() : null);
        string outcomeText = r.Outcome.ToString().ToLowerInvariant() + (r.Replayed ? " (replayed)" : "");
        string reason = Explain(outcome);
        if (row.Compensation)
        {
            History(instance, row.Step, "compensate", record, outcomeText, request, response, r.Reason ?? reason, compensation: true, documentId: r.DocumentId);
            instance.State.CompensationQueue?.Remove(row.Step);
            if (r.Outcome == ConnectorOutcome.Succeeded) record.Status = StepStatus.Compensated;
            else instance.Error += $"; compensation of '{row.Step}' failed: {r.Reason}";
            MarkDirty(instance);
            ContinueCompensation(instance);
            return;
        }
        if (record.OutboxKey != row.Key || record.Status != StepStatus.Running) return; // a stale result (resumed since)
        record.Attempts = outcome.Attempts;
        record.FinishedAt = outcome.FinishedAt;
        record.DocumentId = r.DocumentId;
        History(instance, row.Step, "call", record, outcomeText, request, response, r.Outcome == ConnectorOutcome.Succeeded ? reason.NullIfEmpty() : r.Reason + reason.Prefix("; "),
            documentId: r.DocumentId);
        MarkDirty(instance);
        if (r.Outcome == ConnectorOutcome.Succeeded)
        {
            record.Status = StepStatus.Succeeded;
            SetOutput(instance, row.Step, r.Output ?? EmptyObject);
            instance.State.Completed.Add(row.Step);
            if (instance.Status == InstanceStatus.Running) Advance(instance);
            else if (instance.Status == InstanceStatus.Compensating) ContinueCompensation(instance);
            return;
        }
        record.Status = StepStatus.Failed;
        record.Reason = r.Reason ?? r.Outcome.ToString();
        instance.State.FailedStep ??= row.Step;
        instance.Error ??= $"step '{row.Step}' ({row.Connector}.{row.Operation}) failed after {outcome.Attempts} attempt(s): {record.Reason}";
        if (instance.Status == InstanceStatus.Running) instance.Status = InstanceStatus.Compensating;
        _deadLetterRequests[instance.Id] = (row, request, response, record.Reason);
        ContinueCompensation(instance);
    }

    private readonly Dictionary<string, (OutboxRow Row, string Request, string? Response, string Reason)> _deadLetterRequests = new(StringComparer.Ordinal);

    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    private static string Explain(CallOutcome o)
    {
        var sb = new StringBuilder();
        if (o.Attempts > 1) sb.Append(o.Attempts).Append(" attempts");
        if (o.Deferrals > 0) sb.Append(sb.Length > 0 ? ", " : "").Append(o.Deferrals).Append(" deferral(s)");
        if (o.Delays.Count > 0) sb.Append(sb.Length > 0 ? ", " : "").Append("waited ").Append(string.Join(" + ", o.Delays.Select(d => $"{d.TotalMilliseconds:0}ms")));
        return sb.ToString();
    }

    /// <summary>Once no call of the instance is in flight, undoes its completed calls in reverse order, one at a time;
    /// then the instance fails and its dead letter is written.</summary>
    private void ContinueCompensation(WorkflowInstance instance)
    {
        if (instance.Status != InstanceStatus.Compensating || instance.HasCallsInFlight) return;
        var queue = instance.State.CompensationQueue ??= instance.State.Completed.AsEnumerable().Reverse()
            .Where(id => instance.Compiled.Steps[id].Step is CallStep { Compensate: not null } && instance.State.Steps[id].Status == StepStatus.Succeeded)
            .ToList();
        if (queue.Count > 0)
        {
            var next = queue[0];
            if (_batch.Outbox.Any(o => o.Instance == instance.Id && o.Step == next && o.Compensation)) return;
            var call = (CallStep)instance.Compiled.Steps[next].Step;
            Enqueue(instance, next, instance.State.Steps[next], call.Compensate!.Connector, call.Compensate.Operation,
                instance.Compiled.Steps[next].CompensationInput!, compensation: true);
            return;
        }
        instance.State.CompensationQueue = null;
        instance.Status = InstanceStatus.Failed;
        MarkDirty(instance);
        _options.Metrics?.Failed.Add(1, new KeyValuePair<string, object?>("workflow", instance.Workflow));
        if (_deadLetterRequests.Remove(instance.Id, out var dl)) WriteDeadLetter(instance, dl.Row, dl.Request, dl.Response, dl.Reason);
        else if (instance.State.FailedStep is { } failed && instance.Compiled.Steps.TryGetValue(failed, out var step) && step.Step is CallStep call)
        {
            // Restarted while compensating: the failed call's request and response are in the step history.
            var record = instance.State.Steps[failed];
            var row = new OutboxRow(record.OutboxKey ?? "", instance.Id, failed, call.Connector, call.Operation, "", instance.TraceParent, false, Now);
            WriteDeadLetter(instance, row, $"{call.Connector}.{call.Operation} (request in the step history)", null, record.Reason ?? instance.Error ?? "failed");
        }
    }

    private void WriteDeadLetter(WorkflowInstance instance, OutboxRow row, string request, string? response, string reason)
    {
        if (_options.DeadLetters is not { } store) return;
        var payload = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["instance"] = instance.Id, ["workflow"] = instance.Workflow, ["version"] = instance.Version, ["step"] = row.Step,
            ["connector"] = row.Connector, ["operation"] = row.Operation, ["idempotencyKey"] = row.Key,
            ["request"] = request, ["response"] = response ?? "", ["reason"] = reason, ["error"] = instance.Error ?? reason,
        }, InstanceIdentityContext.Default.DictionaryStringObject);
        string source = "workflow:" + instance.Workflow, why = instance.Error ?? reason;
        string? trace = instance.TraceId;
        // After the commit that made the failure durable: a crash in between re-runs the failed step (same key) and fails it again.
        _afterCommit.Add(() => _ = store.StoreAsync(source, why, "/step/" + row.Step, "application/json", payload, trace).AsTask());
    }
}

internal static class TextExtensions
{
    public static string? NullIfEmpty(this string s) => s.Length == 0 ? null : s;

    public static string Prefix(this string s, string prefix) => s.Length == 0 ? "" : prefix + s;
}
