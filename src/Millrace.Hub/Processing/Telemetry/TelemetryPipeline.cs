using System.Buffers;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Millrace.Hub.Observability;
using Millrace.Hub.Processing.Execution;

namespace Millrace.Hub.Processing.Telemetry;

/// <summary>
/// Carries normalised samples from sources to per-asset processing. Each asset is owned by one shard
/// (<c>asset % shards</c>), so per-asset state needs no locks and per-asset order is the order of arrival.
/// Shard queues are bounded: when processing falls behind, <see cref="PostAsync"/> waits, and that wait reaches
/// the source (an HTTP client sees a slower response; an MQTT client sees later acknowledgements) instead of
/// the hub buffering without limit.
/// With <see cref="RulesExecution"/> each shard also runs its rules engine on its own worker: samples, watermark moves
/// (by event time after each batch, by wall clock on idle ticks) and checkpoints all pass through the shard's queue,
/// so the engine is only ever touched by one thread.
/// </summary>
public sealed class TelemetryPipeline : IAsyncDisposable
{
    private readonly Channel<SampleBatch>[] _shards;
    private readonly Task[] _workers;
    private readonly long[] _processedPerShard;
    private readonly double[] _lastValue;
    private readonly long[] _lastTimestamp;
    private readonly RulesExecution? _rules;
    private readonly ProcessingMetrics? _metrics;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _clock = Task.CompletedTask;
    private Task? _disposal;

    /// <summary>
    /// Starts <paramref name="shardCount"/> shard workers, each with a queue of <paramref name="queueCapacity"/> batches;
    /// with <paramref name="rules"/> (whose shard count must match) every shard runs its rules, ticks and checkpoints.
    /// </summary>
    public TelemetryPipeline(TelemetryCatalog catalog, int shardCount = 0, int queueCapacity = 256, RulesExecution? rules = null, ProcessingMetrics? metrics = null)
    {
        if (rules is not null && shardCount != rules.ShardCount)
            throw new ArgumentException($"the pipeline has {shardCount} shards but the rules were prepared for {rules.ShardCount}", nameof(shardCount));
        _rules = rules;
        _metrics = metrics ?? rules?.Metrics;
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
        _metrics?.ObserveQueueDepth(() => _shards.Select((c, i) => new Measurement<long>(c.Reader.Count, new KeyValuePair<string, object?>("shard", i))));
        if (rules is not null)
        {
            // A shard that starts without state checkpoints at once: from here on its facts can be told apart from older ones.
            for (int i = 0; i < shards; i++)
                if (!rules.Shards[i].Restored && rules.Store is not null) _shards[i].Writer.TryWrite(SampleBatch.Control(ControlKind.Checkpoint, shards));
            _clock = Task.Run(() => RunClockAsync(rules));
        }
    }

    /// <summary>The rules execution, when the pipeline runs rules.</summary>
    public RulesExecution? Rules => _rules;

    /// <summary>Number of shards.</summary>
    public int ShardCount => _shards.Length;

    /// <summary>Batches waiting in each shard's queue.</summary>
    public int QueueDepth(int shard) => _shards[shard].Reader.Count;

    /// <summary>Checkpoints every shard now (after the samples already queued); completes once all are saved.</summary>
    public Task CheckpointAsync(CancellationToken cancellationToken = default) => ControlAllAsync(ControlKind.Checkpoint, cancellationToken);

    /// <summary>Runs one idle tick on every shard now, as the clock does every <see cref="ProcessingOptions.TickInterval"/>.</summary>
    public Task TickAsync(CancellationToken cancellationToken = default) => ControlAllAsync(ControlKind.Tick, cancellationToken);

