using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Millrace.Core.Events;
using Millrace.Hub.DeadLetters;
using Millrace.Hub.Log;
using Millrace.Hub.Processing.Rules;
using Millrace.Hub.Processing.Telemetry;

namespace Millrace.Hub.Processing.Emission;

/// <summary>
/// The one way business facts found by rules reach the durable log. Shards turn each <see cref="RuleEvent"/> into a
/// CloudEvent (<see cref="ToCloudEvent"/>) and queue it (<see cref="EnqueueAsync(Millrace.Core.Events.CloudEvent, long, System.Threading.CancellationToken)"/>); a single appender drains the
/// bounded queue in groups, drops facts the log already holds from before a crash (<see cref="RecoveryWindow"/>),
/// passes every other event through <see cref="AdmitBeforeAppend"/> and appends the rest, waiting for durability.
/// When the log falls behind the queue fills and shards wait: nothing is dropped. <see cref="FlushAsync"/> is the
/// barrier checkpoints use: it completes once everything queued before it is durable.
/// </summary>
public sealed partial class RuleEventEmitter : IAsyncDisposable
{
    /// <summary>Prefix of the CloudEvent <c>source</c> of rule facts; the rule id follows.</summary>
    public const string SourcePrefix = "millrace://rules/";

    private const int MaxGroup = 512;
    private const int MaxInFlight = 4;
    private const int RecentCapacity = 16;

    private readonly BusinessEventLog _log;
    private readonly TelemetryCatalog _catalog;
    private readonly ProcessingMetrics _metrics;
    private readonly RecoveryWindow _recovery;
    private readonly Func<string, string?> _dataSchemaOf;
    private readonly ConcurrentDictionary<string, string?> _dataSchemas = new(StringComparer.Ordinal);
    private readonly SqliteDeadLetterStore? _deadLetters;
    private readonly Func<CloudEvent, string, ValueTask<bool>>? _admit;
    private readonly ILogger _logger;
    private readonly Channel<Pending> _queue;
    private readonly Channel<InFlight> _inFlight = Channel.CreateBounded<InFlight>(new BoundedChannelOptions(MaxInFlight) { SingleReader = true, SingleWriter = true });
    private readonly Task _appender;
    private readonly ConcurrentDictionary<string, long> _countsByType = new(StringComparer.Ordinal);
    private readonly Queue<CloudEvent> _recent = new();
    private readonly CancellationTokenSource _stopping = new();
    private long _appended, _suppressed;

    /// <summary>Starts the appender.</summary>
    /// <param name="log">Where events go.</param>
    /// <param name="catalog">Asset ids and plants of the facts' assets.</param>
    /// <param name="metrics">Processing meters.</param>
    /// <param name="recovery">Ids already in the log from before a crash.</param>
    /// <param name="dataSchemaOf">The registry URI of a type's current schema version, or null when unregistered.</param>
    /// <param name="deadLetters">Where an event the log refuses as malformed is kept (never silently lost).</param>
    /// <param name="logger">Logger.</param>
    /// <param name="capacity">Queued events before shards wait.</param>
    /// <param name="admit">The admission gate (event, source label) → may it be appended; null admits everything.</param>
    public RuleEventEmitter(BusinessEventLog log, TelemetryCatalog catalog, ProcessingMetrics metrics, RecoveryWindow recovery,
        Func<string, string?>? dataSchemaOf, SqliteDeadLetterStore? deadLetters, ILogger logger, int capacity = 4096,
        Func<CloudEvent, string, ValueTask<bool>>? admit = null)
    {
        _admit = admit;
        _log = log;
        _catalog = catalog;
        _metrics = metrics;
        _recovery = recovery;
        _dataSchemaOf = dataSchemaOf ?? (_ => null);
        _deadLetters = deadLetters;
        _logger = logger;
        _queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _appender = Task.WhenAll(Task.Run(RunAsync), Task.Run(CompleteAsync));
    }

    /// <summary>Events durably appended.</summary>
    public long Appended => Interlocked.Read(ref _appended);

    /// <summary>Re-emitted facts that were already in the log and were not appended again.</summary>
    public long Suppressed => Interlocked.Read(ref _suppressed);

