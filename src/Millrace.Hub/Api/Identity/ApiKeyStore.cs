using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Millrace.Hub.Hosting;

namespace Millrace.Hub.Api.Identity;

/// <summary>One stored API key (never the key itself: its SHA-256).</summary>
/// <param name="KeyId">Public part of the key, used to look it up.</param>
/// <param name="ClientId">The client it authenticates.</param>
/// <param name="Hash">SHA-256 of the secret part, hex.</param>
/// <param name="CreatedAt">When it was issued.</param>
/// <param name="ExpiresAt">When it stops working (rotation sets this to now + grace on the old key).</param>
/// <param name="Revoked">Whether it was revoked.</param>
public sealed record StoredApiKey(string KeyId, string ClientId, string Hash, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, bool Revoked);

/// <summary>
/// Partner API keys in <c>hub.db</c> (table <c>api_keys</c>). A key reads <c>mrk_{keyId}.{secret}</c>: 32 random bytes
/// of secret, so a single SHA-256 is a sound hash at rest (no password to stretch; PBKDF2 buys nothing against a
/// 256-bit secret and costs every request). Lookups go by key id and compare hashes in constant time. Rotation issues
/// a new key and lets the old one live for a grace period; revocation ends every key of a client at once. The hub
/// caches rows for a few seconds so a key added, rotated or revoked by <c>millrace clients</c> in another process is
/// seen within <see cref="CacheLifetime"/>.
/// </summary>
public sealed class ApiKeyStore : IDisposable
{
    /// <summary>How long the hub trusts a cached row before reading it again.</summary>
    public static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(5);

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS api_keys (
            key_id TEXT PRIMARY KEY, client_id TEXT NOT NULL, hash TEXT NOT NULL,
            created_at TEXT NOT NULL, expires_at TEXT, revoked INTEGER NOT NULL DEFAULT 0);
        CREATE INDEX IF NOT EXISTS api_keys_client ON api_keys(client_id);
        """;

    private readonly SqliteConnection _db;
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, (StoredApiKey? Key, DateTimeOffset ReadAt)> _cache = new(StringComparer.Ordinal);

    private ApiKeyStore(SqliteConnection db, TimeProvider time)
    {
        _db = db;
        _time = time;
    }

    /// <summary>Opens (creating) the table in <c>hub.db</c> of <paramref name="dataDirectory"/>.</summary>
    public static ApiKeyStore Open(string dataDirectory, TimeProvider? time = null) =>
        new(HubDatabase.Open(Path.Combine(dataDirectory, HubDatabase.FileName), Schema), time ?? TimeProvider.System);

    /// <summary>Issues a new key for <paramref name="clientId"/>; the returned text is shown once and never stored.</summary>
    public string Issue(string clientId, DateTimeOffset? expiresAt = null)
    {
        string keyId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        string secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        lock (_gate)
        {
            using var cmd = _db.CreateCommand();
            cmd.CommandText = "INSERT INTO api_keys(key_id, client_id, hash, created_at, expires_at) VALUES ($k, $c, $h, $t, $e)";
            cmd.Parameters.AddWithValue("$k", keyId);
            cmd.Parameters.AddWithValue("$c", clientId);
            cmd.Parameters.AddWithValue("$h", Hash(secret));
            cmd.Parameters.AddWithValue("$t", _time.GetUtcNow().ToString("O"));
            cmd.Parameters.AddWithValue("$e", expiresAt is { } e ? e.ToString("O") : DBNull.Value);
            cmd.ExecuteNonQuery();
        }
        return $"mrk_{keyId}.{secret}";
    }

    /// <summary>
    /// Issues a new key and lets the client's current keys live for <paramref name="grace"/> more (those that expire
    /// sooner keep their earlier expiry).
    /// </summary>
    public string Rotate(string clientId, TimeSpan grace, DateTimeOffset? expiresAt = null)
    {
        var until = _time.GetUtcNow() + grace;
        lock (_gate)
        {
            foreach (var key in List(clientId).Where(k => !k.Revoked && (k.ExpiresAt is null || k.ExpiresAt > until)))
            {
                using var cmd = _db.CreateCommand();
                cmd.CommandText = "UPDATE api_keys SET expires_at = $e WHERE key_id = $k";
                cmd.Parameters.AddWithValue("$e", until.ToString("O"));
                cmd.Parameters.AddWithValue("$k", key.KeyId);
                cmd.ExecuteNonQuery();
            }
        }
        _cache.Clear();
        return Issue(clientId, expiresAt);
    }

    /// <summary>Revokes every key of <paramref name="clientId"/>; returns how many.</summary>
    public int Revoke(string clientId)
    {
        int n;
        lock (_gate)
        {
            using var cmd = _db.CreateCommand();
            cmd.CommandText = "UPDATE api_keys SET revoked = 1 WHERE client_id = $c AND revoked = 0";
            cmd.Parameters.AddWithValue("$c", clientId);
            n = cmd.ExecuteNonQuery();
        }
        _cache.Clear();
        return n;
    }

    /// <summary>Every key of a client (or of all clients when null), newest first.</summary>
    public IReadOnlyList<StoredApiKey> List(string? clientId = null)
    {
        lock (_gate)
        {
            using var cmd = _db.CreateCommand();
            cmd.CommandText = "SELECT key_id, client_id, hash, created_at, expires_at, revoked FROM api_keys"
                + (clientId is null ? "" : " WHERE client_id = $c") + " ORDER BY created_at DESC";
            if (clientId is not null) cmd.Parameters.AddWithValue("$c", clientId);
            using var r = cmd.ExecuteReader();
            var keys = new List<StoredApiKey>();
            while (r.Read()) keys.Add(Row(r));
            return keys;
        }
    }

    /// <summary>The client a presented key authenticates, or null (unknown, wrong secret, expired or revoked).</summary>
    public string? Authenticate(string presented)
    {
        if (!presented.StartsWith("mrk_", StringComparison.Ordinal) || presented.Length > 200) return null;
        int dot = presented.IndexOf('.', 4);
        if (dot < 0) return null;
        string keyId = presented[4..dot];
        var now = _time.GetUtcNow();
        if (!_cache.TryGetValue(keyId, out var cached) || now - cached.ReadAt > CacheLifetime)
        {
            cached = (Find(keyId), now);
            if (_cache.Count > 10_000) _cache.Clear();
            _cache[keyId] = cached;
        }
        if (cached.Key is not { Revoked: false } key || key.ExpiresAt <= now) return null;
        var expected = Convert.FromHexString(key.Hash);
        Span<byte> actual = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented[(dot + 1)..]), actual);
        return CryptographicOperations.FixedTimeEquals(actual, expected) ? key.ClientId : null;
    }

    private StoredApiKey? Find(string keyId)
    {
        lock (_gate)
        {
            using var cmd = _db.CreateCommand();
            cmd.CommandText = "SELECT key_id, client_id, hash, created_at, expires_at, revoked FROM api_keys WHERE key_id = $k";
            cmd.Parameters.AddWithValue("$k", keyId);
            using var r = cmd.ExecuteReader();
            return r.Read() ? Row(r) : null;
        }
    }

    private static StoredApiKey Row(SqliteDataReader r) => new(r.GetString(0), r.GetString(1), r.GetString(2),
        DateTimeOffset.Parse(r.GetString(3), System.Globalization.CultureInfo.InvariantCulture),
        r.IsDBNull(4) ? null : DateTimeOffset.Parse(r.GetString(4), System.Globalization.CultureInfo.InvariantCulture), r.GetInt64(5) != 0);

    private static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <inheritdoc />
    public void Dispose() => _db.Dispose();
}
