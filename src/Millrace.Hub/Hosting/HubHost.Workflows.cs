using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Millrace.Hub.Workflows.Engine;
using Millrace.Hub.Workflows.Inspection;
using Millrace.Hub.Workflows.Store;
using Millrace.Hub.Workflows.Triggers;

namespace Millrace.Hub.Hosting;

public sealed partial class HubHost
{
    private SqliteWorkflowStore? _workflowStore;
    private WorkflowTriggerReader? _workflowTriggers;
    private WorkflowMetrics? _workflowMetrics;
    private HubWorkflows? _workflowConfig;

    /// <summary>The workflow engine, or null when the hub runs no workflows.</summary>
    public WorkflowEngine? Workflows { get; private set; }

    /// <summary>
    /// Opens <c>workflows.db</c>, starts the engine (which resends what the outbox still holds) and the trigger reader
    /// (consumer group <c>workflows</c> of the log), and maps <c>/api/v1/workflows</c>. Before Kestrel starts.
    /// </summary>
    private void StartWorkflows(HubWorkflows? workflows)
    {
        if (workflows is null) return;
        if (workflows.CreateConnectors is { } create)
        {
            var set = create(Telemetry);
            workflows = workflows with { Connectors = set.Names.ToDictionary(n => n, n => set[n], StringComparer.Ordinal), Owner = set };
        }
        _workflowConfig = workflows;
        var loggers = _app.Services.GetRequiredService<ILoggerFactory>();
        _workflowStore = SqliteWorkflowStore.OpenInDataDirectory(Options.DataDirectory);
        _workflowMetrics = new WorkflowMetrics(Telemetry);
        Workflows = WorkflowEngine.Start(new WorkflowEngineOptions
        {
            Store = _workflowStore, Definitions = workflows.Definitions, Connectors = workflows.Connectors, DeadLetters = DeadLetters,
            Logger = loggers.CreateLogger<WorkflowEngine>(), Metrics = _workflowMetrics, MaxConcurrentCalls = workflows.MaxConcurrentCalls,
        });
        var engine = Workflows;
        _workflowMetrics.Observe(() => engine.OutboxBacklog, () => engine.ActiveInstances);
        _workflowTriggers = WorkflowTriggerReader.Start(Log, engine, loggers.CreateLogger<WorkflowTriggerReader>());
        _app.MapWorkflowEndpoints(engine);
        _app.MapWorkflowDeadLetterEndpoints(engine, DeadLetters);
        _app.MapWorkflowReplayEndpoints(engine, Log);
    }

    /// <summary>Stops the trigger reader and the engine (unsent commands stay in the outbox), closes the store and the connectors.</summary>
    private async Task StopWorkflowsAsync()
    {
        if (_workflowTriggers is not null) await _workflowTriggers.DisposeAsync().ConfigureAwait(false);
        if (Workflows is not null) await Workflows.DisposeAsync().ConfigureAwait(false);
        _workflowStore?.Dispose();
        _workflowMetrics?.Dispose();
        if (_workflowConfig?.Owner is { } owner) await owner.DisposeAsync().ConfigureAwait(false);
        else if (_workflowConfig is not null)
            foreach (var connector in _workflowConfig.Connectors.Values) await connector.DisposeAsync().ConfigureAwait(false);
        _workflowTriggers = null;
        Workflows = null;
        _workflowStore = null;
        _workflowConfig = null;
    }
}