    /// <summary>Events appended so far, by CloudEvent type.</summary>
    public IReadOnlyDictionary<string, long> CountsByType => _countsByType;

    /// <summary>The last few events appended, newest last.</summary>
    public IReadOnlyList<CloudEvent> Recent() { lock (_recent) return [.. _recent]; }

    [ThreadStatic] private static System.Buffers.ArrayBufferWriter<byte>? t_dataBuffer;
    [ThreadStatic] private static Utf8JsonWriter? t_dataWriter;

    /// <summary>
    /// The CloudEvent of a fact: id derived from its fact key (<see cref="FactId"/>), source
    /// <c>millrace://rules/{rule}</c>, subject the asset id, time the fact's event time, partition key (the fact's, else
    /// the asset), plant extension, dataschema of the type's registered version, and the trace of the batch that
    /// completed it.
    /// </summary>
    public CloudEvent ToCloudEvent(RuleEvent fact, string? traceParent)
    {
        string asset = _catalog.AssetId(fact.Asset);
        // A per-thread buffer and writer, reused (no growth by doubling per fact); the data is copied out at its size.
        var buffer = t_dataBuffer ??= new System.Buffers.ArrayBufferWriter<byte>(1024);
        var writer = t_dataWriter ??= new Utf8JsonWriter(buffer);
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        fact.Data.WriteTo(writer);
        writer.Flush();
        byte[] data = buffer.WrittenSpan.ToArray();
        return new CloudEvent
        {
            Id = FactId.For(fact.FactKey),
            Source = SourcePrefix + fact.RuleId,
            Type = fact.Type,
            Subject = asset,
            Time = DateTimeOffset.FromUnixTimeMilliseconds(fact.TimeMs),
            DataContentType = "application/json",
            DataSchema = _dataSchemas.GetOrAdd(fact.Type, _dataSchemaOf),
            DataKind = CloudEventDataKind.Json,
            Data = data,
            TraceParent = traceParent,
            PartitionKey = fact.PartitionKey ?? asset,
            Plant = _catalog.Plants[_catalog.PlantOf(fact.Asset)],
        };
    }

    /// <summary>
    /// Queues an event for the log. Waits while the queue is full (counted as back-pressure), so a shard never outruns
    /// the log. <paramref name="arrivedTimestamp"/> is the <see cref="Stopwatch"/> time its sample batch arrived (0: unknown).
    /// </summary>
    public ValueTask EnqueueAsync(CloudEvent cloudEvent, long arrivedTimestamp, CancellationToken cancellationToken = default)
        => EnqueueAsync(cloudEvent, arrivedTimestamp, 0, cancellationToken);

    /// <summary>
    /// Queues an event for the log, as <see cref="EnqueueAsync(CloudEvent, long, CancellationToken)"/>;
    /// <paramref name="shardTakenTimestamp"/> is the <see cref="Stopwatch"/> time the shard took the batch (0: unknown),
    /// so the event's latency can be split into stages (<see cref="ProcessingMetrics.EventStage"/>).
    /// </summary>
    public ValueTask EnqueueAsync(CloudEvent cloudEvent, long arrivedTimestamp, long shardTakenTimestamp, CancellationToken cancellationToken = default)
    {
        var pending = new Pending(cloudEvent, new FactTimes(arrivedTimestamp, shardTakenTimestamp, Stopwatch.GetTimestamp()), null);
        if (_queue.Writer.TryWrite(pending)) return ValueTask.CompletedTask;
        _metrics.BackPressureWaits.Add(1, new KeyValuePair<string, object?>("stage", "emission"));
        return _queue.Writer.WriteAsync(pending, cancellationToken);
    }

    /// <summary>Completes once every event queued before this call is durable in the log (or dropped as a known duplicate).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await _queue.Writer.WriteAsync(new Pending(null, default, done), cancellationToken).ConfigureAwait(false);
        await done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The admission gate: every rule event passes here, after de-duplication and before it is appended. False keeps
    /// the event out of the log; the gate has then quarantined it (the hub passes the governance gate's
    /// <c>AdmissionGate.ScreenAsync</c>). Without a gate every event is admitted (tests of execution alone).
    /// </summary>
    private ValueTask<bool> AdmitBeforeAppend(CloudEvent cloudEvent)
        => _admit is null ? ValueTask.FromResult(true) : _admit(cloudEvent, RuleSourceOf(cloudEvent));

