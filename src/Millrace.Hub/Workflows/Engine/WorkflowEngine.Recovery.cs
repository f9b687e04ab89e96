using System.Text.Json;
using Millrace.Hub.Workflows.Definitions;
using Millrace.Hub.Workflows.Store;

namespace Millrace.Hub.Workflows.Engine;

public sealed partial class WorkflowEngine
{
    /// <summary>Loads definitions and unfinished instances; queues every outbox row for sending again.</summary>
    private void Recover()
    {
        foreach (var definition in _options.Definitions)
        {
            var wf = CompiledWorkflow.Compile(definition);
            _store.SaveDefinition(wf, Now);
            _current[wf.Id] = wf;
            _revisions[wf.Revision] = wf;
        }
        foreach (var row in _store.LoadActive())
        {
            var wf = Revision(row.Revision);
            if (wf is null) continue;
            using var eventDoc = JsonDocument.Parse(row.Event);
            var instance = new WorkflowInstance
            {
                Id = row.Id, Workflow = row.Workflow, Version = row.Version, Revision = row.Revision, Key = row.Key,
                Event = eventDoc.RootElement.Clone(), TraceParent = row.TraceParent, CreatedAt = row.CreatedAt, UpdatedAt = row.UpdatedAt,
                Status = row.Status, Error = row.Error,
                State = JsonSerializer.Deserialize(row.State, WorkflowJsonContext.Default.InstanceState) ?? new InstanceState(),
            };
            Bind(instance, wf);
            _instances[instance.Id] = instance;
            foreach (var (stepId, record) in instance.State.Steps)
            {
                if (record.Status != StepStatus.Waiting || !wf.Steps.TryGetValue(stepId, out var step)) continue;
                if (step.Step is WaitStep wait) Watch(instance, wait, record);
                else if (record.Deadline is { } due) _timers.Enqueue((instance.Id, stepId, due), due);
            }
        }
        var outbox = _store.LoadOutbox();
        Interlocked.Exchange(ref _outboxBacklog, outbox.Count);
        foreach (var row in outbox)
        {
            if (_instances.TryGetValue(row.Instance, out var instance)) _rowRevisions[row.Key] = instance.Revision;
            Send(row);
        }
        foreach (var wf in _revisions.Values)
            foreach (var wait in wf.Waits)
            {
                var type = ((WaitStep)wait.Step).Event;
                if (!_waitsByType.TryGetValue(type, out var list)) _waitsByType[type] = list = [];
                list.Add((wf, wait));
            }
        EventTypes = _current.Values.Select(w => w.Definition.Trigger.Event).Concat(_waitsByType.Keys).ToHashSet(StringComparer.Ordinal);
        Triggers = _current.Values.ToDictionary(w => w.Id, w => w.Definition.Trigger.Event, StringComparer.Ordinal);
        Volatile.Write(ref _activeCount, _instances.Count);
    }

    /// <summary>A revision from memory or, for instances started on an earlier definition, from the store.</summary>
    private CompiledWorkflow? Revision(string revision)
    {
        if (_revisions.TryGetValue(revision, out var wf)) return wf;
        if (_store.LoadDefinition(revision) is not { } json) return null;
        wf = CompiledWorkflow.FromJson(json);
        _revisions[revision] = wf;
        return wf;
    }

    private OperatorResult OnOperator(OperatorCommand op)
    {
        if (!_instances.TryGetValue(op.InstanceId, out var instance))
        {
            var row = _store.GetInstance(op.InstanceId);
            return row is null
                ? new OperatorResult(false, null, $"no workflow instance '{op.InstanceId}'", NotFound: true)
                : new OperatorResult(false, row.Status.ToString().ToLowerInvariant(), $"instance '{op.InstanceId}' is {row.Status.ToString().ToLowerInvariant()}; nothing to {op.Action}");
        }
        string status() => instance.Status.ToString().ToLowerInvariant();
        switch (op.Action)
        {
            case "approve" or "reject":
            {
                var pending = instance.State.Steps.Where(s => s.Value.Status == StepStatus.Waiting && instance.Compiled.Steps[s.Key].Step is ApprovalStep
                    && (op.Step is null || s.Key == op.Step)).Select(s => s.Key).ToList();
                if (instance.Status != InstanceStatus.Running || pending.Count == 0)
                    return new OperatorResult(false, status(), $"instance '{instance.Id}' has no pending approval" + (op.Step is null ? "" : $" step '{op.Step}'"));
                if (pending.Count > 1)
                    return new OperatorResult(false, status(), $"instance '{instance.Id}' has several pending approvals ({string.Join(", ", pending)}); name the step");
                var stepId = pending[0];
                var record = instance.State.Steps[stepId];
                string decision = op.Action == "approve" ? "approved" : "rejected";
                record.Status = StepStatus.Succeeded;
                record.FinishedAt = Now;
                record.Branch = decision;
                SetOutput(instance, stepId, Decision(decision, op.By, op.Comment, Now));
                History(instance, stepId, "approval", record, decision, null, null, $"{decision} by {op.By}: {op.Comment}");
                MarkDirty(instance);
                Advance(instance);
                return new OperatorResult(true, status(), $"step '{stepId}' {decision} by {op.By}");
            }
            case "resume":
            {
                if (instance.Status != InstanceStatus.Failed)
                    return new OperatorResult(false, status(), $"instance '{instance.Id}' is {status()}; only a failed instance can be resumed");
                foreach (var (stepId, record) in instance.State.Steps)
                {
                    if (record.Status is not (StepStatus.Failed or StepStatus.Compensated)) continue;
                    // A new iteration is a new key: the failed attempt created nothing, the compensated document was undone.
                    record.Status = StepStatus.Pending;
                    record.Iteration++;
                    record.Attempts = 0;
                    record.Output = null;
                    instance.Context.Outputs[instance.Compiled.Scope.SlotOf(stepId)] = default;
                    instance.State.Completed.Remove(stepId);
                }
                instance.State.FailedStep = null;
                instance.State.CompensationQueue = null;
                instance.Error = null;
                instance.Status = InstanceStatus.Running;
                _batch.History.Add(new StepHistoryRow(instance.Id, "-", "resume", 0, 0, Now, Now, "resumed", null, null, null, $"resumed by {op.By}: {op.Comment}", false));
                MarkDirty(instance);
                Advance(instance);
                return new OperatorResult(true, status(), "resumed");
            }
            case "cancel":
            {
                instance.Status = InstanceStatus.Cancelled;
                instance.Error = $"cancelled by {op.By}: {op.Comment}";
                MarkDirty(instance);
                _finished.Add(instance.Id);
                return new OperatorResult(true, status(), "cancelled");
            }
            default:
                return new OperatorResult(false, status(), $"unknown action '{op.Action}'");
        }
    }
}

public sealed partial class WorkflowEngine
{
    /// <summary>The kind of a step (call, wait, if, parallel, approval) in a revision, for inspection; null when unknown.</summary>
    public string? KindOf(string revision, string stepId)
    {
        if (!_revisions.TryGetValue(revision, out var wf) || !wf.Steps.TryGetValue(stepId, out var step)) return null;
        return step.Step switch { CallStep => "call", WaitStep => "wait", IfStep => "if", ParallelStep => "parallel", ApprovalStep => "approval", _ => "step" };
    }
}
