using System.Diagnostics.Metrics;
using Microsoft.Data.Sqlite;
using Millrace.Hub.Hosting;
using Millrace.Hub.Observability;

namespace Millrace.Hub.DeadLetters;

/// <summary>
/// Dead letters in the hub's embedded SQLite store (WAL). A store call completes only once the items are committed,
/// so an ingest request that answers "refused, kept" has really kept the payload.
/// </summary>
public sealed class SqliteDeadLetterStore : IAsyncDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly TimeProvider _time;
    private readonly HubTelemetry _telemetry;
    private long _count;

    private SqliteDeadLetterStore(SqliteConnection connection, TimeProvider time, HubTelemetry telemetry, long count)
    {
        _connection = connection;
        _time = time;
        _telemetry = telemetry;
        _count = count;
        telemetry.ObserveDeadLetters("millrace.deadletters.depth", "{item}", "Dead letters currently held.", () => Interlocked.Read(ref _count));
    }

    /// <summary>Opens (creating if needed) the store at <paramref name="path"/>.</summary>
    public static SqliteDeadLetterStore Open(string path, HubTelemetry telemetry, TimeProvider? time = null)
    {
        var connection = HubDatabase.Open(path, """
            CREATE TABLE IF NOT EXISTS dead_letters(
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                stored_at INTEGER NOT NULL,
                source TEXT NOT NULL,
                reason TEXT NOT NULL,
                pointer TEXT,
                content_type TEXT,
                payload BLOB NOT NULL,
                trace_id TEXT);
            CREATE INDEX IF NOT EXISTS dead_letters_source ON dead_letters(source, id);
            """);
        using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = "SELECT count(*) FROM dead_letters";
            long count = (long)cmd.ExecuteScalar()!;
            return new SqliteDeadLetterStore(connection, time ?? TimeProvider.System, telemetry, count);
        }
    }

    /// <summary>Number of dead letters held.</summary>
    public long Count => Interlocked.Read(ref _count);

    /// <summary>Stores one item; completes once it is committed.</summary>
    public ValueTask StoreAsync(string source, string reason, string? pointer, string? contentType, ReadOnlyMemory<byte> payload, string? traceId, CancellationToken cancellationToken = default)
        => StoreManyAsync([new DeadLetter(0, default, source, reason, pointer, contentType, payload, traceId)], cancellationToken);

    /// <summary>Stores items in one transaction; completes once they are committed.</summary>
    public async ValueTask StoreManyAsync(IReadOnlyList<DeadLetter> items, CancellationToken cancellationToken = default)
    {
        if (items.Count == 0) return;
        long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var tx = _connection.BeginTransaction();
            using var cmd = _connection.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = "INSERT INTO dead_letters(stored_at, source, reason, pointer, content_type, payload, trace_id) VALUES ($t,$s,$r,$p,$c,$b,$tr)";
            var t = cmd.Parameters.Add("$t", SqliteType.Integer);
            var s = cmd.Parameters.Add("$s", SqliteType.Text);
            var r = cmd.Parameters.Add("$r", SqliteType.Text);
            var p = cmd.Parameters.Add("$p", SqliteType.Text);
            var c = cmd.Parameters.Add("$c", SqliteType.Text);
            var b = cmd.Parameters.Add("$b", SqliteType.Blob);
            var tr = cmd.Parameters.Add("$tr", SqliteType.Text);
            foreach (var item in items)
            {
                t.Value = now;
                s.Value = item.Source;
                r.Value = item.Reason;
                p.Value = (object?)item.Pointer ?? DBNull.Value;
                c.Value = (object?)item.ContentType ?? DBNull.Value;
                b.Value = item.Payload.ToArray();
                tr.Value = (object?)item.TraceId ?? DBNull.Value;
                cmd.ExecuteNonQuery();
            }
            tx.Commit();
            Interlocked.Add(ref _count, items.Count);
        }
        finally
        {
            _gate.Release();
        }
        foreach (var group in items.GroupBy(i => (i.Source, Reason: ReasonClass(i.Reason))))
            _telemetry.DeadLettered.Add(group.Count(), new("source", group.Key.Source), new("reason", group.Key.Reason));
    }

    /// <summary>
    /// The newest items first, at most <paramref name="limit"/>, optionally only from <paramref name="source"/> and only
    /// with ids below <paramref name="before"/> (the paging cursor).
    /// </summary>
    public async ValueTask<IReadOnlyList<DeadLetter>> ListAsync(int limit = 100, string? source = null, CancellationToken cancellationToken = default, long? before = null)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var cmd = _connection.CreateCommand();
            var where = new List<string>();
            if (source is not null) { where.Add("source = $s"); cmd.Parameters.AddWithValue("$s", source); }
            if (before is not null) { where.Add("id < $b"); cmd.Parameters.AddWithValue("$b", before.Value); }
            cmd.CommandText = "SELECT id, stored_at, source, reason, pointer, content_type, payload, trace_id FROM dead_letters " +
                              (where.Count == 0 ? "" : "WHERE " + string.Join(" AND ", where) + " ") + "ORDER BY id DESC LIMIT $n";
            cmd.Parameters.AddWithValue("$n", limit);
            return Read(cmd);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>One dead letter, or null.</summary>
    public async ValueTask<DeadLetter?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var cmd = _connection.CreateCommand();
            cmd.CommandText = "SELECT id, stored_at, source, reason, pointer, content_type, payload, trace_id FROM dead_letters WHERE id = $id";
            cmd.Parameters.AddWithValue("$id", id);
            var items = Read(cmd);
            return items.Count == 0 ? null : items[0];
        }
        finally
        {
            _gate.Release();
        }
    }

    private static List<DeadLetter> Read(SqliteCommand cmd)
    {
        var result = new List<DeadLetter>();
        using var reader = cmd.ExecuteReader();
        while (reader.Read())
        {
            result.Add(new DeadLetter(reader.GetInt64(0), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)), reader.GetString(2),
                reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5),
                (byte[])reader.GetValue(6), reader.IsDBNull(7) ? null : reader.GetString(7)));
        }
        return result;
    }

    /// <summary>A low-cardinality label for a reason: its text up to the first colon or quote, so metrics don't explode.</summary>
    internal static string ReasonClass(string reason)
    {
        int cut = reason.IndexOfAny([':', '\'', '"']);
        var head = (cut < 0 ? reason : reason[..cut]).Trim();
        return head.Length > 48 ? head[..48] : head;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _connection.Dispose();
        _gate.Dispose();
        return ValueTask.CompletedTask;
    }
}
