using System.Text.Json;
using Microsoft.Data.Sqlite;
using Millrace.Hub.Hosting;
using Millrace.Hub.Governance.Admission;
using Millrace.Hub.Observability;

namespace Millrace.Hub.DeadLetters;

/// <summary>
/// Quarantined business events in the hub store (<c>hub.db</c>, table <c>quarantine</c>, beside <c>dead_letters</c>:
/// one file for operators, two tables because the two are handled differently). WAL with <c>synchronous=FULL</c>:
/// a store call completes only once committed, so "quarantined" answered to a sender is kept. A resubmission claims
/// an item (open → resubmitting) before it touches the log, so two operators cannot admit it twice; items left
/// claimed by a crash are reopened when the store opens. Thread-safe.
/// </summary>
public sealed class SqliteQuarantineStore : IAsyncDisposable
{
    private const string Columns = "id, stored_at, source, event_type, event_id, reason_class, reason, errors, content_type, payload, trace_id, " +
                                   "status, attempts, updated_at, resolved_by, resolution, original_payload";
    private readonly SqliteConnection _connection;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly TimeProvider _time;
    private long _open;

    private SqliteQuarantineStore(SqliteConnection connection, TimeProvider time, HubTelemetry? telemetry, long open)
    {
        _connection = connection;
        _time = time;
        _open = open;
        telemetry?.ObserveGovernance("millrace.quarantine.depth", "{event}", "Quarantined events waiting for an operator.", () => Interlocked.Read(ref _open));
    }

    /// <summary>Opens (creating if needed) the quarantine in the hub store at <paramref name="path"/>.</summary>
    public static SqliteQuarantineStore Open(string path, HubTelemetry? telemetry = null, TimeProvider? time = null)
    {
        var connection = HubDatabase.Open(path, """
            CREATE TABLE IF NOT EXISTS quarantine(
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                stored_at INTEGER NOT NULL,
                source TEXT NOT NULL,
                event_type TEXT,
                event_id TEXT,
                reason_class TEXT NOT NULL,
                reason TEXT NOT NULL,
                errors TEXT NOT NULL,
                content_type TEXT,
                payload BLOB NOT NULL,
                trace_id TEXT,
                status TEXT NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                updated_at INTEGER NOT NULL,
                resolved_by TEXT,
                resolution TEXT,
                original_payload BLOB);
            CREATE INDEX IF NOT EXISTS quarantine_status ON quarantine(status, id);
            UPDATE quarantine SET status = 'open' WHERE status = 'resubmitting';
            """);
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM quarantine WHERE status = 'open'";
        long open = (long)cmd.ExecuteScalar()!;
        return new SqliteQuarantineStore(connection, time ?? TimeProvider.System, telemetry, open);
    }

    /// <summary>Items waiting for an operator.</summary>
    public long OpenCount => Interlocked.Read(ref _open);

