using System.Text;
using Microsoft.Data.Sqlite;

namespace Millrace.Log.Sqlite;

/// <summary>
/// A read-only connection with its prepared statements. WAL lets any number of these read while the writer commits;
/// each statement sees the last commit that completed before it started.
/// </summary>
internal sealed class ReaderSession : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly RawStatement _chunks, _checkpoint;
    private readonly ChunkLookup _lookup;

    public ReaderSession(string path)
    {
        _connection = SqliteSchema.OpenConnection(path, readOnly: false);
        try
        {
            SqliteSchema.Exec(_connection, "PRAGMA query_only=1; PRAGMA mmap_size=268435456; PRAGMA cache_size=-8192;");
            var db = _connection.Handle!;
            _chunks = new RawStatement(db, "SELECT id, appended_at, data FROM log_chunks WHERE id >= ?1 AND id < ?2 ORDER BY id;");
            _checkpoint = new RawStatement(db, "SELECT next_offset FROM log_checkpoints WHERE consumer_group = ?1 AND part = ?2;");
            _lookup = new ChunkLookup(db);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Up to <paramref name="maxCount"/> entries from <paramref name="fromOffset"/> (already clamped to the partition start).</summary>
    public List<LogEntry> ReadPage(int partition, long fromOffset, int maxCount)
    {
        var entries = new List<LogEntry>(Math.Min(maxCount, 1024));
        // Keys and types repeat along a partition: reuse the previous string when the bytes are the same.
        var keyCache = new Utf8StringCache();
        var typeCache = new Utf8StringCache();
        long firstKey = _lookup.TryFind(partition, fromOffset, out var holding)
            ? RecordKey.Of(partition, holding.FirstOffset)
            : RecordKey.Of(partition, fromOffset);
        _chunks.Bind(1, firstKey);
        _chunks.Bind(2, RecordKey.End(partition));
        try
        {
            while (entries.Count < maxCount && _chunks.Step())
            {
                long first = RecordKey.OffsetOf(_chunks.Int64(0));
                var appendedAt = new DateTimeOffset(_chunks.Int64(1), TimeSpan.Zero);
                ReadOnlySpan<byte> data = _chunks.Bytes(2);
                int skip = (int)Math.Max(0, fromOffset - first);
                int take = maxCount - entries.Count;

                // Pass 1: the byte range of the wanted records, so they share one copy of the chunk bytes.
                var scan = new ChunkFormat.Reader(data);
                int rangeStart = -1, rangeEnd = 0, taken = 0;
                for (int i = 0; taken < take && scan.MoveNext(); i++)
                {
                    if (i < skip) continue;
                    if (rangeStart < 0) rangeStart = scan.RecordStart;
                    rangeEnd = scan.PayloadStart + scan.PayloadLength;
                    taken++;
                }

                if (taken == 0) continue;
                byte[] copy = data[rangeStart..rangeEnd].ToArray();

                // Pass 2: the entries, payloads sliced from the copy.
                var reader = new ChunkFormat.Reader(data);
                for (int i = 0; i < skip + taken && reader.MoveNext(); i++)
                {
                    if (i < skip) continue;
                    var offset = TimeSpan.FromMinutes(reader.OffsetMinutes);
                    var record = new LogRecord(
                        keyCache.Get(reader.Key),
                        Encoding.UTF8.GetString(reader.Id),
                        reader.HasType ? typeCache.Get(reader.Type) : null,
                        new DateTimeOffset(reader.EventTicks + offset.Ticks, offset),
                        copy.AsMemory(reader.PayloadStart - rangeStart, reader.PayloadLength));
                    entries.Add(new LogEntry(record, new LogPosition(partition, first + i), appendedAt));
                }
            }
        }
        finally
        {
            _chunks.Reset();
        }

        return entries;
    }

    /// <summary>Append time of a record in ticks, or null when it is not (or no longer) stored.</summary>
    public long? AppendedAt(int partition, long offset) => _lookup.AppendedAt(partition, offset);

    public long? Checkpoint(string group, int partition)
    {
        _checkpoint.Bind(1, group);
        _checkpoint.Bind(2, partition);
        try
        {
            return _checkpoint.Step() ? _checkpoint.Int64(0) : null;
        }
        finally
        {
            _checkpoint.Reset();
        }
    }

    public void Dispose()
    {
        _chunks?.Dispose();
        _checkpoint?.Dispose();
        _lookup?.Dispose();
        _connection.Dispose();
    }

    private struct Utf8StringCache
    {
        private byte[]? _bytes;
        private string? _value;

        public string Get(ReadOnlySpan<byte> utf8)
        {
            if (_value is not null && utf8.SequenceEqual(_bytes)) return _value;
            _bytes = utf8.ToArray();
            return _value = Encoding.UTF8.GetString(utf8);
        }
    }
}
