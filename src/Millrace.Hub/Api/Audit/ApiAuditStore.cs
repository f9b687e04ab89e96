using Microsoft.Data.Sqlite;
using Millrace.Hub.Hosting;

namespace Millrace.Hub.Api.Audit;

/// <summary>One accepted write: who, what, when, and where its event sits in the log.</summary>
public sealed record ApiAuditRecord(long Id, DateTimeOffset At, string ClientId, string Method, string Path, int Status,
    string RequestId, string EventType, string? Position, string? TraceId, string IdempotencyKey);

/// <summary>
/// The audit trail of capability API writes in <c>hub.db</c> (table <c>api_audit</c>): one row per accepted command
/// with the client id. It also answers <c>GET /api/v1/requests/{id}</c> (the status URL of a 202).
/// </summary>
public sealed class ApiAuditStore : IDisposable
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS api_audit (
            id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, client_id TEXT NOT NULL, method TEXT NOT NULL,
            path TEXT NOT NULL, status INTEGER NOT NULL, request_id TEXT NOT NULL, event_type TEXT NOT NULL,
            position TEXT, trace_id TEXT, idempotency_key TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS api_audit_request ON api_audit(request_id);
        CREATE INDEX IF NOT EXISTS api_audit_client ON api_audit(client_id, id);
        """;

    private readonly SqliteConnection _db;
    private readonly Lock _gate = new();

    private ApiAuditStore(SqliteConnection db) => _db = db;

    /// <summary>Opens (creating) the table in <c>hub.db</c> of <paramref name="dataDirectory"/>.</summary>
    public static ApiAuditStore Open(string dataDirectory) => new(HubDatabase.Open(Path.Combine(dataDirectory, HubDatabase.FileName), Schema));

    /// <summary>Records an accepted write.</summary>
    public void Record(ApiAuditRecord r)
    {
        lock (_gate)
        {
            using var cmd = _db.CreateCommand();
            cmd.CommandText = "INSERT INTO api_audit(at, client_id, method, path, status, request_id, event_type, position, trace_id, idempotency_key) "
                + "VALUES ($a, $c, $m, $p, $s, $r, $e, $pos, $t, $k)";
            cmd.Parameters.AddWithValue("$a", r.At.UtcDateTime.ToString("O"));
            cmd.Parameters.AddWithValue("$c", r.ClientId);
            cmd.Parameters.AddWithValue("$m", r.Method);
            cmd.Parameters.AddWithValue("$p", r.Path);
            cmd.Parameters.AddWithValue("$s", r.Status);
            cmd.Parameters.AddWithValue("$r", r.RequestId);
            cmd.Parameters.AddWithValue("$e", r.EventType);
            cmd.Parameters.AddWithValue("$pos", (object?)r.Position ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$t", (object?)r.TraceId ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$k", r.IdempotencyKey);
            cmd.ExecuteNonQuery();
        }
    }

    /// <summary>The audit row of a request id (its status), or null.</summary>
    public ApiAuditRecord? FindRequest(string requestId) => Query("WHERE request_id = $r", ("$r", requestId), 1).FirstOrDefault();

    /// <summary>The latest records, optionally of one client, newest first.</summary>
    public IReadOnlyList<ApiAuditRecord> Latest(string? clientId, int limit) =>
        clientId is null ? Query("", null, limit) : Query("WHERE client_id = $c", ("$c", clientId), limit);

    private List<ApiAuditRecord> Query(string where, (string, string)? parameter, int limit)
    {
        lock (_gate)
        {
            using var cmd = _db.CreateCommand();
            cmd.CommandText = $"SELECT id, at, client_id, method, path, status, request_id, event_type, position, trace_id, idempotency_key FROM api_audit {where} ORDER BY id DESC LIMIT {Math.Clamp(limit, 1, 1000)}";
            if (parameter is { } p) cmd.Parameters.AddWithValue(p.Item1, p.Item2);
            using var r = cmd.ExecuteReader();
            var list = new List<ApiAuditRecord>();
            while (r.Read())
                list.Add(new ApiAuditRecord(r.GetInt64(0), DateTimeOffset.Parse(r.GetString(1), System.Globalization.CultureInfo.InvariantCulture), r.GetString(2),
                    r.GetString(3), r.GetString(4), r.GetInt32(5), r.GetString(6), r.GetString(7), r.IsDBNull(8) ? null : r.GetString(8),
                    r.IsDBNull(9) ? null : r.GetString(9), r.GetString(10)));
            return list;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _db.Dispose();
}
