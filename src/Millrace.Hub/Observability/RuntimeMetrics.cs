using System.Diagnostics.Metrics;

namespace Millrace.Hub.Observability;

/// <summary>
/// The .NET runtime as latency targets see it (<c>Millrace.Runtime</c>): total GC pause time, collections by
/// generation and bytes allocated, read at scrape time. Differences between two scrapes give GC pause time and
/// allocations per sample of a load run, next to the sample-to-event latency they explain.
/// </summary>
public sealed class RuntimeMetrics : IDisposable
{
    /// <summary>Name of the meter.</summary>
    public const string MeterName = "Millrace.Runtime";

    private readonly Meter _meter;

    /// <summary>Creates the observable instruments with <paramref name="scope"/> as the meter scope.</summary>
    public RuntimeMetrics(object scope)
    {
        _meter = new Meter(new MeterOptions(MeterName) { Scope = scope });
        _meter.CreateObservableCounter("millrace.runtime.gc.pause.time", () => GC.GetTotalPauseDuration().TotalSeconds, "s",
            "Total time the runtime paused managed threads for garbage collections since start.");
        _meter.CreateObservableCounter("millrace.runtime.gc.collections", Collections, "{collection}",
            "Garbage collections since start, by generation (a gen 1 collection also counts under gen 0 in the runtime's own count; here each is counted once, by its highest generation).");
        _meter.CreateObservableCounter("millrace.runtime.allocated", () => GC.GetTotalAllocatedBytes(precise: false), "By",
            "Bytes allocated on the managed heap since start, all threads.");
        _meter.CreateObservableGauge("millrace.runtime.heap.size", () => GC.GetTotalMemory(forceFullCollection: false), "By",
            "Bytes currently thought to be allocated on the managed heap.");
    }

    private static IEnumerable<Measurement<long>> Collections()
    {
        // CollectionCount(n) counts every collection of generation n or higher; report each collection once.
        long gen2 = GC.CollectionCount(2), gen1 = GC.CollectionCount(1), gen0 = GC.CollectionCount(0);
        yield return new Measurement<long>(gen0 - gen1, new KeyValuePair<string, object?>("generation", "gen0"));
        yield return new Measurement<long>(gen1 - gen2, new KeyValuePair<string, object?>("generation", "gen1"));
        yield return new Measurement<long>(gen2, new KeyValuePair<string, object?>("generation", "gen2"));
    }

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}
