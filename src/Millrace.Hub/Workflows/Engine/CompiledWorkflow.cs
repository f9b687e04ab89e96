using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Millrace.Core.Expressions;
using Millrace.Hub.Workflows.Definitions;
using Millrace.Hub.Workflows.Store;

namespace Millrace.Hub.Workflows.Engine;

/// <summary>A step with its expressions compiled.</summary>
public sealed class CompiledStep(WorkflowStep step)
{
    /// <summary>The step as declared.</summary>
    public WorkflowStep Step { get; } = step;

    /// <summary>Input of a call.</summary>
    public CompiledInput? Input { get; init; }

    /// <summary>Input of a call's compensation.</summary>
    public CompiledInput? CompensationInput { get; init; }

    /// <summary>Condition of an <c>if</c>.</summary>
    public Func<WorkflowScopeContext, bool>? Condition { get; init; }

    /// <summary>Correlation key of a wait, over the instance.</summary>
    public Func<WorkflowScopeContext, string?>? Key { get; init; }

    /// <summary>Correlation value of a wait, over the awaited event.</summary>
    public Func<WorkflowScopeContext, string?>? Correlate { get; init; }

    /// <summary>Prompt of an approval.</summary>
    public Func<WorkflowScopeContext, string>? Prompt { get; init; }
}

/// <summary>
/// One revision of a workflow definition, compiled: the trigger condition and every step's expressions bound to the
/// definition's <see cref="WorkflowScope"/>. <see cref="Revision"/> is a hash of the definition's canonical JSON, so
/// a definition edited without a version bump is still a different revision and running instances keep theirs.
/// </summary>
public sealed class CompiledWorkflow
{
    private CompiledWorkflow(WorkflowDefinition definition, string json, string revision, WorkflowScope scope,
        Func<WorkflowScopeContext, bool>? when, Dictionary<string, CompiledStep> steps)
    {
        Definition = definition;
        Json = json;
        Revision = revision;
        Scope = scope;
        When = when;
        Steps = steps;
    }

    /// <summary>The definition.</summary>
    public WorkflowDefinition Definition { get; }

    /// <summary>Workflow id.</summary>
    public string Id => Definition.Id;

    /// <summary>The definition's canonical JSON, as stored.</summary>
    public string Json { get; }

    /// <summary>Hash of <see cref="Json"/> (16 hex digits).</summary>
    public string Revision { get; }

    /// <summary>The expression scope.</summary>
    public WorkflowScope Scope { get; }

    /// <summary>The trigger condition, or null (every event of the type starts an instance).</summary>
    public Func<WorkflowScopeContext, bool>? When { get; }

    /// <summary>Compiled steps by id.</summary>
    public IReadOnlyDictionary<string, CompiledStep> Steps { get; }

    /// <summary>The wait steps of the definition.</summary>
    public IEnumerable<CompiledStep> Waits => Steps.Values.Where(s => s.Step is WaitStep);

    /// <summary>Canonical JSON of a definition.</summary>
    public static string ToJson(WorkflowDefinition definition) => JsonSerializer.Serialize(definition, WorkflowJsonContext.Default.WorkflowDefinition);

    /// <summary>Compiles a definition. Throws <see cref="ExpressionException"/> for a bad expression (config validation reports those with positions first).</summary>
    public static CompiledWorkflow Compile(WorkflowDefinition definition)
    {
        var json = ToJson(definition);
        var revision = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)))[..16];
        var scope = WorkflowScope.For(definition);
        var when = definition.Trigger.When is { } w ? ExpressionCompiler.CompilePredicate(w, scope.Scope) : null;
        var steps = new Dictionary<string, CompiledStep>(StringComparer.Ordinal);
        foreach (var step in definition.AllSteps())
        {
            steps[step.Id] = step switch
            {
                CallStep c => new CompiledStep(c)
                {
                    Input = CompiledInput.Compile(c.Input, scope),
                    CompensationInput = c.Compensate is { } comp ? CompiledInput.Compile(comp.Input, scope) : null,
                },
                IfStep i => new CompiledStep(i) { Condition = ExpressionCompiler.CompilePredicate(i.Condition, scope.Scope) },
                WaitStep wt => new CompiledStep(wt)
                {
                    Key = ExpressionCompiler.CompileString(wt.Key, scope.Scope),
                    Correlate = ExpressionCompiler.CompileString(wt.Correlate, scope.Scope),
                },
                ApprovalStep a => new CompiledStep(a) { Prompt = ExpressionCompiler.CompileTemplate(a.Prompt, scope.Scope) },
                _ => new CompiledStep(step),
            };
        }
        return new CompiledWorkflow(definition, json, revision, scope, when, steps);
    }

    /// <summary>Compiles a stored definition JSON.</summary>
    public static CompiledWorkflow FromJson(string json)
        => Compile(JsonSerializer.Deserialize(json, WorkflowJsonContext.Default.WorkflowDefinition)
            ?? throw new InvalidDataException("stored workflow definition is null"));
}
