using System.Buffers;
using System.Diagnostics;
using Millrace.Core;
using Millrace.Hub.Processing.Checkpoints;
using Millrace.Hub.Processing.Rules;
using Millrace.Hub.Processing.Telemetry;

namespace Millrace.Hub.Processing.Execution;

/// <summary>
/// One shard's rules as the pipeline drives them, always on that shard's worker: samples in, watermark moves, facts
/// out to the emitter, checkpoints. Facts found while a batch is processed are collected here (the engine's sink) and
/// queued for the log after the batch, so the per-sample path only calls the engine.
/// </summary>
internal sealed class ShardRules : IRuleEventSink
{
    private readonly int _shard;
    private readonly IShardRuleEngine _engine;
    private readonly RulesExecution _execution;
    private readonly List<RuleEvent> _found = [];
    private readonly long _latenessMs;
    private readonly long _idleMs;
    private long _maxEventTime = long.MinValue;
    private long _watermark = long.MinValue;
    private long _lastArrivalMs;

    public ShardRules(int shard, IShardRuleEngine engine, RulesExecution execution)
    {
        _shard = shard;
        _engine = engine;
        _execution = execution;
        _latenessMs = (long)execution.Options.AllowedLateness.TotalMilliseconds;
        _idleMs = (long)execution.Options.IdleTimeout.TotalMilliseconds;
        _lastArrivalMs = NowMs();
    }

    /// <summary>The shard's watermark (Unix ms), <see cref="long.MinValue"/> before the first sample.</summary>
    public long Watermark => Volatile.Read(ref _watermark);

    /// <summary>True when this shard was restored from a checkpoint at start.</summary>
    public bool Restored { get; private set; }

    void IRuleEventSink.Emit(RuleEvent ruleEvent) => _found.Add(ruleEvent);

    /// <summary>Restores the engine and the shard's event time from a checkpoint.</summary>
    public void Restore(ShardCheckpoint checkpoint)
    {
        _engine.RestoreCheckpoint(checkpoint.State);
        _maxEventTime = checkpoint.MaxEventTimeMs;
        Volatile.Write(ref _watermark, checkpoint.WatermarkMs);
        Restored = true;
    }

    /// <summary>One sample of an asset this shard owns.</summary>
    public void OnSample(in TelemetrySample sample)
    {
        _engine.OnSample(sample, this);
        if (sample.TimestampMs > _maxEventTime) _maxEventTime = sample.TimestampMs;
    }

    /// <summary>
    /// After a batch: move the watermark by event time and queue what was found (waiting if the log is behind).
    /// <paramref name="arrivedTimestamp"/> and <paramref name="takenTimestamp"/> are the <see cref="Stopwatch"/> times
    /// the batch arrived and this shard took it from its queue (for the latency split by stage).
    /// </summary>
    public ValueTask AfterBatchAsync(long samples, Activity? activity, ActivityContext parent, long arrivedTimestamp, long takenTimestamp)
    {
        if (samples > 0)
        {
            _lastArrivalMs = NowMs();
            Advance(_maxEventTime - _latenessMs);
        }
        return _found.Count == 0 ? ValueTask.CompletedTask : QueueFoundAsync(TraceParentOf(activity, parent), arrivedTimestamp, takenTimestamp);
    }

    /// <summary>A wall-clock tick: a shard silent for the idle timeout moves its watermark on by the time it has been silent.</summary>
    public ValueTask TickAsync()
    {
        if (_maxEventTime != long.MinValue)
        {
            long idle = NowMs() - _lastArrivalMs;
            if (idle >= _idleMs) Advance(_maxEventTime + idle - _latenessMs);
        }
        return _found.Count == 0 ? ValueTask.CompletedTask : QueueFoundAsync(null, 0, 0);
    }

    private ArrayBufferWriter<byte>? _checkpointState;

    /// <summary>
    /// Writes the shard's checkpoint once every fact it emitted is durable, recording the log's next offsets at that
    /// moment (nothing this shard emits later can sit below them).
    /// </summary>
    public async Task CheckpointAsync()
    {
        if (_found.Count > 0) await QueueFoundAsync(null, 0, 0).ConfigureAwait(false);
        if (_execution.Store is not { } store) return;
        await _execution.Emitter.FlushAsync().ConfigureAwait(false);
        var info = await _execution.Log.GetInfoAsync().ConfigureAwait(false);
        var state = _checkpointState ??= new ArrayBufferWriter<byte>(1024); // reused: only this shard's worker checkpoints
        state.ResetWrittenCount();
        _engine.WriteCheckpoint(state);
        long[] offsets = _execution.Recovery.CheckpointOffsets([.. info.Partitions.Select(p => p.NextOffset)]);
        store.Save(new ShardCheckpoint(_shard, _execution.ShardCount, _maxEventTime, _watermark, offsets, state.WrittenSpan.ToArray(),
            _execution.Options.Time.GetUtcNow()));
        _execution.Metrics.Checkpoints.Add(1);
    }

    private void Advance(long watermark)
    {
        if (watermark <= _watermark) return;
        Volatile.Write(ref _watermark, watermark);
        _engine.AdvanceWatermark(watermark, this);
        _execution.Recovery.ShardAt(_shard, watermark);
    }

    private async ValueTask QueueFoundAsync(string? traceParent, long arrivedTimestamp, long takenTimestamp)
    {
        var emitter = _execution.Emitter;
        foreach (var fact in _found)
            await emitter.EnqueueAsync(emitter.ToCloudEvent(fact, traceParent), arrivedTimestamp, takenTimestamp).ConfigureAwait(false);
        _found.Clear();
    }

    private long NowMs() => _execution.Options.Time.GetUtcNow().ToUnixTimeMilliseconds();

    private static string? TraceParentOf(Activity? activity, ActivityContext parent)
    {
        if (TraceParentFormat.From(activity) is { } own) return own;
        if (parent == default) return null;
        string value = $"00-{parent.TraceId.ToHexString()}-{parent.SpanId.ToHexString()}-{(byte)parent.TraceFlags:x2}";
        return TraceParentFormat.IsValid(value) ? value : null;
    }
}
