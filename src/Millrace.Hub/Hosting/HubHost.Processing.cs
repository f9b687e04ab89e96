using Millrace.Core.Events;
using Microsoft.Extensions.Logging;
using Millrace.Hub.DeadLetters;
using Millrace.Hub.Governance;
using Millrace.Hub.Log;
using Millrace.Hub.Processing;
using Millrace.Hub.Processing.Checkpoints;
using Millrace.Hub.Processing.Context;
using Millrace.Hub.Processing.Emission;
using Millrace.Hub.Processing.Execution;
using Millrace.Hub.Processing.Telemetry;
using Millrace.Log;

namespace Millrace.Hub.Hosting;

public sealed partial class HubHost
{
    /// <summary>Asset context (place, running order, lot) the rules see; moved by context events appended to the log.</summary>
    public EnterpriseContextSource Context { get; private set; } = null!;

    /// <summary>The emission stage of rule facts, or null when the hub runs no rules.</summary>
    public RuleEventEmitter? Emitter { get; private set; }

    private RuleCheckpointStore? _checkpoints;
    private ProcessingMetrics? _processingMetrics;

    /// <summary>
    /// Builds context (replaying context events from the log), and with rules the emitter, the restored shards and the
    /// recovery window; returns the pipeline that runs them.
    /// </summary>
    private static async Task<(TelemetryPipeline Pipeline, EnterpriseContextSource Context, RuleEventEmitter? Emitter, RuleCheckpointStore? Store, ProcessingMetrics Metrics)>
        StartProcessingAsync(HubOptions options, HubProcessing? processing, TelemetryCatalog catalog, IEventLog log, BusinessEventLog business,
            SqliteDeadLetterStore deadLetters, SchemaRegistry registry, Observability.HubTelemetry telemetry, ILoggerFactory loggers,
            Func<CloudEvent, string, ValueTask<bool>>? admit, CancellationToken cancellationToken)
    {
        var context = processing?.Model is { } model ? EnterpriseContextSource.From(model) : EnterpriseContextSource.From(catalog);
        // Context is not persisted separately: the log holds every context event, so replaying them rebuilds it exactly.
        await ContextReplay.RebuildAsync(log, context, cancellationToken).ConfigureAwait(false);
        business.Appended += events =>
        {
            foreach (var e in events)
                if (ContextEvents.IsContextType(e.Type)) context.Apply(e);
        };
        var metrics = new ProcessingMetrics(telemetry);
        if (processing?.Rules is not { } rules)
            return (new TelemetryPipeline(catalog, options.TelemetryShards, metrics: metrics), context, null, null, metrics);

        var store = RuleCheckpointStore.Open(Path.Combine(options.DataDirectory, "hub.db"));
        try
        {
            int shards = RulesExecution.ResolveShardCount(options.TelemetryShards, store.LoadAll());
            var recovery = new RecoveryWindow();
            var emitter = new RuleEventEmitter(business, catalog, metrics, recovery,
                type => registry.GetLatest(type) is { } latest ? SchemaRegistry.SchemaUri(type, latest.Version) : null,
                deadLetters, loggers.CreateLogger<RuleEventEmitter>(), processing.Options.EmissionQueueCapacity, admit);
            var execution = await RulesExecution.PrepareAsync(shards, rules, context, emitter, catalog, log, store, recovery, processing.Options, metrics,
                loggers.CreateLogger<RulesExecution>(), cancellationToken).ConfigureAwait(false);
            return (new TelemetryPipeline(catalog, shards, rules: execution, metrics: metrics), context, emitter, store, metrics);
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }
}
