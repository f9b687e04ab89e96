using System.Diagnostics.Metrics;

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
        EventLatency = _meter.CreateHistogram<double>("millrace.rules.event.latency", "s",
            "From the arrival of the sample batch that completed a fact to its event being durable in the log.");
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

    /// <summary>Registers the per-shard queue depth gauge.</summary>
    public void ObserveQueueDepth(Func<IEnumerable<Measurement<long>>> observe)
        => _meter.CreateObservableGauge("millrace.processing.queue.depth", observe, "{batch}", "Sample batches waiting in each shard's queue, by shard.");

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}
