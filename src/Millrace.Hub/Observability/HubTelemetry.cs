using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Millrace.Hub.Observability;

/// <summary>
/// The hub's activity sources and meters. Everything is named <c>Millrace.*</c> so one wildcard subscribes an
/// exporter (OTLP, the Prometheus endpoint) to all of it.
/// </summary>
public sealed class HubTelemetry : IDisposable
{
    /// <summary>Name of the activity source and meter of the ingestion layer.</summary>
    public const string IngestName = "Millrace.Ingest";

    /// <summary>Name of the activity source and meter of the durable log layer.</summary>
    public const string LogName = "Millrace.Log";

    /// <summary>Name of the meter of the dead-letter store.</summary>
    public const string DeadLetterName = "Millrace.DeadLetters";

    /// <summary>Name of the meter of governance enforcement (the admission gate and the quarantine).</summary>
    public const string GovernanceName = "Millrace.Governance";

    /// <summary>Activities of ingestion: one per HTTP ingest request, parented on the caller's traceparent.</summary>
    public static readonly ActivitySource IngestSource = new(IngestName);

    /// <summary>Name of the activity source of telemetry processing (normalisation, per-asset shards).</summary>
    public const string ProcessingName = "Millrace.Processing";

    /// <summary>Activities of telemetry processing: one per batch per shard, parented on the batch's source.</summary>
    public static readonly ActivitySource ProcessingSource = new(ProcessingName);

    /// <summary>Activities of appends to the event log.</summary>
    public static readonly ActivitySource LogSource = new(LogName);

    private readonly Meter _ingest;
    private readonly Meter _log;
    private readonly Meter _deadLetters;
    private readonly Meter _governance;
    private readonly RuntimeMetrics _runtime;

    /// <summary>Creates the instruments. Meters are scoped to this instance so a hub's /metrics shows only its own.</summary>
    public HubTelemetry()
    {
        _ingest = new Meter(new MeterOptions(IngestName) { Scope = this });
        _log = new Meter(new MeterOptions(LogName) { Scope = this });
        _runtime = new RuntimeMetrics(this);
        _deadLetters = new Meter(new MeterOptions(DeadLetterName) { Scope = this });
        SamplesIngested = _ingest.CreateCounter<long>("millrace.ingest.samples", "{sample}", "Telemetry samples accepted, by source.");
        SamplesRejected = _ingest.CreateCounter<long>("millrace.ingest.samples.rejected", "{sample}", "Telemetry samples refused and dead-lettered, by source and reason.");
        IngestRequests = _ingest.CreateCounter<long>("millrace.ingest.requests", "{request}", "Ingest requests, by endpoint and outcome.");
        EventsIngested = _ingest.CreateCounter<long>("millrace.ingest.events", "{event}", "Business events accepted into the log, by source.");
        IngestDuration = _ingest.CreateHistogram<double>("millrace.ingest.duration", "s", "Time to accept one ingest request, including the durable append for events.");
        EventsAppended = _log.CreateCounter<long>("millrace.log.appended", "{event}", "Events durably appended to the log.");
        _governance = new Meter(new MeterOptions(GovernanceName) { Scope = this });
        EventsAdmitted = _governance.CreateCounter<long>("millrace.governance.admitted", "{event}", "Business events admitted by the gate, by type and source.");
        EventsQuarantined = _governance.CreateCounter<long>("millrace.governance.quarantined", "{event}", "Business events refused by the gate and quarantined, by type, reason class and source.");
        DeadLettered = _deadLetters.CreateCounter<long>("millrace.deadletters.stored", "{item}", "Items stored in the dead-letter store, by source and reason.");
    }

    /// <summary>Telemetry samples accepted (tags: source).</summary>
    public Counter<long> SamplesIngested { get; }

    /// <summary>Telemetry samples refused (tags: source, reason).</summary>
    public Counter<long> SamplesRejected { get; }

    /// <summary>Ingest requests (tags: endpoint, outcome).</summary>
    public Counter<long> IngestRequests { get; }

    /// <summary>Business events accepted (tags: source).</summary>
    public Counter<long> EventsIngested { get; }

    /// <summary>Request latency of ingestion in seconds (tags: endpoint).</summary>
    public Histogram<double> IngestDuration { get; }

    /// <summary>Events durably appended to the log.</summary>
    public Counter<long> EventsAppended { get; }

    /// <summary>Dead letters stored (tags: source, reason).</summary>
    public Counter<long> DeadLettered { get; }

    /// <summary>Events admitted by the governance gate (tags: type, source).</summary>
    public Counter<long> EventsAdmitted { get; }

    /// <summary>Events quarantined by the governance gate (tags: type, reason, source).</summary>
    public Counter<long> EventsQuarantined { get; }

    /// <summary>Registers an observable gauge on the governance meter (e.g. quarantine depth).</summary>
    public void ObserveGovernance(string name, string unit, string description, Func<long> observe)
        => _governance.CreateObservableGauge(name, observe, unit, description);

    /// <summary>Registers an observable gauge on the log meter (e.g. partition lag) owned by the caller.</summary>
    public void ObserveLog(string name, string unit, string description, Func<IEnumerable<Measurement<long>>> observe)
        => _log.CreateObservableGauge(name, observe, unit, description);

    /// <summary>Registers an observable gauge on the dead-letter meter (e.g. depth).</summary>
    public void ObserveDeadLetters(string name, string unit, string description, Func<long> observe)
        => _deadLetters.CreateObservableGauge(name, observe, unit, description);

    /// <inheritdoc />
    public void Dispose()
    {
        _ingest.Dispose();
        _log.Dispose();
        _deadLetters.Dispose();
        _governance.Dispose();
        _runtime.Dispose();
    }
}
