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
    private readonly RawStatement _page, _appendedAt, _checkpoint;

    public ReaderSession(string path)
    {
        _connection = SqliteSchema.OpenConnection(path, readOnly: false);
        try
        {
            SqliteSchema.Exec(_connection, "PRAGMA query_only=1; PRAGMA mmap_size=268435456; PRAGMA cache_size=-8192;");
            var db = _connection.Handle!;
            _page = new RawStatement(db,
                "SELECT id, appended_at, event_time, event_offset_min, event_id, event_type, partition_key, payload " +
                "FROM log_records WHERE id >= ?1 AND id < ?2 ORDER BY id LIMIT ?3;");
            _appendedAt = new RawStatement(db, "SELECT appended_at FROM log_records WHERE id = ?1;");
            _checkpoint = new RawStatement(db, "SELECT next_offset FROM log_checkpoints WHERE consumer_group = ?1 AND part = ?2;");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public List<LogEntry> ReadPage(int partition, long fromOffset, int maxCount)
    {
        var entries = new List<LogEntry>(Math.Min(maxCount, 1024));
        // Keys and types repeat along a partition: reuse the previous string when the bytes are the same.
        var keyCache = new Utf8StringCache();
        var typeCache = new Utf8StringCache();
        _page.Bind(1, RecordKey.Of(partition, fromOffset));
        _page.Bind(2, RecordKey.End(partition));
        _page.Bind(3, maxCount);
        try
        {
            while (_page.Step())
            {
                long key = _page.Int64(0);
                var appendedAt = new DateTimeOffset(_page.Int64(1), TimeSpan.Zero);
                var offset = TimeSpan.FromMinutes(_page.Int64(3));
                var eventTime = new DateTimeOffset(_page.Int64(2) + offset.Ticks, offset);
                string id = Encoding.UTF8.GetString(_page.Bytes(4));
                string? type = _page.IsNull(5) ? null : typeCache.Get(_page.Bytes(5));
                string partitionKey = keyCache.Get(_page.Bytes(6));
                byte[] payload = _page.Bytes(7).ToArray();
                var record = new LogRecord(partitionKey, id, type, eventTime, payload);
                entries.Add(new LogEntry(record, new LogPosition(partition, RecordKey.OffsetOf(key)), appendedAt));
            }
        }
        finally
        {
            _page.Reset();
        }

        return entries;
    }

    /// <summary>Append time of a record in ticks, or null when it is not (or no longer) stored.</summary>
    public long? AppendedAt(int partition, long offset)
    {
        _appendedAt.Bind(1, RecordKey.Of(partition, offset));
        try
        {
            return _appendedAt.Step() ? _appendedAt.Int64(0) : null;
        }
        finally
        {
            _appendedAt.Reset();
        }
    }

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
        _page?.Dispose();
        _appendedAt?.Dispose();
        _checkpoint?.Dispose();
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
