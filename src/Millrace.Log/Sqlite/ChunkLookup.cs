using SQLitePCL;

namespace Millrace.Log.Sqlite;

/// <summary>The chunk row holding a given offset: its first offset, record count, append time and first byte position.</summary>
internal readonly record struct ChunkInfo(long FirstOffset, int Count, long AppendedAtTicks, long BytePos);

/// <summary>
/// Point lookups by offset over <c>log_chunks</c> on one connection: which chunk holds an offset, when it was
/// appended, and the logical byte position of an offset (which may need a walk inside the chunk).
/// </summary>
internal sealed class ChunkLookup : IDisposable
{
    private readonly RawStatement _containing, _data;

    public ChunkLookup(sqlite3 db)
    {
        _containing = new RawStatement(db,
            "SELECT id, record_count, appended_at, byte_pos FROM log_chunks WHERE id <= ?1 AND id >= ?2 ORDER BY id DESC LIMIT 1;");
        _data = new RawStatement(db, "SELECT data FROM log_chunks WHERE id = ?1;");
    }

    /// <summary>The chunk holding <paramref name="offset"/>, or false when no stored chunk holds it.</summary>
    public bool TryFind(int partition, long offset, out ChunkInfo chunk)
    {
        _containing.Bind(1, RecordKey.Of(partition, offset));
        _containing.Bind(2, RecordKey.Start(partition));
        try
        {
            if (_containing.Step())
            {
                chunk = new ChunkInfo(RecordKey.OffsetOf(_containing.Int64(0)), (int)_containing.Int64(1), _containing.Int64(2), _containing.Int64(3));
                if (offset < chunk.FirstOffset + chunk.Count) return true;
            }

            chunk = default;
            return false;
        }
        finally
        {
            _containing.Reset();
        }
    }

    /// <summary>Append time of the record at <paramref name="offset"/>, or null when it is not stored.</summary>
    public long? AppendedAt(int partition, long offset) =>
        TryFind(partition, offset, out var chunk) ? chunk.AppendedAtTicks : null;

    /// <summary>Logical byte position of <paramref name="offset"/> (of the partition's end when it equals next).</summary>
    public long BytePos(int partition, in PartitionExtent extent, long offset)
    {
        if (offset >= extent.NextOffset) return extent.NextByte;
        if (offset == extent.StartOffset) return extent.StartByte;
        if (!TryFind(partition, offset, out var chunk))
            throw new InvalidOperationException($"Event log record {partition}:{offset} is missing inside the retained range.");
        if (offset == chunk.FirstOffset) return chunk.BytePos;

        _data.Bind(1, RecordKey.Of(partition, chunk.FirstOffset));
        try
        {
            if (!_data.Step()) throw new InvalidOperationException($"Event log chunk {partition}:{chunk.FirstOffset} vanished.");
            var reader = new ChunkFormat.Reader(_data.Bytes(0));
            long position = chunk.BytePos;
            for (long o = chunk.FirstOffset; o < offset && reader.MoveNext(); o++) position += reader.Size;
            return position;
        }
        finally
        {
            _data.Reset();
        }
    }

    public void Dispose()
    {
        _containing.Dispose();
        _data.Dispose();
    }
}
