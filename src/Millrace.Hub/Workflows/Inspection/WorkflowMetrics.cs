using System.Diagnostics.Metrics;
using Millrace.Hub.Connectors;

namespace Millrace.Hub.Workflows.Inspection;

/// <summary>
/// Meters of the workflow engine (<c>Millrace.Workflows</c>): instances started, completed and failed, steps (their
/// rate is steps/s), step latency, outbox backlog and active instances. Scoped like the hub's other meters so a hub's
/// <c>/metrics</c> shows only its own.
/// </summary>
public sealed class WorkflowMetrics : IDisposable
{
    /// <summary>Name of the meter.</summary>
    public const string MeterName = "Millrace.Workflows";

    private readonly Meter _meter;

    /// <summary>Creates the instruments with <paramref name="scope"/> as the meter scope (the hub's telemetry object).</summary>
    public WorkflowMetrics(object? scope = null)
    {
        _meter = new Meter(new MeterOptions(MeterName) { Scope = scope });
        Started = _meter.CreateCounter<long>("millrace.workflows.instances.started", "{instance}", "Workflow instances started, by workflow.");
        Completed = _meter.CreateCounter<long>("millrace.workflows.instances.completed", "{instance}", "Workflow instances completed, by workflow.");
        Failed = _meter.CreateCounter<long>("millrace.workflows.instances.failed", "{instance}", "Workflow instances that failed (dead-lettered), by workflow.");
        Steps = _meter.CreateCounter<long>("millrace.workflows.steps", "{step}", "Connector calls recorded, by connector, operation and outcome.");
        StepLatency = _meter.CreateHistogram<double>("millrace.workflows.step.latency", "s", "From first attempt to recorded result of a call, retries included.");
    }

    /// <summary>Instances started.</summary>
    public Counter<long> Started { get; }

    /// <summary>Instances completed.</summary>
    public Counter<long> Completed { get; }

    /// <summary>Instances failed.</summary>
    public Counter<long> Failed { get; }

    /// <summary>Calls recorded.</summary>
    public Counter<long> Steps { get; }

    /// <summary>Call latency.</summary>
    public Histogram<double> StepLatency { get; }

    /// <summary>Records a call's result.</summary>
    public void RecordStep(string connector, string operation, ConnectorOutcome outcome, double seconds)
    {
        Steps.Add(1, new("connector", connector), new("operation", operation), new("outcome", outcome.ToString().ToLowerInvariant()));
        StepLatency.Record(seconds, new KeyValuePair<string, object?>("connector", connector));
    }

    /// <summary>Registers the outbox backlog and active instance gauges.</summary>
    public void Observe(Func<long> outboxBacklog, Func<long> active)
    {
        _meter.CreateObservableGauge("millrace.workflows.outbox.backlog", outboxBacklog, "{command}", "Commands in the outbox whose result is not recorded yet.");
        _meter.CreateObservableGauge("millrace.workflows.instances.active", active, "{instance}", "Instances running, compensating or failed (held by the engine).");
    }

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}
