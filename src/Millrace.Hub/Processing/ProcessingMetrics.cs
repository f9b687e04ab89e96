using System.Diagnostics.Metrics;
using Millrace.Hub.Observability;

namespace Millrace.Hub.Processing;

/// <summary>
/// Meters of telemetry processing (<c>Millrace.Processing</c>): shard queue depths, back-pressure waits, facts
/// emitted and suppressed, checkpoints and sample-to-event latency. Scoped like the hub's other meters so a hub's
/// <c>/metrics</c> shows only its own.
/// </summary>
public sealed class ProcessingMetrics : IDisposable
{
    /// <summary>Name of the meter.</summary>
    public const string MeterName = "Millrace.Processing";

    private readonly Meter _meter;

    /// <summary>Creates the instruments with <paramref name="scope"/> as the meter scope (the hub's telemetry object).</summary>
    public ProcessingMetrics(object? scope = null)
    {
        _meter = new Meter(new MeterOptions(MeterName) { Scope = scope });
        BackPressureWaits = _meter.CreateCounter<long>("millrace.processing.backpressure.waits", "{wait}",
            "Times a producer found a bounded queue full and waited, by stage (shard: a source waited for a shard; emission: a shard waited for the log).");
        EventsEmitted = _meter.CreateCounter<long>("millrace.rules.events.emitted", "{event}", "Business events rules emitted and the log durably appended, by type.");
        DuplicatesSuppressed = _meter.CreateCounter<long>("millrace.rules.events.duplicates", "{event}",
            "Facts found again after a restart whose event was already in the log, and so not appended twice.");
        Checkpoints = _meter.CreateCounter<long>("millrace.processing.checkpoints", "{checkpoint}", "Shard checkpoints written.");
        var fine = new InstrumentAdvice<double> { HistogramBucketBoundaries = PrometheusTextExporter.FineLatencyBounds };
        EventLatency = _meter.CreateHistogram("millrace.rules.event.latency", "s",
            "From the arrival of the sample batch that completed a fact to its event being durable in the log.", tags: null, advice: fine);
        EventStage = _meter.CreateHistogram("millrace.rules.event.stage", "s",
            "Sample-to-event latency split by stage, per fact (tag stage: shard_queue = batch arrival to its shard taking it; " +
            "rules = shard taking the batch to the fact queued for the log, including waits for room; emission_queue = queued " +
            "to the appender taking it; gate = appender taking it to its group being handed to the log, admission checks of " +
            "the group included; append = log append until durable, group commit and WAL fsync included).", tags: null, advice: fine);
    }

    /// <summary>Back-pressure waits (tag: stage).</summary>
    public Counter<long> BackPressureWaits { get; }

    /// <summary>Events appended (tag: type).</summary>
    public Counter<long> EventsEmitted { get; }

    /// <summary>Re-emitted facts not appended again.</summary>
    public Counter<long> DuplicatesSuppressed { get; }

    /// <summary>Shard checkpoints written.</summary>
    public Counter<long> Checkpoints { get; }

    /// <summary>Sample-to-event latency in seconds.</summary>
    public Histogram<double> EventLatency { get; }

    /// <summary>Sample-to-event latency by stage, in seconds (tag: stage).</summary>
    public Histogram<double> EventStage { get; }

    /// <summary>Registers the per-shard queue depth gauge.</summary>
    public void ObserveQueueDepth(Func<IEnumerable<Measurement<long>>> observe)
        => _meter.CreateObservableGauge("millrace.processing.queue.depth", observe, "{batch}", "Sample batches waiting in each shard's queue, by shard.");

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}
