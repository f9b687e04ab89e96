using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Millrace.Hub.Hosting;

namespace Millrace.Hub.Api.Idempotency;

/// <summary>The answer kept for an idempotency key: replayed byte for byte on a retry.</summary>
/// <param name="RequestHash">SHA-256 of method, path and body: a retry must match it.</param>
/// <param name="Status">HTTP status.</param>
/// <param name="Location">The <c>Location</c> header (the status URL).</param>
/// <param name="Body">The JSON body.</param>
/// <param name="CreatedAt">When the original answer was given.</param>
public sealed record StoredResponse(string RequestHash, int Status, string? Location, byte[] Body, DateTimeOffset CreatedAt);

/// <summary>What a new request with an idempotency key should do.</summary>
public enum IdempotencyDecision
{
    /// <summary>First time: carry it out, then <see cref="IdempotencyStore.Complete"/> or <see cref="IdempotencyStore.Abandon"/>.</summary>
    Proceed,

    /// <summary>Same key, same request, already answered: replay the stored answer.</summary>
    Replay,

    /// <summary>Same key, another request: 422.</summary>
    Mismatch,

    /// <summary>Same key, the first request is still being carried out: 409 (retry later).</summary>
    InFlight,
}

/// <summary>
/// Idempotency keys per client in <c>hub.db</c> (table <c>api_idempotency</c>), kept for a retention period. Only
/// accepted commands (2xx) are stored: a refused request changed nothing and is refused the same way again. A
/// duplicate that arrives while the first is still in flight is answered <c>409 Conflict</c> at once rather than
/// made to wait: the caller's retry then replays the stored answer, and no request thread is parked on another.
/// </summary>
public sealed class IdempotencyStore : IDisposable
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS api_idempotency (
            client_id TEXT NOT NULL, key TEXT NOT NULL, request_hash TEXT NOT NULL, status INTEGER NOT NULL,
            location TEXT, body BLOB NOT NULL, created_at TEXT NOT NULL, PRIMARY KEY (client_id, key));
        CREATE INDEX IF NOT EXISTS api_idempotency_created ON api_idempotency(created_at);
        """;

    private readonly SqliteConnection _db;
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly TimeSpan _retention;
    private readonly ConcurrentDictionary<(string, string), string> _inFlight = new();
    private DateTimeOffset _lastPurge;

    private IdempotencyStore(SqliteConnection db, TimeProvider time, TimeSpan retention)
    {
        _db = db;
        _time = time;
        _retention = retention;
        Purge();
    }

    /// <summary>Opens (creating) the table in <c>hub.db</c> of <paramref name="dataDirectory"/>.</summary>
    public static IdempotencyStore Open(string dataDirectory, TimeSpan retention, TimeProvider? time = null) =>
        new(HubDatabase.Open(Path.Combine(dataDirectory, HubDatabase.FileName), Schema), time ?? TimeProvider.System, retention);

    /// <summary>Decides what a request with <paramref name="key"/> and <paramref name="requestHash"/> does.</summary>
    public (IdempotencyDecision Decision, StoredResponse? Stored) Begin(string clientId, string key, string requestHash)
    {
        if (Find(clientId, key) is { } stored)
            return (stored.RequestHash == requestHash ? IdempotencyDecision.Replay : IdempotencyDecision.Mismatch, stored);
        if (!_inFlight.TryAdd((clientId, key), requestHash))
            return (_inFlight.TryGetValue((clientId, key), out var h) && h != requestHash ? IdempotencyDecision.Mismatch : IdempotencyDecision.InFlight, null);
        // Completed between the lookup and the claim: the stored answer wins.
        if (Find(clientId, key) is { } late)
        {
            _inFlight.TryRemove((clientId, key), out _);
            return (late.RequestHash == requestHash ? IdempotencyDecision.Replay : IdempotencyDecision.Mismatch, late);
        }
        return (IdempotencyDecision.Proceed, null);
    }

    /// <summary>Stores the answer of a request that <see cref="Begin"/> let proceed.</summary>
    public void Complete(string clientId, string key, StoredResponse response)
    {
        lock (_gate)
        {
            using var cmd = _db.CreateCommand();
            cmd.CommandText = "INSERT OR REPLACE INTO api_idempotency VALUES ($c, $k, $h, $s, $l, $b, $t)";
            cmd.Parameters.AddWithValue("$c", clientId);
            cmd.Parameters.AddWithValue("$k", key);
            cmd.Parameters.AddWithValue("$h", response.RequestHash);
            cmd.Parameters.AddWithValue("$s", response.Status);
            cmd.Parameters.AddWithValue("$l", (object?)response.Location ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$b", response.Body);
            cmd.Parameters.AddWithValue("$t", response.CreatedAt.UtcDateTime.ToString("O"));
            cmd.ExecuteNonQuery();
        }
        _inFlight.TryRemove((clientId, key), out _);
        if (_time.GetUtcNow() - _lastPurge > TimeSpan.FromMinutes(1)) Purge();
    }

    /// <summary>Releases a key whose request was refused or failed: it may be used again.</summary>
    public void Abandon(string clientId, string key) => _inFlight.TryRemove((clientId, key), out _);

    private StoredResponse? Find(string clientId, string key)
    {
        lock (_gate)
        {
            using var cmd = _db.CreateCommand();
            cmd.CommandText = "SELECT request_hash, status, location, body, created_at FROM api_idempotency WHERE client_id = $c AND key = $k AND created_at > $cut";
            cmd.Parameters.AddWithValue("$c", clientId);
            cmd.Parameters.AddWithValue("$k", key);
            cmd.Parameters.AddWithValue("$cut", (_time.GetUtcNow() - _retention).UtcDateTime.ToString("O"));
            using var r = cmd.ExecuteReader();
            if (!r.Read()) return null;
            return new StoredResponse(r.GetString(0), r.GetInt32(1), r.IsDBNull(2) ? null : r.GetString(2), (byte[])r.GetValue(3),
                DateTimeOffset.Parse(r.GetString(4), System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Deletes keys older than the retention.</summary>
    public int Purge()
    {
        var now = _time.GetUtcNow();
        _lastPurge = now;
        lock (_gate)
        {
            using var cmd = _db.CreateCommand();
            cmd.CommandText = "DELETE FROM api_idempotency WHERE created_at <= $cut";
            cmd.Parameters.AddWithValue("$cut", (now - _retention).UtcDateTime.ToString("O"));
            return cmd.ExecuteNonQuery();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _db.Dispose();
}
