using System.Text.Json;
using Millrace.Core.Config;
using Millrace.Core.Expressions;
using Millrace.Core.Model;
using Millrace.Hub.Governance;
using Millrace.Hub.Processing.Rules;
using Millrace.Hub.Workflows.Engine;

namespace Millrace.Hub.Workflows.Definitions;

/// <summary>
/// <c>workflows:</c> — durable workflows started by business events (docs/workflows.md):
/// <code>
/// workflows:
///   - id: production-completion
///     version: 1
///     trigger: { event: com.acme.production.completed.v1 }
///     steps:
///       - id: confirm
///         call: erp.confirm-production
///         input: { order: "{event.data.orderId}", good: =event.data.good }
/// </code>
/// Checks up front, with <c>file:line:col</c>: ids, one step kind per step, unique step ids, event types that are
/// subjects of <c>schemas:</c>, every expression and template against the workflow's scope (so a reference to an
/// unknown step output is an error with a suggestion), durations, and connector/operation names when a
/// <see cref="ConnectorOperationCatalog"/> was published. Publishes <see cref="WorkflowCatalog"/>.
/// </summary>
public sealed partial class WorkflowsSection : ConfigSection
{
    private static readonly string[] Kinds = ["call", "wait", "if", "parallel", "approval"];
    private readonly List<ConfigNode> _items = [];

    /// <inheritdoc />
    public override string Key => "workflows";

    /// <inheritdoc />
    public override void Read(ConfigNode value, ConfigContext context) => _items.AddRange(context.ReadList(value, "workflows"));

    /// <inheritdoc />
    public override void Resolve(ConfigContext context)
    {
        var definitions = new List<WorkflowDefinition>();
        foreach (var item in _items)
            if (new Reader(context).ReadWorkflow(item) is { } d) definitions.Add(d);
        context.Set(new WorkflowCatalog(definitions));
    }

    /// <summary>Reads one workflow; collects its expressions and checks them once every step id is known.</summary>
    private sealed partial class Reader(ConfigContext context)
    {
        private readonly List<(ConfigScalar Node, string Text, int Offset, Check Kind)> _expressions = [];
        private readonly HashSet<string> _stepIds = new(StringComparer.Ordinal);
        private ConfigCatalog<SchemaDefinition>? _subjects;
        private ConnectorOperationCatalog? _connectors;
        private string _workflow = "";
        private bool _ok = true;

        private enum Check { Condition, Value, Text, Template }

        public WorkflowDefinition? ReadWorkflow(ConfigNode node)
        {
            _subjects = context.Get<ConfigCatalog<SchemaDefinition>>();
            _connectors = context.Get<ConnectorOperationCatalog>()
                ?? (context.Get<ConfigCatalog<Connectors.Configuration.ConnectorDefinition>>() is { } defined
                    ? new ConnectorOperationCatalog(defined.All.ToDictionary(d => d.Id, d => d.Operations, StringComparer.Ordinal))
                    : null);
            var m = context.ReadMapping(node, "workflow");
            if (m is null) return null;
            var id = m.Id();
            if (id is not null)
            {
                m.What = $"workflow '{id.Value}'";
                _workflow = id.Value;
                if (!context.Declare("workflow", id.Value, id.Location, "workflow")) _ok = false;
            }
            long? version = m.Integer("version", required: true);
            var description = m.String("description");
            var trigger = m.Mapping("trigger", $"trigger of {m.What}", required: true);
            var steps = m.List("steps", required: true);
            m.Complete();
            if (id is null || version is null || trigger is null) return null;
            if (version < 1)
            {
                context.Error(m.LocationOf("version"), $"'version' of {m.What} must be 1 or more");
                _ok = false;
            }
            var type = trigger.Text("event", required: true);
            var when = trigger.Text("when");
            trigger.Complete();
            if (type is not null) CheckEventType(type);
            if (when is not null) _expressions.Add((when, when.Value, 0, Check.Condition));
            if (steps.Count == 0 && m.Has("steps")) Error(m.LocationOf("steps"), $"'steps' of {m.What} needs at least one step");
            var list = ReadSteps(steps);
            CheckExpressions();
            if (!_ok || type is null) return null;
            return new WorkflowDefinition(id.Value, (int)version.Value, new WorkflowTrigger(type.Value, when?.Value), list, description);
        }

        private void Error(SourceLocation at, string message)
        {
            context.Error(at, message);
            _ok = false;
        }

        private void CheckEventType(ConfigScalar type)
        {
            if (_subjects is not null && _subjects.TryGet(type.Value, out _)) return;
            _ok = false;
            if (_subjects is null || _subjects.Count == 0) context.Error(type, $"unknown event type '{type.Value}': no 'schemas:' entry declares it");
            else context.UnknownReference(type, "event type", type.Value, _subjects.Ids);
        }

        private List<WorkflowStep> ReadSteps(IReadOnlyList<ConfigNode> nodes)
        {
            var steps = new List<WorkflowStep>(nodes.Count);
            foreach (var node in nodes)
                if (ReadStep(node) is { } step) steps.Add(step);
            return steps;
        }

        private WorkflowStep? ReadStep(ConfigNode node)
        {
            var m = context.ReadMapping(node, $"step of workflow '{_workflow}'");
            if (m is null) { _ok = false; return null; }
            var id = m.Id();
            if (id is not null)
            {
                m.What = $"step '{id.Value}' of workflow '{_workflow}'";
                if (!_stepIds.Add(id.Value)) Error(id.Location, $"step id '{id.Value}' is used twice in workflow '{_workflow}'; step ids name outputs and must be unique");
            }
            var kinds = Kinds.Where(m.Has).ToList();
            if (kinds.Count != 1)
            {
                m.Allow([.. Kinds, "input", "retry", "compensate", "then", "else"]);
                m.Complete();
                Error(m.Location, kinds.Count == 0
                    ? $"{m.What} needs one of: {string.Join(", ", Kinds)}"
                    : $"{m.What} has several kinds ({string.Join(", ", kinds)}); give it exactly one");
                return null;
            }
            WorkflowStep? step = kinds[0] switch
            {
                "call" => ReadCall(m, id?.Value),
                "wait" => ReadWait(m, id?.Value),
                "if" => ReadIf(m, id?.Value),
                "parallel" => ReadParallel(m, id?.Value),
                _ => ReadApproval(m, id?.Value),
            };
            return id is null ? null : step;
        }
    }
}
