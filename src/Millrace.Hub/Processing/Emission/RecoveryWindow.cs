using Millrace.Core.Events;
using Millrace.Log;

namespace Millrace.Hub.Processing.Emission;

/// <summary>
/// Makes re-emission after a crash idempotent. A shard checkpoint is only written once every event the shard emitted
/// before it is durable, and it records the log's next offsets at that moment; so the only facts a restarted shard can
/// emit a second time are rule events appended after its checkpoint. At start the hub reads the log from the oldest
/// checkpoint's offsets to the tail and keeps those facts' ids here; the emitter drops a fact whose id is among them.
/// </summary>
/// <remarks>
/// <para>The window stays open until every shard's watermark has passed the newest fact time of its own facts in the
/// window (it has re-processed past the samples that produced them, so it cannot find them again). While it is open,
/// checkpoints record the window's start offsets instead of the tail, so a crash during recovery reopens at least the
/// same window.</para>
/// <para>Cost: one read of the log since the last checkpoint at start (about a checkpoint interval's worth of events)
/// and a set of the rule events' ids in memory while recovering. Nothing on the hot path; the log needs no unique index.</para>
/// </remarks>
public sealed class RecoveryWindow
{
    private readonly Lock _gate = new();
    private HashSet<string>? _ids;
    private long[] _from = [];
    private long[] _newestFactOfShard = [];

    /// <summary>An empty, closed window (a fresh data folder, or tests).</summary>
    public RecoveryWindow() { }

    /// <summary>Ids still held (0 once closed).</summary>
    public int Count { get { lock (_gate) return _ids?.Count ?? 0; } }

    /// <summary>True while ids are held.</summary>
    public bool IsOpen { get { lock (_gate) return _ids is not null; } }

    /// <summary>
    /// Reads every record from <paramref name="fromOffsets"/> (per partition) to the tail and opens the window with
    /// the ids of the rule events among them. <paramref name="shardOfSubject"/> maps an event's subject (its asset id)
    /// to the shard that owns it, or -1.
    /// </summary>
    public async Task OpenAsync(IEventLog log, IReadOnlyList<long> fromOffsets, int shards, Func<string, int> shardOfSubject,
        CancellationToken cancellationToken = default)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var newest = new long[shards];
        Array.Fill(newest, long.MinValue);
        for (int p = 0; p < log.PartitionCount; p++)
        {
            long offset = p < fromOffsets.Count ? fromOffsets[p] : 0;
            while (true)
            {
                var page = await log.ReadAsync(p, offset, 1024, cancellationToken).ConfigureAwait(false);
                if (page.Count == 0) break;
                foreach (var entry in page)
                {
                    if (!IsRuleEvent(entry.Record.Payload.Span)) continue;
                    var e = CloudEventJsonReader.Parse(entry.Record.Payload.Span);
                    ids.Add(e.Id);
                    int shard = e.Subject is { } subject ? shardOfSubject(subject) : -1;
                    long time = (e.Time ?? entry.Record.Timestamp).ToUnixTimeMilliseconds();
                    if (shard < 0) Array.Fill(newest, Math.Max(newest.Max(), time)); // unknown owner: every shard must pass it
                    else newest[shard] = Math.Max(newest[shard], time);
                }
                offset = page[^1].Position.Offset + 1;
            }
        }
        lock (_gate)
        {
            _ids = ids.Count > 0 ? ids : null;
            _from = [.. fromOffsets];
            _newestFactOfShard = newest;
        }
    }

    /// <summary>True when <paramref name="id"/> was appended after the checkpoint the shards restarted from.</summary>
    public bool AlreadyAppended(string id)
    {
        lock (_gate) return _ids is not null && _ids.Contains(id);
    }

    /// <summary>
    /// The offsets a shard checkpoint taken now must record: the log's <paramref name="tail"/>, or while the window is
    /// open, the window's start (facts in it may still be found again after another crash).
    /// </summary>
    public long[] CheckpointOffsets(long[] tail)
    {
        lock (_gate)
        {
            if (_ids is null) return tail;
            var offsets = new long[tail.Length];
            for (int p = 0; p < tail.Length; p++) offsets[p] = p < _from.Length ? Math.Min(tail[p], _from[p]) : tail[p];
            return offsets;
        }
    }

    /// <summary>A shard's watermark moved: once every shard is past its newest fact in the window, the window closes.</summary>
    public void ShardAt(int shard, long watermarkMs)
    {
        lock (_gate)
        {
            if (_ids is null || shard >= _newestFactOfShard.Length || _newestFactOfShard[shard] == long.MinValue) return;
            if (watermarkMs > _newestFactOfShard[shard]) _newestFactOfShard[shard] = long.MinValue;
            if (_newestFactOfShard.All(t => t == long.MinValue)) _ids = null;
        }
    }

    private static bool IsRuleEvent(ReadOnlySpan<byte> payload)
        => payload.IndexOf("\"source\":\"millrace://rules/"u8) >= 0;
}
