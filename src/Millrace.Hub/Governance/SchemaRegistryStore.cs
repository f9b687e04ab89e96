using System.Text.Json;
using Microsoft.Data.Sqlite;
using Millrace.Schema.Compatibility;

namespace Millrace.Hub.Governance;

/// <summary>
/// The registry's SQLite tables (WAL, synchronous=FULL: a registration answered is a registration kept). Not
/// thread-safe by itself: <see cref="SchemaRegistry"/> serialises access.
/// </summary>
internal sealed class SchemaRegistryStore : IDisposable
{
    private readonly SqliteConnection _connection;

    private SchemaRegistryStore(SqliteConnection connection) => _connection = connection;

    public static SchemaRegistryStore Open(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        try
        {
            connection.Open();
            using var cmd = connection.CreateCommand();
            cmd.CommandText = """
                PRAGMA journal_mode=WAL;
                PRAGMA synchronous=FULL;
                PRAGMA busy_timeout=5000;
                CREATE TABLE IF NOT EXISTS registry_subjects(
                    name TEXT PRIMARY KEY,
                    mode TEXT NOT NULL,
                    owner TEXT,
                    domain TEXT,
                    created_at INTEGER NOT NULL);
                CREATE TABLE IF NOT EXISTS registry_versions(
                    subject TEXT NOT NULL REFERENCES registry_subjects(name),
                    version INTEGER NOT NULL,
                    schema TEXT NOT NULL,
                    fingerprint TEXT NOT NULL,
                    registered_at INTEGER NOT NULL,
                    PRIMARY KEY(subject, version));
                CREATE INDEX IF NOT EXISTS registry_versions_fingerprint ON registry_versions(subject, fingerprint);
                """;
            cmd.ExecuteNonQuery();
            return new SchemaRegistryStore(connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public SubjectInfo? GetSubject(string name)
    {
        using var cmd = Command("SELECT mode, owner, domain FROM registry_subjects WHERE name = $n", ("$n", name));
        using var r = cmd.ExecuteReader();
        if (!r.Read()) return null;
        CompatibilityModes.TryParse(r.GetString(0), out var mode);
        return new SubjectInfo(name, mode, r.IsDBNull(1) ? null : r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2));
    }

    public IReadOnlyList<SubjectInfo> ListSubjects()
    {
        using var cmd = Command("SELECT name, mode, owner, domain FROM registry_subjects ORDER BY name");
        using var r = cmd.ExecuteReader();
        var result = new List<SubjectInfo>();
        while (r.Read())
        {
            CompatibilityModes.TryParse(r.GetString(1), out var mode);
            result.Add(new SubjectInfo(r.GetString(0), mode, r.IsDBNull(2) ? null : r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3)));
        }
        return result;
    }

    /// <summary>Creates the subject or updates its mode and metadata (null metadata keeps what is stored).</summary>
    public void UpsertSubject(string name, CompatibilityMode mode, string? owner, string? domain, long now)
    {
        using var cmd = Command("""
            INSERT INTO registry_subjects(name, mode, owner, domain, created_at) VALUES ($n, $m, $o, $d, $t)
            ON CONFLICT(name) DO UPDATE SET mode = excluded.mode, owner = coalesce(excluded.owner, owner), domain = coalesce(excluded.domain, domain)
            """, ("$n", name), ("$m", mode.ToName()), ("$o", owner), ("$d", domain), ("$t", now));
        cmd.ExecuteNonQuery();
    }

    /// <summary>All versions of a subject, oldest first.</summary>
    public List<SchemaVersion> Versions(string subject)
    {
        using var cmd = Command("SELECT version, schema, fingerprint, registered_at FROM registry_versions WHERE subject = $s ORDER BY version", ("$s", subject));
        using var r = cmd.ExecuteReader();
        var result = new List<SchemaVersion>();
        while (r.Read()) result.Add(Read(subject, r));
        return result;
    }

    public SchemaVersion? Version(string subject, int version)
    {
        using var cmd = Command("SELECT version, schema, fingerprint, registered_at FROM registry_versions WHERE subject = $s AND version = $v",
            ("$s", subject), ("$v", version));
        using var r = cmd.ExecuteReader();
        return r.Read() ? Read(subject, r) : null;
    }

    public SchemaVersion? Latest(string subject)
    {
        using var cmd = Command("SELECT version, schema, fingerprint, registered_at FROM registry_versions WHERE subject = $s ORDER BY version DESC LIMIT 1", ("$s", subject));
        using var r = cmd.ExecuteReader();
        return r.Read() ? Read(subject, r) : null;
    }

    /// <summary>Stores the next version of the subject (creating the subject if needed) in one transaction.</summary>
    public void Insert(string subject, CompatibilityMode mode, string? owner, string? domain, int version, string schema, string fingerprint, long now)
    {
        using var tx = _connection.BeginTransaction();
        using (var up = Command("""
            INSERT INTO registry_subjects(name, mode, owner, domain, created_at) VALUES ($n, $m, $o, $d, $t)
            ON CONFLICT(name) DO UPDATE SET owner = coalesce(excluded.owner, owner), domain = coalesce(excluded.domain, domain)
            """, ("$n", subject), ("$m", mode.ToName()), ("$o", owner), ("$d", domain), ("$t", now)))
        {
            up.Transaction = tx;
            up.ExecuteNonQuery();
        }
        using (var ins = Command("INSERT INTO registry_versions(subject, version, schema, fingerprint, registered_at) VALUES ($s, $v, $j, $f, $t)",
                   ("$s", subject), ("$v", version), ("$j", schema), ("$f", fingerprint), ("$t", now)))
        {
            ins.Transaction = tx;
            ins.ExecuteNonQuery();
        }
        tx.Commit();
    }

    private static SchemaVersion Read(string subject, SqliteDataReader r)
    {
        int version = r.GetInt32(0);
        using var doc = JsonDocument.Parse(r.GetString(1));
        return new SchemaVersion(subject, version, SchemaRegistry.SchemaUri(subject, version), doc.RootElement.Clone(), r.GetString(2),
            DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(3)));
    }

    private SqliteCommand Command(string sql, params (string Name, object? Value)[] parameters)
    {
        var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, value) in parameters) cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return cmd;
    }

    public void Dispose() => _connection.Dispose();
}
