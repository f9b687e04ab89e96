using System.Buffers;
using System.Diagnostics;
using System.Threading.Channels;
using Millrace.Hub.Observability;

namespace Millrace.Hub.Processing.Telemetry;

/// <summary>
/// Carries normalised samples from sources to per-asset processing. Each asset is owned by one shard
/// (<c>asset % shards</c>), so per-asset state needs no locks and per-asset order is the order of arrival.
/// Shard queues are bounded: when processing falls behind, <see cref="PostAsync"/> waits, and that wait reaches
/// the source (an HTTP client sees a slower response; an MQTT client sees later acknowledgements) instead of
/// the hub buffering without limit.
/// </summary>
public sealed class TelemetryPipeline : IAsyncDisposable
{
    private readonly Channel<SampleBatch>[] _shards;
    private readonly Task[] _workers;
    private readonly long[] _processedPerShard;
    private readonly double[] _lastValue;
    private readonly long[] _lastTimestamp;

    /// <summary>Starts <paramref name="shardCount"/> shard workers, each with a queue of <paramref name="queueCapacity"/> batches.</summary>
    public TelemetryPipeline(TelemetryCatalog catalog, int shardCount = 0, int queueCapacity = 256)
    {
        if (queueCapacity < 1) throw new ArgumentOutOfRangeException(nameof(queueCapacity), queueCapacity, "must be at least 1");
        Catalog = catalog;
        int shards = shardCount > 0 ? shardCount : Math.Max(1, Environment.ProcessorCount);
        _shards = new Channel<SampleBatch>[shards];
        _workers = new Task[shards];
        _processedPerShard = new long[shards * 8]; // one cache line per shard's counter
        _lastValue = new double[catalog.SignalCount];
        _lastTimestamp = new long[catalog.SignalCount];
        for (int i = 0; i < shards; i++)
        {
            _shards[i] = Channel.CreateBounded<SampleBatch>(new BoundedChannelOptions(queueCapacity)
            {
                SingleReader = true,
                FullMode = BoundedChannelFullMode.Wait,
            });
            int shard = i;
            _workers[i] = Task.Run(() => RunShardAsync(shard));
        }
    }

    /// <summary>The catalogue samples refer to.</summary>
    public TelemetryCatalog Catalog { get; }

    /// <summary>Samples fully processed so far.</summary>
    public long Processed
    {
        get
        {
            long total = 0;
            for (int i = 0; i < _shards.Length; i++) total += Volatile.Read(ref _processedPerShard[i * 8]);
            return total;
        }
    }

    /// <summary>
    /// Hands a batch to the shards. Takes ownership of <paramref name="samples"/>, which must come from
    /// <see cref="ArrayPool{T}.Shared"/>; it is returned once every shard has processed its part.
    /// </summary>
    public async ValueTask PostAsync(TelemetrySample[] samples, int count, CancellationToken cancellationToken = default)
    {
        // The shards' activities join the trace of whoever posted the batch (the ingest request, an MQTT message).
        var batch = new SampleBatch(samples, count, _shards.Length, Activity.Current?.Context ?? default);
        for (int i = 0; i < _shards.Length; i++)
        {
            try
            {
                await _shards[i].Writer.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                for (int j = i; j < _shards.Length; j++) batch.Release(); // the shards that never got it
                throw;
            }
        }
    }

    /// <summary>Last value of a signal, in its declared unit, and its source time (Unix ms; 0 when never seen).</summary>
    public (double Value, long TimestampMs) LastOf(int signal) => (Volatile.Read(ref _lastValue[signal]), Volatile.Read(ref _lastTimestamp[signal]));

    /// <summary>Number of assets that have delivered at least one sample.</summary>
    public int AssetsReporting()
    {
        var seen = new bool[Catalog.AssetCount];
        int count = 0;
        for (int s = 0; s < _lastTimestamp.Length; s++)
        {
            if (Volatile.Read(ref _lastTimestamp[s]) == 0) continue;
            int asset = Catalog.AssetOfSignal(s);
            if (!seen[asset]) { seen[asset] = true; count++; }
        }
        return count;
    }

    private async Task RunShardAsync(int shard)
    {
        var reader = _shards[shard].Reader;
        int shards = _shards.Length;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var batch))
            {
                long mine = 0;
                var items = batch.Items;
                using var activity = HubTelemetry.ProcessingSource.StartActivity("process telemetry", ActivityKind.Internal, batch.Parent);
                activity?.SetTag("millrace.shard", shard);
                for (int i = 0; i < batch.Count; i++)
                {
                    ref readonly var s = ref items[i];
                    if (s.Asset % shards != shard) continue;
                    // Live state keeps the newest sample by source time: late arrivals don't roll it back.
                    if (s.TimestampMs >= _lastTimestamp[s.Signal])
                    {
                        _lastValue[s.Signal] = s.Value;
                        Volatile.Write(ref _lastTimestamp[s.Signal], s.TimestampMs);
                    }
                    mine++;
                }
                Volatile.Write(ref _processedPerShard[shard * 8], _processedPerShard[shard * 8] + mine);
                activity?.SetTag("millrace.samples", mine);
                batch.Release();
            }
        }
    }

    /// <summary>Stops accepting batches and waits until every queued sample is processed.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var shard in _shards) shard.Writer.TryComplete();
        await Task.WhenAll(_workers).ConfigureAwait(false);
    }

    private sealed class SampleBatch(TelemetrySample[] items, int count, int holders, ActivityContext parent)
    {
        public ActivityContext Parent { get; } = parent;
        private int _holders = holders;
        public TelemetrySample[] Items { get; } = items;
        public int Count { get; } = count;

        public void Release()
        {
            if (Interlocked.Decrement(ref _holders) == 0 && Items.Length > 0)
                ArrayPool<TelemetrySample>.Shared.Return(Items);
        }
    }
}
