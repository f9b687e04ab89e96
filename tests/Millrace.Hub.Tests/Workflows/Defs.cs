using Millrace.Hub.Workflows.Definitions;

namespace Millrace.Hub.Tests.Workflows;

/// <summary>Terse builders for workflow definitions in specs (the YAML reader has its own specs).</summary>
public static class Defs
{
    public const string Alert = "com.acme.maintenance.alert.raised.v1";
    public const string DowntimeEnded = "com.acme.asset.downtime.ended.v1";

    /// <summary>Instant retries with a long per-attempt timeout (the test clock fires short timers at once).</summary>
    public static readonly RetrySettings FastRetry = new(MaxAttempts: 3, BackoffMs: 100, MaxBackoffMs: 1000, TimeoutMs: 3_600_000);

    public static WorkflowDefinition Workflow(string id, int version, string trigger, params WorkflowStep[] steps)
        => new(id, version, new WorkflowTrigger(trigger), steps);

    public static CallStep Call(string id, string target, InputTemplate? input = null, RetrySettings? retry = null, CompensationCall? compensate = null)
    {
        var (connector, operation) = Split(target);
        return new CallStep(id, connector, operation, input ?? InputTemplate.EmptyObject, retry ?? FastRetry, compensate);
    }

    public static CompensationCall Undo(string target, InputTemplate? input = null)
    {
        var (connector, operation) = Split(target);
        return new CompensationCall(connector, operation, input ?? InputTemplate.EmptyObject);
    }

    /// <summary>An input object: values starting with '=' are expressions, others templates.</summary>
    public static InputTemplate In(params (string Name, string Value)[] members)
        => new(InputKind.Object, Members: members.Select(m => new KeyValuePair<string, InputTemplate>(m.Name,
            m.Value.StartsWith('=') ? new InputTemplate(InputKind.Expression, Text: m.Value[1..]) : new InputTemplate(InputKind.Template, Text: m.Value))).ToList());

    private static (string, string) Split(string target)
    {
        int dot = target.IndexOf('.');
        return (target[..dot], target[(dot + 1)..]);
    }
}
