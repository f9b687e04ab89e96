using System.Text.Json;
using Millrace.Hub.Connectors;
using Millrace.Hub.Workflows.Definitions;
using Millrace.Hub.Workflows.Store;

namespace Millrace.Hub.Workflows.Engine;

public sealed partial class WorkflowEngine
{
    private readonly Dictionary<string, List<(CompiledWorkflow Workflow, CompiledStep Step)>> _waitsByType = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Type, string Key), HashSet<(string Instance, string Step)>> _waiting = new();
    private readonly PriorityQueue<(string Instance, string Step, DateTimeOffset Due), DateTimeOffset> _timers = new();
    private readonly HashSet<string> _dirty = new(StringComparer.Ordinal);

    private void Apply(EngineCommand command)
    {
        switch (command)
        {
            case EventCommand e:
                int touched = OnEvent(e.Event, e.OnlyWorkflow);
                _afterCommit.Add(() => e.Done.TrySetResult(touched));
                break;
            case CallCompleted c:
                OnCallCompleted(c.Row, c.Outcome);
                break;
            case OperatorCommand op:
                var result = OnOperator(op);
                _afterCommit.Add(() => op.Done.TrySetResult(result));
                break;
        }
    }

    private int OnEvent(WorkflowEvent e, string? onlyWorkflow = null)
    {
        int touched = 0;
        JsonElement? eventJson = null;
        foreach (var wf in _current.Values)
        {
            if (!string.Equals(wf.Definition.Trigger.Event, e.Type, StringComparison.Ordinal)) continue;
            if (onlyWorkflow is not null && !string.Equals(wf.Id, onlyWorkflow, StringComparison.Ordinal)) continue;
            var id = WorkflowKeys.InstanceId(wf.Id, e.Id);
            if (_instances.ContainsKey(id) || _store.Exists(id)) continue; // the same event never starts two instances
            eventJson ??= e.ToJson();
            var instance = NewInstance(wf, id, e, eventJson.Value);
            if (wf.When is { } when && !when(instance.Context)) continue;
            _instances[id] = instance;
            _options.Metrics?.Started.Add(1, new KeyValuePair<string, object?>("workflow", wf.Id));
            MarkDirty(instance);
            Advance(instance);
            touched++;
        }
        if (_waitsByType.TryGetValue(e.Type, out var waits))
        {
            eventJson ??= e.ToJson();
            var probe = new WorkflowScopeContext { Event = eventJson.Value, Instance = default, Outputs = [] };
            foreach (var (wf, step) in waits)
            {
                probe.Outputs = new JsonElement[wf.Scope.SlotCount];
                if (step.Correlate!(probe) is not { } key) continue;
                if (!_waiting.TryGetValue((e.Type, key), out var set)) continue;
                foreach (var (instanceId, stepId) in set.ToList())
                {
                    // The key was computed by this wait's own correlation: only its instances may take it.
                    if (stepId != step.Step.Id || !_instances.TryGetValue(instanceId, out var instance) || instance.Revision != wf.Revision) continue;
                    var record = instance.Step(stepId);
                    if (record.Status != StepStatus.Waiting) continue;
                    set.Remove((instanceId, stepId));
                    record.Status = StepStatus.Succeeded;
                    record.Branch = "event";
                    record.FinishedAt = Now;
                    SetOutput(instance, stepId, WaitOutput(false, eventJson.Value));
                    History(instance, stepId, "wait", record, "event", null, null, $"correlated on '{key}' by event {e.Id}");
                    MarkDirty(instance);
                    Advance(instance);
                    touched++;
                }
                if (set.Count == 0) _waiting.Remove((e.Type, key));
            }
        }
        return touched;
    }

    private WorkflowInstance NewInstance(CompiledWorkflow wf, string id, WorkflowEvent e, JsonElement eventJson)
    {
        var now = Now;
        var instance = new WorkflowInstance
        {
            Id = id, Workflow = wf.Id, Version = wf.Definition.Version, Revision = wf.Revision, Key = e.Id, Event = eventJson,
            TraceParent = e.TraceParent, CreatedAt = now, UpdatedAt = now, Status = InstanceStatus.Running,
        };
        Bind(instance, wf);
        return instance;
    }

    private static void Bind(WorkflowInstance instance, CompiledWorkflow wf)
    {
        instance.Compiled = wf;
        var identity = JsonSerializer.SerializeToElement(new Dictionary<string, object>
        {
            ["id"] = instance.Id, ["workflow"] = instance.Workflow, ["version"] = instance.Version, ["key"] = instance.Key,
        }, InstanceIdentityContext.Default.DictionaryStringObject);
        var outputs = new JsonElement[wf.Scope.SlotCount];
        foreach (var (stepId, record) in instance.State.Steps)
            if (record.Output is { } output && wf.Steps.ContainsKey(stepId)) outputs[wf.Scope.SlotOf(stepId)] = output;
        instance.Context = new WorkflowScopeContext { Event = instance.Event, Instance = identity, Outputs = outputs };
    }

    private DateTimeOffset Now => _time.GetUtcNow();

    private void MarkDirty(WorkflowInstance instance)
    {
        instance.UpdatedAt = Now;
        _dirty.Add(instance.Id);
    }

    private void FlushDirty()
    {
        foreach (var id in _dirty)
            if (_instances.TryGetValue(id, out var instance)) _batch.Instances[id] = instance;
        _dirty.Clear();
    }

    private void SetOutput(WorkflowInstance instance, string stepId, JsonElement output)
    {
        instance.Step(stepId).Output = output;
        instance.Context.Outputs[instance.Compiled.Scope.SlotOf(stepId)] = output;
    }

    private static JsonElement WaitOutput(bool timedOut, JsonElement? e)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteBoolean("timedOut", timedOut);
            if (e is { } ev) { w.WritePropertyName("event"); ev.WriteTo(w); }
            w.WriteEndObject();
        }
        using var doc = JsonDocument.Parse(buffer.WrittenMemory);
        return doc.RootElement.Clone();
    }

    private void History(WorkflowInstance instance, string stepId, string kind, StepRecord record, string outcome, string? request, string? response,
        string? reason, bool compensation = false, string? documentId = null)
        => _batch.History.Add(new StepHistoryRow(instance.Id, stepId, kind, record.Iteration, record.Attempts, record.StartedAt, Now, outcome,
            documentId, request, response, reason, compensation));

    private void FireDueTimers()
    {
        var now = Now;
        while (_timers.TryPeek(out var t, out var due) && due <= now)
        {
            _timers.Dequeue();
            if (!_instances.TryGetValue(t.Instance, out var instance) || instance.Status != InstanceStatus.Running) continue;
            if (!instance.State.Steps.TryGetValue(t.Step, out var record) || record.Status != StepStatus.Waiting || record.Deadline != t.Due) continue;
            var step = instance.Compiled.Steps[t.Step].Step;
            record.Status = StepStatus.Succeeded;
            record.FinishedAt = now;
            if (step is WaitStep wait)
            {
                record.Branch = "timeout";
                if (record.WaitKey is { } key && _waiting.TryGetValue((wait.Event, key), out var set)) set.Remove((instance.Id, t.Step));
                SetOutput(instance, t.Step, WaitOutput(true, null));
                History(instance, t.Step, "wait", record, "timeout", null, null, $"no {wait.Event} for '{record.WaitKey}' within {TimeSpan.FromMilliseconds(wait.TimeoutMs ?? 0)}");
            }
            else if (step is ApprovalStep approval)
            {
                SetOutput(instance, t.Step, Decision(approval.OnTimeout, "timeout", $"no decision within {TimeSpan.FromMilliseconds(approval.TimeoutMs ?? 0)}", now));
                History(instance, t.Step, "approval", record, approval.OnTimeout, null, null, "timed out");
            }
            MarkDirty(instance);
            Advance(instance);
        }
    }

    private static JsonElement Decision(string decision, string? by, string? comment, DateTimeOffset at)
        => JsonSerializer.SerializeToElement(new Dictionary<string, object>
        {
            ["decision"] = decision, ["by"] = by ?? "", ["comment"] = comment ?? "", ["at"] = at.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        }, InstanceIdentityContext.Default.DictionaryStringObject);

    private void Evict(WorkflowInstance instance)
    {
        _instances.Remove(instance.Id);
        foreach (var (stepId, record) in instance.State.Steps)
            if (record.Status == StepStatus.Waiting && record.WaitKey is { } key && instance.Compiled.Steps[stepId].Step is WaitStep w
                && _waiting.TryGetValue((w.Event, key), out var set))
                set.Remove((instance.Id, stepId));
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, object>))]
[System.Text.Json.Serialization.JsonSerializable(typeof(int))]
internal sealed partial class InstanceIdentityContext : System.Text.Json.Serialization.JsonSerializerContext;
