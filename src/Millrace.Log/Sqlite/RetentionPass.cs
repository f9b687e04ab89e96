using SQLitePCL;

namespace Millrace.Log.Sqlite;

/// <summary>
/// Deletes records from the head of partitions inside the writer's transaction: first everything older than the
/// maximum age, then, if the log is still larger than the maximum size, the globally oldest records (by append time,
/// ties broken by partition number then offset) until it fits. Because append times are non-decreasing along a
/// partition, "older than T" is always a prefix of a partition, found by binary search on the time. Chunk rows wholly
/// below the new start are deleted; a chunk the cut falls into is kept until its last record expires, its expired head
/// hidden behind the partition's start offset (so size retention is exact in logical bytes, not in file bytes).
/// </summary>
internal sealed class RetentionPass : IDisposable
{
    private readonly ChunkLookup _lookup;
    private readonly RawStatement _delete;

    public RetentionPass(sqlite3 db)
    {
        _lookup = new ChunkLookup(db);
        _delete = new RawStatement(db, "DELETE FROM log_chunks WHERE id >= ?1 AND id < ?2;");
    }

    /// <summary>Applies <paramref name="policy"/>; updates <paramref name="extents"/> to the new starts.</summary>
    public RetentionResult Run(PartitionExtent[] extents, RetentionPolicy policy, long nowTicks)
    {
        var cuts = new long[extents.Length];
        for (int p = 0; p < extents.Length; p++) cuts[p] = extents[p].StartOffset;

        if (policy.MaxAge is { } maxAge)
        {
            long cutoff = nowTicks - maxAge.Ticks;
            for (int p = 0; p < extents.Length; p++) cuts[p] = FirstAtOrAfter(p, extents[p], cutoff);
        }

        if (policy.MaxBytes is { } maxBytes)
            CutToSize(extents, cuts, maxBytes);

        long deletedRecords = 0, deletedBytes = 0;
        for (int p = 0; p < extents.Length; p++)
        {
            ref PartitionExtent e = ref extents[p];
            if (cuts[p] <= e.StartOffset) continue;
            long newStartByte = BytePos(p, e, cuts[p]);
            // Whole chunks below the cut go; a chunk the cut falls into stays, its head hidden behind the new start.
            long keepFrom = _lookup.TryFind(p, cuts[p], out var holding) ? holding.FirstOffset : cuts[p];
            _delete.Bind(1, RecordKey.Start(p));
            _delete.Bind(2, RecordKey.Of(p, keepFrom));
            _delete.Execute();
            deletedRecords += cuts[p] - e.StartOffset;
            deletedBytes += newStartByte - e.StartByte;
            e = e with { StartOffset = cuts[p], StartByte = newStartByte };
        }

        return new RetentionResult(deletedRecords, deletedBytes);
    }

    /// <summary>Moves the cuts forward so that the bytes left after them are at most <paramref name="maxBytes"/>.</summary>
    private void CutToSize(PartitionExtent[] extents, long[] cuts, long maxBytes)
    {
        long retained = 0;
        long oldest = long.MaxValue, newest = long.MinValue;
        for (int p = 0; p < extents.Length; p++)
        {
            var e = extents[p];
            retained += e.NextByte - BytePos(p, e, cuts[p]);
            if (cuts[p] < e.NextOffset)
            {
                oldest = Math.Min(oldest, AppendedAt(p, cuts[p]));
                newest = Math.Max(newest, e.LastAppendedAtTicks);
            }
        }

        long need = retained - maxBytes;
        if (need <= 0) return;

        // Smallest time T such that deleting every record appended before T frees at least `need` bytes.
        long lo = oldest, hi = newest + 1; // freed(lo) == 0 < need <= freed(hi) == retained
        while (hi - lo > 1)
        {
            long mid = lo + (hi - lo) / 2;
            if (FreedBefore(extents, cuts, mid) >= need) hi = mid; else lo = mid;
        }

        // Everything before T-1 goes; of the records appended exactly at T-1, only a prefix (partition by partition).
        long tie = hi - 1;
        long remaining = need - FreedBefore(extents, cuts, tie);
        for (int p = 0; p < extents.Length; p++)
        {
            var e = extents[p];
            long tieStart = FirstAtOrAfter(p, e, tie, cuts[p]);
            long tieEnd = FirstAtOrAfter(p, e, tie + 1, cuts[p]);
            cuts[p] = tieStart;
            if (remaining <= 0 || tieEnd == tieStart) continue;
            long startByte = BytePos(p, e, tieStart);
            if (BytePos(p, e, tieEnd) - startByte <= remaining)
            {
                remaining -= BytePos(p, e, tieEnd) - startByte;
                cuts[p] = tieEnd;
                continue;
            }

            long a = tieStart + 1, b = tieEnd; // smallest c in (tieStart, tieEnd] freeing enough
            while (a < b)
            {
                long c = a + (b - a) / 2;
                if (BytePos(p, e, c) - startByte >= remaining) b = c; else a = c + 1;
            }

            cuts[p] = a;
            remaining = 0;
        }
    }

    private long FreedBefore(PartitionExtent[] extents, long[] cuts, long ticks)
    {
        long freed = 0;
        for (int p = 0; p < extents.Length; p++)
        {
            var e = extents[p];
            if (cuts[p] >= e.NextOffset) continue;
            freed += BytePos(p, e, FirstAtOrAfter(p, e, ticks, cuts[p])) - BytePos(p, e, cuts[p]);
        }

        return freed;
    }

    private long FirstAtOrAfter(int partition, PartitionExtent e, long ticks, long from = -1)
    {
        long lo = Math.Max(from, e.StartOffset), hi = e.NextOffset;
        while (lo < hi)
        {
            long mid = lo + (hi - lo) / 2;
            if (AppendedAt(partition, mid) >= ticks) hi = mid; else lo = mid + 1;
        }

        return lo;
    }

    private long AppendedAt(int partition, long offset) =>
        _lookup.AppendedAt(partition, offset)
        ?? throw new InvalidOperationException($"Event log record {partition}:{offset} is missing inside the retained range.");

    private long BytePos(int partition, PartitionExtent e, long offset) => _lookup.BytePos(partition, e, offset);

    public void Dispose()
    {
        _lookup.Dispose();
        _delete.Dispose();
    }
}
