using System.Linq.Expressions;
using System.Text.Json;
using Millrace.Core.Expressions;
using Millrace.Hub.Workflows.Definitions;

namespace Millrace.Hub.Workflows.Engine;

/// <summary>
/// What a workflow expression sees: <c>event.*</c> (the trigger event: <c>id, type, source, time, subject, data</c>),
/// <c>instance.*</c> (<c>id, workflow, version, key</c>) and <c>steps.&lt;id&gt;.output.*</c> of every step with an
/// output. Wait correlations (<see cref="WaitStep.Correlate"/>) see the awaited event as <c>event</c>.
/// </summary>
public sealed class WorkflowScopeContext
{
    /// <summary>The event (trigger event, or the awaited event for a correlation).</summary>
    public JsonElement Event;

    /// <summary>The instance's identity as a JSON object.</summary>
    public JsonElement Instance;

    /// <summary>Outputs of steps by slot (see <see cref="WorkflowScope.SlotOf"/>); Undefined until a step has one.</summary>
    public JsonElement[] Outputs = [];
}

/// <summary>The expression scope of one workflow definition: a slot per step output.</summary>
public sealed class WorkflowScope
{
    private readonly Dictionary<string, int> _slots;

    private WorkflowScope(ExpressionScope<WorkflowScopeContext> scope, Dictionary<string, int> slots)
    {
        Scope = scope;
        _slots = slots;
    }

    /// <summary>The scope to compile expressions against.</summary>
    public ExpressionScope<WorkflowScopeContext> Scope { get; }

    /// <summary>Number of output slots.</summary>
    public int SlotCount => _slots.Count;

    /// <summary>The output slot of a step.</summary>
    public int SlotOf(string stepId) => _slots[stepId];

    /// <summary>Builds the scope for the given step ids.</summary>
    public static WorkflowScope For(IEnumerable<string> stepIds)
    {
        var scope = ExpressionScope.For<WorkflowScopeContext>()
            .Field("event", c => c.Event)
            .Field("instance", c => c.Instance);
        var slots = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var id in stepIds)
        {
            if (slots.ContainsKey(id)) continue;
            int slot = slots.Count;
            slots[id] = slot;
            scope.Field($"steps.{id}.output", ctx => Expression.ArrayIndex(
                Expression.Field(ctx, nameof(WorkflowScopeContext.Outputs)), Expression.Constant(slot)));
        }
        return new WorkflowScope(scope, slots);
    }

    /// <summary>The scope of a definition.</summary>
    public static WorkflowScope For(WorkflowDefinition definition) => For(definition.AllSteps().Select(s => s.Id));
}