    /// <summary>The gate's source label of a rule event: <c>rule:{ruleId}</c>.</summary>
    private static string RuleSourceOf(CloudEvent e)
        => e.Source.StartsWith(SourcePrefix, StringComparison.Ordinal) ? string.Concat("rule:", e.Source.AsSpan(SourcePrefix.Length)) : e.Source;

    /// <summary>
    /// Takes events off the queue in groups, gates them and hands each group to the log without waiting for the
    /// previous one to be durable: up to <see cref="MaxInFlight"/> groups are in flight, so a fact arriving while a
    /// group waits for its fsync is committed at once and rides the next fsync instead of queueing behind the whole
    /// append (measured: that wait was the emission-queue stage, about one append long). The log commits requests
    /// in the order they are handed over and acknowledges them in that order; <see cref="CompleteAsync"/> finishes
    /// groups and barriers strictly in order, so a barrier still completes only once everything before it is durable.
    /// </summary>
    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        var current = new InFlight();
        try
        {
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                while (current.Events.Count < MaxGroup && reader.TryRead(out var item))
                {
                    long took = Stopwatch.GetTimestamp();
                    if (item.Barrier is not null) { current.Barriers.Add(item.Barrier); continue; }
                    var e = item.Event!;
                    if (_recovery.AlreadyAppended(e.Id))
                    {
                        Interlocked.Increment(ref _suppressed);
                        _metrics.DuplicatesSuppressed.Add(1);
                        continue;
                    }
                    if (!await AdmitBeforeAppend(e).ConfigureAwait(false)) continue;
                    current.Events.Add(e);
                    current.Times.Add(item.Times with { AppenderTook = took });
                }
                if (current.Events.Count == 0 && current.Barriers.Count == 0) continue;
                if (current.Events.Count > 0)
                {
                    current.AppendStarted = Stopwatch.GetTimestamp();
                    current.Durable = AppendDurablyAsync(current.Events);
                }
                await _inFlight.Writer.WriteAsync(current).ConfigureAwait(false); // waits while MaxInFlight groups are not yet durable
                current = new InFlight();
            }
        }
        finally
        {
            _inFlight.Writer.TryComplete();
        }
    }

    /// <summary>Finishes groups in the order they were handed to the log: counts, latency, then their barriers.</summary>
    private async Task CompleteAsync()
    {
        var reader = _inFlight.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var done))
            {
                if (done.Durable is { } durable)
                {
                    long now;
                    try
                    {
                        now = await durable.ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is ObjectDisposedException or OperationCanceledException)
                    {
                        foreach (var b in done.Barriers) b.TrySetException(new ObjectDisposedException(nameof(RuleEventEmitter), "the event log closed before the events were appended"));
                        continue;
                    }
                    foreach (var e in done.Events) Count(e);
                    foreach (var times in done.Times)
                        if (times.Arrived != 0) RecordLatency(times, done.AppendStarted, now);
                }
                foreach (var b in done.Barriers) b.TrySetResult();
            }
        }
    }

    /// <summary>A group handed to the log (or only barriers), waiting to be finished in order.</summary>
    private sealed class InFlight
    {
        public readonly List<CloudEvent> Events = [];
        public readonly List<FactTimes> Times = [];
        public readonly List<TaskCompletionSource> Barriers = [];
        public long AppendStarted;
        public Task<long>? Durable;
    }

    private static readonly KeyValuePair<string, object?> ShardQueue = new("stage", "shard_queue"), Rules = new("stage", "rules"),
        EmissionQueue = new("stage", "emission_queue"), Gate = new("stage", "gate"), Append = new("stage", "append");

    /// <summary>The fact's sample-to-event latency, and its split by stage when the shard said when it took the batch.</summary>
    private void RecordLatency(FactTimes t, long appendStarted, long durable)
    {
        _metrics.EventLatency.Record(Stopwatch.GetElapsedTime(t.Arrived, durable).TotalSeconds);
        if (t.ShardTook == 0) return;
        _metrics.EventStage.Record(Stopwatch.GetElapsedTime(t.Arrived, t.ShardTook).TotalSeconds, ShardQueue);
        _metrics.EventStage.Record(Stopwatch.GetElapsedTime(t.ShardTook, t.Enqueued).TotalSeconds, Rules);
        _metrics.EventStage.Record(Stopwatch.GetElapsedTime(t.Enqueued, t.AppenderTook).TotalSeconds, EmissionQueue);
        _metrics.EventStage.Record(Stopwatch.GetElapsedTime(t.AppenderTook, appendStarted).TotalSeconds, Gate);
        _metrics.EventStage.Record(Stopwatch.GetElapsedTime(appendStarted, durable).TotalSeconds, Append);
    }

    private void Count(CloudEvent e)
    {
        Interlocked.Increment(ref _appended);
        _countsByType.AddOrUpdate(e.Type, 1, (_, n) => n + 1);
        _metrics.EventsEmitted.Add(1, new KeyValuePair<string, object?>("type", e.Type));
        lock (_recent)
        {
            _recent.Enqueue(e);
            while (_recent.Count > RecentCapacity) _recent.Dequeue();
        }
    }

    /// <summary>Appends the group, retrying transient failures until it is durable; events the log refuses as malformed go to the dead letters.</summary>
    /// <returns>The <see cref="Stopwatch"/> time the group was durable.</returns>
    private async Task<long> AppendDurablyAsync(List<CloudEvent> group)
    {
        var delay = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            try
            {
                await _log.AppendAsync(group, _stopping.Token).ConfigureAwait(false);
                return Stopwatch.GetTimestamp();
            }
            catch (ArgumentException)
            {
                // One malformed event must not hold back the rest: append one by one, in order, and keep the refused ones.
                var refused = new List<CloudEvent>();
                foreach (var e in group)
                {
                    try { await _log.AppendAsync([e], _stopping.Token).ConfigureAwait(false); }
                    catch (ArgumentException one)
                    {
                        refused.Add(e);
                        LogRefused(_logger, e.Type, e.Id, one.Message);
                        if (_deadLetters is not null)
                            await _deadLetters.StoreAsync("rules", one.Message, null, CloudEventMediaTypes.Structured,
                                CloudEventJsonWriter.Serialize(e), null).ConfigureAwait(false);
                    }
                }
                group.RemoveAll(refused.Contains);
                return Stopwatch.GetTimestamp();
            }
            catch (Exception ex) when (ex is not ObjectDisposedException and not OperationCanceledException)
            {
                LogAppendFailed(_logger, group.Count, delay.TotalMilliseconds, ex);
                await Task.Delay(delay, _stopping.Token).ConfigureAwait(false);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 5000));
            }
        }
    }

    /// <summary>Stops taking events and waits (up to 30 s) until everything queued is appended.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            try { await _appender.WaitAsync(timeout.Token).ConfigureAwait(false); }
            catch (TimeoutException) { }
            catch (OperationCanceledException) { }
        }
        await _stopping.CancelAsync().ConfigureAwait(false);
        try { await _appender.ConfigureAwait(false); } catch (OperationCanceledException) { }
        _stopping.Dispose();
    }

    private sealed record Pending(CloudEvent? Event, FactTimes Times, TaskCompletionSource? Barrier);

    /// <summary><see cref="Stopwatch"/> times of one fact on its way to the log (0: unknown).</summary>
    private readonly record struct FactTimes(long Arrived, long ShardTook, long Enqueued, long AppenderTook = 0);

    [LoggerMessage(Level = LogLevel.Error, Message = "The log refused rule event {Type} {Id}: {Reason}; kept as a dead letter")]
    private static partial void LogRefused(ILogger logger, string type, string id, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Appending {Count} rule event(s) failed; retrying in {DelayMs} ms")]
    private static partial void LogAppendFailed(ILogger logger, int count, double delayMs, Exception exception);
}