    private async Task ControlAllAsync(ControlKind kind, CancellationToken cancellationToken)
    {
        var control = SampleBatch.Control(kind, _shards.Length);
        for (int i = 0; i < _shards.Length; i++) await _shards[i].Writer.WriteAsync(control, cancellationToken).ConfigureAwait(false);
        await control.Done!.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Idle ticks and periodic checkpoints, on the options' clock.</summary>
    private async Task RunClockAsync(RulesExecution rules)
    {
        var options = rules.Options;
        var time = options.Time;
        var nextCheckpoint = time.GetUtcNow() + options.CheckpointInterval;
        try
        {
            while (!_stopping.IsCancellationRequested)
            {
                await Task.Delay(options.TickInterval, time, _stopping.Token).ConfigureAwait(false);
                if (time.GetUtcNow() >= nextCheckpoint)
                {
                    nextCheckpoint = time.GetUtcNow() + options.CheckpointInterval;
                    if (rules.Store is not null) await ControlAllAsync(ControlKind.Checkpoint, _stopping.Token).ConfigureAwait(false);
                }
                // A busy shard moves by event time anyway: skip it rather than wait for room.
                var tick = SampleBatch.Control(ControlKind.Tick, _shards.Length);
                for (int i = 0; i < _shards.Length; i++)
                    if (!_shards[i].Writer.TryWrite(tick)) tick.Release();
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (ChannelClosedException)
        {
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
    /// <see cref="TelemetrySamplePool.Shared"/> (or <see cref="ArrayPool{T}.Shared"/>); it is returned to the former once every
    /// shard has processed its part.
    /// </summary>
    public async ValueTask PostAsync(TelemetrySample[] samples, int count, CancellationToken cancellationToken = default)
    {
        // The shards' activities join the trace of whoever posted the batch (the ingest request, an MQTT message).
        var batch = new SampleBatch(samples, count, _shards.Length, Activity.Current?.Context ?? default, Stopwatch.GetTimestamp());
        for (int i = 0; i < _shards.Length; i++)
        {
            try
            {
                if (_shards[i].Writer.TryWrite(batch)) continue;
                _metrics?.BackPressureWaits.Add(1, new KeyValuePair<string, object?>("stage", "shard"));
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
        var rules = _rules?.Shards[shard];
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var batch))
            {
                if (batch.Kind != ControlKind.None)
                {
                    await RunControlAsync(rules, batch).ConfigureAwait(false);
                    continue;
                }
                long taken = Stopwatch.GetTimestamp();
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
                    rules?.OnSample(in s);
                    mine++;
                }
                if (rules is not null) await rules.AfterBatchAsync(mine, activity, batch.Parent, batch.ArrivedTimestamp, taken).ConfigureAwait(false);
                Volatile.Write(ref _processedPerShard[shard * 8], _processedPerShard[shard * 8] + mine);
                activity?.SetTag("millrace.samples", mine);
                batch.Release();
            }
        }
    }

    private static async Task RunControlAsync(ShardRules? rules, SampleBatch control)
    {
        try
        {
            if (rules is not null)
            {
                if (control.Kind == ControlKind.Tick) await rules.TickAsync().ConfigureAwait(false);
                else await rules.CheckpointAsync().ConfigureAwait(false);
            }
            control.Release();
        }
        catch (Exception ex)
        {
            control.Fail(ex); // the caller sees why; the shard keeps running
        }
    }

    /// <summary>Stops accepting batches and waits until every queued sample is processed.</summary>
    /// <remarks>With rules, every shard then writes a last checkpoint once its facts are durable.</remarks>
    public ValueTask DisposeAsync()
    {
        // Idempotent: the host and its service container may both dispose the pipeline.
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = Interlocked.CompareExchange(ref _disposal, first.Task, null);
        if (running is not null) return new ValueTask(running);
        _ = DisposeOnceAsync().ContinueWith(t =>
        {
            if (t.Exception is { } e) first.TrySetException(e.InnerExceptions);
            else first.TrySetResult();
        }, TaskScheduler.Default);
        return new ValueTask(first.Task);
    }

    private async Task DisposeOnceAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _clock.ConfigureAwait(false);
        if (_rules?.Store is not null)
        {
            var last = SampleBatch.Control(ControlKind.Checkpoint, _shards.Length);
            foreach (var shard in _shards)
                if (!shard.Writer.TryWrite(last)) { try { await shard.Writer.WriteAsync(last).ConfigureAwait(false); } catch (ChannelClosedException) { last.Release(); } }
        }
        foreach (var shard in _shards) shard.Writer.TryComplete();
        await Task.WhenAll(_workers).ConfigureAwait(false);
        _stopping.Dispose();
    }

    private enum ControlKind { None, Tick, Checkpoint }

    private sealed class SampleBatch(TelemetrySample[] items, int count, int holders, ActivityContext parent, long arrivedTimestamp)
    {
        public ActivityContext Parent { get; } = parent;
        private int _holders = holders;
        public TelemetrySample[] Items { get; } = items;
        public int Count { get; } = count;
        public long ArrivedTimestamp { get; } = arrivedTimestamp;
        public ControlKind Kind { get; private init; }
        public TaskCompletionSource? Done { get; private init; }

        /// <summary>A control message every shard handles once; <see cref="Done"/> completes when the last has.</summary>
        public static SampleBatch Control(ControlKind kind, int shards) => new([], 0, shards, default, 0)
        {
            Kind = kind,
            Done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously),
        };

        public void Release()
        {
            if (Interlocked.Decrement(ref _holders) != 0) return;
            if (Items.Length > 0) TelemetrySamplePool.Shared.Return(Items);
            Done?.TrySetResult();
        }

        public void Fail(Exception exception)
        {
            Done?.TrySetException(exception);
            Release();
        }
    }
}
