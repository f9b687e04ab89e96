using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Millrace.Hub.Broker;
using Millrace.Hub.DeadLetters;
using Millrace.Hub.Governance;
using Millrace.Hub.Governance.Admission;
using Millrace.Hub.Governance.Rules;
using Millrace.Hub.Log;
using Millrace.Hub.Observability;
using Millrace.Hub.Processing;
using Millrace.Hub.Processing.Checkpoints;
using Millrace.Hub.Processing.Context;
using Millrace.Hub.Processing.Emission;
using Millrace.Hub.Processing.Telemetry;
using Millrace.Hub.Sources.Http;
using Millrace.Hub.Sources.Mqtt;
using Millrace.Mqtt.Broker;
using Millrace.Log;
using Millrace.Log.Sqlite;

namespace Millrace.Hub.Hosting;

/// <summary>
/// One running hub: Kestrel with the ingest, health and metrics endpoints, the telemetry pipeline, the durable event
/// log and the dead-letter store, all on embedded defaults. <see cref="DisposeAsync"/> stops in order: stop taking
/// requests, drain telemetry, flush the log.
/// </summary>
public sealed partial class HubHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ActivityListener _activityListener;
    private readonly OtlpExport? _otlp;
    private MqttSources? _mqttSources;
    private SqliteMqttSessionStore? _brokerSessions;
    private int _stopping;
    private int _disposed;
    private readonly TaskCompletionSource _intakeStopped = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private HubHost(WebApplication app, HubOptions options, HubTelemetry telemetry, TelemetryPipeline pipeline, SqliteEventLog log,
        SqliteDeadLetterStore deadLetters, SchemaRegistry registry, PrometheusTextExporter exporter, ActivityListener activityListener, OtlpExport? otlp)
    {
        Registry = registry;
        _app = app;
        Options = options;
        Telemetry = telemetry;
        Pipeline = pipeline;
        Log = log;
        DeadLetters = deadLetters;
        Metrics = exporter;
        _activityListener = activityListener;
        _otlp = otlp;
    }

    /// <summary>Options the hub runs with.</summary>
    public HubOptions Options { get; }

    /// <summary>The hub's meters.</summary>
    public HubTelemetry Telemetry { get; }

    /// <summary>The telemetry pipeline.</summary>
    public TelemetryPipeline Pipeline { get; }

    /// <summary>The durable event log.</summary>
    public IEventLog Log { get; }

    /// <summary>The dead-letter store.</summary>
    public SqliteDeadLetterStore DeadLetters { get; }

    /// <summary>
    /// The admission gate every business event passes before the log (HTTP and MQTT ingest, rule output,
    /// resubmissions); refused events go to its quarantine.
    /// </summary>
    public AdmissionGate Admission => _app.Services.GetRequiredService<AdmissionGate>();

    /// <summary>Quarantined business events (table <c>quarantine</c> of <c>hub.db</c>).</summary>
    public SqliteQuarantineStore Quarantine => Admission.Quarantine;

    /// <summary>The schema registry (governance), served under <c>/registry</c>.</summary>
    public SchemaRegistry Registry { get; }

    /// <summary>The Prometheus exporter behind <c>/metrics</c>.</summary>
    public PrometheusTextExporter Metrics { get; }

    /// <summary>The embedded MQTT broker (<see cref="HubOptions.MqttPort"/>), or null when the hub runs without one.</summary>
    public MqttBroker? Broker { get; private set; }

    /// <summary>Where the embedded broker listens (<c>mqtt://127.0.0.1:port</c>, the real port when 0 was asked), or null.</summary>
    public Uri? MqttAddress => Broker?.Endpoint is { } e ? new Uri($"mqtt://127.0.0.1:{e.Port}") : null;

    /// <summary>Messages, accepted samples and dead letters of each running <c>kind: mqtt</c> source, by source id.</summary>
    public IReadOnlyDictionary<string, (long Messages, long Samples, long DeadLetters)> MqttSourceCounts
        => (_mqttSources?.Sources ?? []).ToDictionary(s => s.Definition.Id, s => (s.Received, s.Accepted, s.DeadLettered), StringComparer.Ordinal);

    /// <summary>The event catalogue's lifecycle verdicts (allowed / deprecated / retired / unknown) for the ingest gate.</summary>
    public EventCatalog Catalog => _app.Services.GetRequiredService<EventCatalog>();

    /// <summary>Where Kestrel actually listens (the real port when the options asked for port 0).</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>
    /// Opens the stores, registers the configuration's schemas (<paramref name="schemas"/>, from the <c>schemas:</c>
    /// section) and starts listening. A schema the registry refuses is logged with every problem and does not stop
    /// the hub: the subject keeps its earlier versions. With <see cref="HubOptions.MqttPort"/> the embedded broker starts
    /// on 127.0.0.1; <paramref name="sources"/> (the <c>sources:</c> section) starts the enabled <c>kind: mqtt</c> sources.
    /// <paramref name="businessRules"/> (the <c>business-rules:</c> section) are applied by the admission gate.
    /// <paramref name="workflows"/> (the <c>workflows:</c> section and its connectors) run in the workflow engine.
    /// </summary>
    /// <exception cref="System.Net.Sockets.SocketException">The MQTT port is in use.</exception>
    public static async Task<HubHost> StartAsync(HubOptions options, TelemetryCatalog catalog, CancellationToken cancellationToken = default,
        IEnumerable<SchemaDefinition>? schemas = null, HubSources? sources = null, BusinessRuleSet? businessRules = null,
        HubProcessing? processing = null, HubWorkflows? workflows = null)
    {
        options.Validate();
        Directory.CreateDirectory(options.DataDirectory);
        // Activities exist whenever the hub runs, so every log line and dead letter carries a trace id.
        var activityListener = new ActivityListener
        {
            ShouldListenTo = s => s.Name.StartsWith("Millrace", StringComparison.Ordinal),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(activityListener);

        var telemetry = new HubTelemetry();
        var exporter = new PrometheusTextExporter(telemetry);
        var log = SqliteEventLog.Open(new SqliteEventLogOptions
        {
            Path = Path.Combine(options.DataDirectory, "log.db"),
            PartitionCount = options.LogPartitions,
            MetricsScope = telemetry,
        });
        var deadLetters = SqliteDeadLetterStore.Open(Path.Combine(options.DataDirectory, "hub.db"), telemetry);
        var quarantine = SqliteQuarantineStore.Open(Path.Combine(options.DataDirectory, "hub.db"), telemetry);
        var business = new BusinessEventLog(log, telemetry, TimeProvider.System);
        TelemetryPipeline? pipeline = null; // built once the loggers exist (StartProcessingAsync), before anything resolves it
        var registry = SchemaRegistry.OpenInDataDirectory(options.DataDirectory);
        IReadOnlyList<SchemaDefinition> definitions = schemas?.ToList() ?? [];

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(options.Url);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = null; // the endpoints enforce MaxRequestBytes themselves, and dead-letter the excess
        });
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(options.LogLevel);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.Critical); // start failures are reported by the caller
        builder.Logging.AddSimpleConsole(o =>
        {
            o.IncludeScopes = true;
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
        });
        builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        var services = builder.Services;
        services.AddSingleton(options).AddSingleton(telemetry).AddSingleton(_ => pipeline!).AddSingleton(catalog)
            .AddSingleton(deadLetters).AddSingleton(registry).AddSingleton<IEventLog>(log).AddSingleton(TimeProvider.System)
            .AddSingleton(business).AddSingleton<TelemetryIngestEndpoint>().AddSingleton<EventIngestEndpoint>()
            .AddSingleton(quarantine).AddSingleton(businessRules ?? BusinessRuleSet.Empty)
            .AddSingleton(sp => new AdmissionGate(registry, sp.GetRequiredService<BusinessRuleSet>(), sp.GetRequiredService<BusinessEventLog>(),
                quarantine, telemetry, catalog.IsPlant, sp.GetRequiredService<ILogger<AdmissionGate>>(), sp.GetRequiredService<EventCatalog>()))
            .AddSingleton(sp => EventCatalog.FromDefinitions(definitions, new EventCatalogOptions
            {
                MeterScope = telemetry, Logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger<EventCatalog>(),
            }));
        var app = builder.Build();
        (TelemetryPipeline, EnterpriseContextSource, RuleEventEmitter?, RuleCheckpointStore?, ProcessingMetrics) started;
        try
        {
            started = await StartProcessingAsync(options, processing, catalog, log, business, deadLetters, registry, telemetry,
                app.Services.GetRequiredService<ILoggerFactory>(),
                (e, source) => app.Services.GetRequiredService<AdmissionGate>().ScreenAsync(e, source), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await log.DisposeAsync().ConfigureAwait(false);
            await deadLetters.DisposeAsync().ConfigureAwait(false);
            registry.Dispose();
            activityListener.Dispose();
            throw;
        }
        pipeline = started.Item1;
        var otlp = OtlpExport.StartIfConfigured();
        var host = new HubHost(app, options, telemetry, pipeline, log, deadLetters, registry, exporter, activityListener, otlp)
        {
            Context = started.Item2,
            Emitter = started.Item3,
            _checkpoints = started.Item4,
            _processingMetrics = started.Item5,
        };
        host.MapEndpoints();
        app.MapEventCatalog(definitions, registry);
        if (schemas is not null) host.RegisterSchemas(definitions, app.Services.GetRequiredService<ILoggerFactory>().CreateLogger<HubHost>());
        try
        {
            await host.MapCapabilityApisAsync(catalog, cancellationToken).ConfigureAwait(false);
            if (options.MqttPort is { } mqttPort)
            {
                host._brokerSessions = SqliteMqttSessionStore.OpenInDataDirectory(options.DataDirectory);
                host.Broker = EmbeddedBroker.Create(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, mqttPort), host._brokerSessions,
                    options.MqttAccess, app.Services.GetRequiredService<ILoggerFactory>().CreateLogger<MqttBroker>(), telemetry);
                await host.Broker.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            if (sources is not null)
                host._mqttSources = MqttSources.Start(sources, host.Broker, pipeline, deadLetters, host.Admission, telemetry,
                    app.Services.GetRequiredService<ILoggerFactory>().CreateLogger<MqttSources>());
            host.StartWorkflows(workflows);
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await host.DisposeAsync().ConfigureAwait(false); // release the log's lock file and the stores
            throw;
        }
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        host.BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        return host;
    }

    private void MapEndpoints()
    {
        var telemetryIngest = _app.Services.GetRequiredService<TelemetryIngestEndpoint>();
        var eventIngest = _app.Services.GetRequiredService<EventIngestEndpoint>();
        _app.MapSchemaRegistry(Registry);
        MapEventsApi();
        _app.MapPost("/ingest/telemetry", telemetryIngest.HandleAsync);
        _app.MapPost("/ingest/events", eventIngest.HandleAsync);
        _app.MapGet("/healthz", (HttpContext http) => IngestResponses.JsonAsync(http, 200, new HealthBody("healthy"), HubJsonContext.Http.HealthBody));
        _app.MapGet("/readyz", (HttpContext http) => Volatile.Read(ref _stopping) == 0
            ? IngestResponses.JsonAsync(http, 200, new HealthBody("ready"), HubJsonContext.Http.HealthBody)
            : IngestResponses.JsonAsync(http, 503, new HealthBody("stopping", "the hub is shutting down"), HubJsonContext.Http.HealthBody));
        _app.MapGet("/metrics", (HttpContext http) =>
        {
            http.Response.ContentType = PrometheusTextExporter.ContentType;
            return http.Response.WriteAsync(Metrics.Render(), Encoding.UTF8, http.RequestAborted);
        });
        _app.MapOperatorEndpoints(DeadLetters, Admission);
    }

    private void RegisterSchemas(IEnumerable<SchemaDefinition> schemas, ILogger logger)
    {
        foreach (var result in Registry.Apply(schemas))
        {
            if (result.Succeeded) continue;
            LogSchemaRefused(logger, result.Subject, result.Outcome.ToString(),
                string.Join("; ", result.Problems.Select(p => p.ToString())));
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Schema for subject {Subject} was not registered ({Outcome}): {Problems}")]
    private static partial void LogSchemaRefused(ILogger logger, string subject, string outcome, string problems);

    /// <summary>
    /// Stops taking telemetry and events (Kestrel, MQTT sources, the broker) and waits until every accepted sample has
    /// been processed. The log, dead letters and counters stay readable, so final figures can be taken from a quiet
    /// hub; <see cref="DisposeAsync"/> does this first and then closes the stores. Safe to call more than once.
    /// </summary>
    public async Task StopIntakeAsync()
    {
        if (Interlocked.Exchange(ref _stopping, 1) != 0)
        {
            await _intakeStopped.Task.ConfigureAwait(false);
            return;
        }
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            try { await _app.StopAsync(timeout.Token).ConfigureAwait(false); }
            catch (OperationCanceledException) { } // Kestrel did not stop in time: carry on flushing the stores
        }
        // Sources before the broker (their in-process queues are handled, bounded), both before the pipeline drains.
        if (_mqttSources is not null) await _mqttSources.DisposeAsync().ConfigureAwait(false);
        if (Broker is not null) await Broker.DisposeAsync().ConfigureAwait(false);
        _brokerSessions?.Dispose(); // after the broker saved its sessions
        await Pipeline.DisposeAsync().ConfigureAwait(false); // with rules: a last checkpoint per shard once its facts are durable
        if (Emitter is not null) await Emitter.DisposeAsync().ConfigureAwait(false);
        _intakeStopped.TrySetResult();
    }

    /// <summary>Stops taking requests (Kestrel, then the MQTT sources and the embedded broker), drains the telemetry
    /// pipeline, flushes and closes the log.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await StopIntakeAsync().ConfigureAwait(false);
        await StopWorkflowsAsync().ConfigureAwait(false);
        await Log.DisposeAsync().ConfigureAwait(false);
        await DeadLetters.DisposeAsync().ConfigureAwait(false);
        await Quarantine.DisposeAsync().ConfigureAwait(false);
        DisposeCapabilityApis();
        _checkpoints?.Dispose();
        _processingMetrics?.Dispose();
        Registry.Dispose();
        await _app.DisposeAsync().ConfigureAwait(false);
        _otlp?.Dispose();
        Metrics.Dispose();
        Telemetry.Dispose();
        _activityListener.Dispose();
    }
}