    /// <summary>Stores refused events in one transaction; returns their ids in order, once committed.</summary>
    public async ValueTask<IReadOnlyList<long>> StoreManyAsync(IReadOnlyList<QuarantineEntry> entries, CancellationToken cancellationToken = default)
    {
        if (entries.Count == 0) return [];
        long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var ids = new long[entries.Count];
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var tx = _connection.BeginTransaction();
            using var cmd = _connection.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = """
                INSERT INTO quarantine(stored_at, source, event_type, event_id, reason_class, reason, errors, content_type, payload, trace_id, status, updated_at)
                VALUES ($t, $s, $ty, $id, $rc, $r, $e, $c, $p, $tr, 'open', $t) RETURNING id
                """;
            var t = cmd.Parameters.Add("$t", SqliteType.Integer);
            var s = cmd.Parameters.Add("$s", SqliteType.Text);
            var ty = cmd.Parameters.Add("$ty", SqliteType.Text);
            var id = cmd.Parameters.Add("$id", SqliteType.Text);
            var rc = cmd.Parameters.Add("$rc", SqliteType.Text);
            var r = cmd.Parameters.Add("$r", SqliteType.Text);
            var e = cmd.Parameters.Add("$e", SqliteType.Text);
            var c = cmd.Parameters.Add("$c", SqliteType.Text);
            var p = cmd.Parameters.Add("$p", SqliteType.Blob);
            var tr = cmd.Parameters.Add("$tr", SqliteType.Text);
            for (int i = 0; i < entries.Count; i++)
            {
                var (submission, verdict) = (entries[i].Submission, entries[i].Verdict);
                t.Value = now;
                s.Value = submission.Source;
                ty.Value = (object?)submission.Event?.Type ?? DBNull.Value;
                id.Value = (object?)submission.Event?.Id ?? DBNull.Value;
                rc.Value = verdict.ReasonClass ?? "";
                r.Value = verdict.Reason ?? "";
                e.Value = WriteErrors(verdict.Errors);
                c.Value = (object?)submission.ContentType ?? DBNull.Value;
                p.Value = submission.Raw.ToArray(); // the transport may reuse its buffer
                tr.Value = (object?)submission.TraceId ?? DBNull.Value;
                ids[i] = (long)cmd.ExecuteScalar()!;
            }
            tx.Commit();
            Interlocked.Add(ref _open, entries.Count);
        }
        finally
        {
            _gate.Release();
        }
        return ids;
    }

    /// <summary>Items matching <paramref name="query"/>, newest first.</summary>
    public async ValueTask<IReadOnlyList<QuarantinedEvent>> ListAsync(QuarantineQuery query, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var cmd = _connection.CreateCommand();
            var where = new List<string>();
            if (query.Status is { } status) { where.Add("status = $st"); cmd.Parameters.AddWithValue("$st", StatusText(status)); }
            if (query.Source is not null) { where.Add("source = $s"); cmd.Parameters.AddWithValue("$s", query.Source); }
            if (query.EventType is not null) { where.Add("event_type = $ty"); cmd.Parameters.AddWithValue("$ty", query.EventType); }
            if (query.ReasonClass is not null) { where.Add("reason_class = $rc"); cmd.Parameters.AddWithValue("$rc", query.ReasonClass); }
            if (query.Before is not null) { where.Add("id < $b"); cmd.Parameters.AddWithValue("$b", query.Before.Value); }
            cmd.CommandText = $"SELECT {Columns} FROM quarantine {(where.Count == 0 ? "" : "WHERE " + string.Join(" AND ", where))} ORDER BY id DESC LIMIT $n";
            cmd.Parameters.AddWithValue("$n", Math.Clamp(query.Limit, 1, 1000));
            return ReadAll(cmd);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>One item, or null.</summary>
    public async ValueTask<QuarantinedEvent?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return Get(id);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Claims an open item for resubmission (open → resubmitting). Returns the item, or null with the item's current
    /// state (null state: no such item) when it cannot be claimed.
    /// </summary>
    public async ValueTask<(QuarantinedEvent? Claimed, QuarantinedEvent? Current)> TryClaimAsync(long id, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var cmd = _connection.CreateCommand();
            cmd.CommandText = "UPDATE quarantine SET status = 'resubmitting', updated_at = $t WHERE id = $id AND status = 'open'";
            cmd.Parameters.AddWithValue("$t", _time.GetUtcNow().ToUnixTimeMilliseconds());
            cmd.Parameters.AddWithValue("$id", id);
            bool claimed = cmd.ExecuteNonQuery() == 1;
            if (claimed) Interlocked.Decrement(ref _open);
            var item = Get(id);
            return claimed ? (item, item) : (null, item);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Marks a claimed item resubmitted (admitted at <paramref name="resolution"/>) by <paramref name="by"/>.</summary>
    public ValueTask<QuarantinedEvent> CompleteAsync(long id, ReadOnlyMemory<byte> admittedPayload, string by, string resolution, CancellationToken cancellationToken = default)
        => FinishAsync(id, "resubmitted", admittedPayload, null, by, resolution, cancellationToken);

    /// <summary>Returns a claimed item to the open state with the errors of its latest attempt (and its corrected payload).</summary>
    public ValueTask<QuarantinedEvent> ReleaseAsync(long id, ReadOnlyMemory<byte> attemptedPayload, AdmissionVerdict verdict, CancellationToken cancellationToken = default)
        => FinishAsync(id, "open", attemptedPayload, verdict, null, null, cancellationToken);

    /// <summary>Discards an open item with a reason; null state when there is no such item, the item unchanged when it is not open.</summary>
    public async ValueTask<(bool Discarded, QuarantinedEvent? Current)> DiscardAsync(long id, string by, string reason, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var cmd = _connection.CreateCommand();
            cmd.CommandText = "UPDATE quarantine SET status = 'discarded', updated_at = $t, resolved_by = $by, resolution = $r WHERE id = $id AND status = 'open'";
            cmd.Parameters.AddWithValue("$t", _time.GetUtcNow().ToUnixTimeMilliseconds());
            cmd.Parameters.AddWithValue("$by", by);
            cmd.Parameters.AddWithValue("$r", reason);
            cmd.Parameters.AddWithValue("$id", id);
            bool done = cmd.ExecuteNonQuery() == 1;
            if (done) Interlocked.Decrement(ref _open);
            return (done, Get(id));
        }
        finally
        {
            _gate.Release();
        }
    }

    private async ValueTask<QuarantinedEvent> FinishAsync(long id, string status, ReadOnlyMemory<byte> payload, AdmissionVerdict? verdict,
        string? by, string? resolution, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var cmd = _connection.CreateCommand();
            // The first correction keeps what originally arrived; later ones replace only the current payload.
            cmd.CommandText = """
                UPDATE quarantine SET
                    original_payload = CASE WHEN original_payload IS NULL AND payload <> $p THEN payload ELSE original_payload END,
                    payload = $p, status = $st, attempts = attempts + 1, updated_at = $t,
                    reason_class = coalesce($rc, reason_class), reason = coalesce($r, reason), errors = coalesce($e, errors),
                    resolved_by = $by, resolution = $res
                WHERE id = $id AND status = 'resubmitting'
                """;
            cmd.Parameters.AddWithValue("$p", payload.ToArray());
            cmd.Parameters.AddWithValue("$st", status);
            cmd.Parameters.AddWithValue("$t", _time.GetUtcNow().ToUnixTimeMilliseconds());
            cmd.Parameters.AddWithValue("$rc", (object?)verdict?.ReasonClass ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$r", (object?)verdict?.Reason ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$e", verdict is null ? DBNull.Value : WriteErrors(verdict.Errors));
            cmd.Parameters.AddWithValue("$by", (object?)by ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$res", (object?)resolution ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$id", id);
            if (cmd.ExecuteNonQuery() != 1) throw new InvalidOperationException($"quarantine item {id} is not being resubmitted");
            if (status == "open") Interlocked.Increment(ref _open);
            return Get(id)!;
        }
        finally
        {
            _gate.Release();
        }
    }

    private QuarantinedEvent? Get(long id)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = $"SELECT {Columns} FROM quarantine WHERE id = $id";
        cmd.Parameters.AddWithValue("$id", id);
        var all = ReadAll(cmd);
        return all.Count == 0 ? null : all[0];
    }

    private static List<QuarantinedEvent> ReadAll(SqliteCommand cmd)
    {
        var result = new List<QuarantinedEvent>();
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            result.Add(new QuarantinedEvent(
                r.GetInt64(0), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(1)), r.GetString(2), NullableText(r, 3), NullableText(r, 4),
                r.GetString(5), r.GetString(6), ReadErrors(r.GetString(7)), NullableText(r, 8), (byte[])r.GetValue(9), NullableText(r, 10),
                ParseStatus(r.GetString(11)), r.GetInt32(12), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(13)), NullableText(r, 14),
                NullableText(r, 15), r.IsDBNull(16) ? null : (byte[])r.GetValue(16)));
        }
        return result;
    }

    private static string? NullableText(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    /// <summary>The stored (and API) name of a status.</summary>
    public static string StatusText(QuarantineStatus status) => status switch
    {
        QuarantineStatus.Open => "open",
        QuarantineStatus.Resubmitting => "resubmitting",
        QuarantineStatus.Resubmitted => "resubmitted",
        _ => "discarded",
    };

    /// <summary>Parses a status name (as <see cref="StatusText"/> writes it).</summary>
    public static bool TryParseStatus(string text, out QuarantineStatus status)
    {
        foreach (var s in Enum.GetValues<QuarantineStatus>())
            if (StatusText(s) == text) { status = s; return true; }
        status = default;
        return false;
    }

    private static QuarantineStatus ParseStatus(string text) => TryParseStatus(text, out var s) ? s : QuarantineStatus.Open;

    private static string WriteErrors(IReadOnlyList<AdmissionError> errors)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartArray();
            foreach (var e in errors)
            {
                w.WriteStartObject();
                w.WriteString("instanceLocation", e.InstanceLocation);
                w.WriteString("keywordLocation", e.KeywordLocation);
                w.WriteString("error", e.Message);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        return System.Text.Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);
    }

    private static List<AdmissionError> ReadErrors(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.EnumerateArray().Select(e => new AdmissionError(
            e.GetProperty("instanceLocation").GetString()!, e.GetProperty("keywordLocation").GetString()!, e.GetProperty("error").GetString()!)).ToList();
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _connection.Dispose();
        _gate.Dispose();
        return ValueTask.CompletedTask;
    }
}
