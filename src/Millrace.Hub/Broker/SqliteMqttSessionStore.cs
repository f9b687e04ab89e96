using Microsoft.Data.Sqlite;
using Millrace.Hub.Hosting;
using Millrace.Mqtt.Broker;

namespace Millrace.Hub.Broker;

/// <summary>
/// The embedded broker's persistent sessions (Clean Session 0 / Session Expiry &gt; 0) in the hub's SQLite store
/// (<c>hub.db</c> in the data folder, table <c>mqtt_sessions</c>), so subscriptions and the QoS 1/2 messages queued for
/// an offline client survive a restart of the hub or of <c>millrace broker</c>. One row per session holding its
/// snapshot (<see cref="MqttStoredSessionFormat"/>); WAL with <c>synchronous=FULL</c>: a save completes only once its
/// commit is on disk. The broker saves a session when its client goes away, when it changes (at most every
/// <see cref="MqttBrokerOptions.PersistInterval"/>) and at stop. A row that cannot be read is skipped and reported
/// through <see cref="LoadErrors"/>, never fatal.
/// </summary>
public sealed class SqliteMqttSessionStore : IMqttSessionStore, IDisposable
{
    /// <summary>The file name in the data folder: the hub's own store.</summary>
    public const string FileName = "hub.db";

    private readonly SqliteConnection _connection;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private int _disposed;

    private SqliteMqttSessionStore(SqliteConnection connection) => _connection = connection;

    /// <summary>Rows skipped by the last <see cref="LoadAllAsync"/>, with the reason.</summary>
    public IReadOnlyList<string> LoadErrors { get; private set; } = [];

    /// <summary>Opens (creating if needed) the store in <paramref name="dataDirectory"/>.</summary>
    public static SqliteMqttSessionStore OpenInDataDirectory(string dataDirectory) => Open(Path.Combine(dataDirectory, FileName));

    /// <summary>Opens (creating if needed) the store at <paramref name="path"/>.</summary>
    public static SqliteMqttSessionStore Open(string path)
    {
        var connection = HubDatabase.Open(path, """
            CREATE TABLE IF NOT EXISTS mqtt_sessions(
                client_id TEXT PRIMARY KEY,
                expiry_interval INTEGER NOT NULL,
                disconnected_at INTEGER NOT NULL,
                subscriptions INTEGER NOT NULL,
                messages INTEGER NOT NULL,
                snapshot BLOB NOT NULL) WITHOUT ROWID;
            """);
        return new SqliteMqttSessionStore(connection);
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<MqttStoredSession>> LoadAllAsync(CancellationToken cancellationToken)
    {
        var sessions = new List<MqttStoredSession>();
        var errors = new List<string>();
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var cmd = _connection.CreateCommand();
            cmd.CommandText = "SELECT client_id, snapshot FROM mqtt_sessions";
            using var reader = cmd.ExecuteReader();
            while (reader.Read())
            {
                string clientId = reader.GetString(0);
                try
                {
                    var session = MqttStoredSessionFormat.Read((byte[])reader.GetValue(1));
                    if (session.ClientId != clientId) throw new InvalidDataException($"snapshot belongs to '{session.ClientId}'");
                    sessions.Add(session);
                }
                catch (Exception e) when (e is InvalidDataException or EndOfStreamException or ArgumentException or InvalidCastException)
                {
                    errors.Add($"mqtt_sessions['{clientId}']: {e.Message}");
                }
            }
        }
        finally
        {
            _gate.Release();
        }
        LoadErrors = errors;
        return sessions;
    }

    /// <inheritdoc/>
    public async ValueTask SaveAsync(MqttStoredSession session, CancellationToken cancellationToken)
    {
        var snapshot = MqttStoredSessionFormat.Write(session);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var cmd = _connection.CreateCommand();
            cmd.CommandText = """
                INSERT INTO mqtt_sessions(client_id, expiry_interval, disconnected_at, subscriptions, messages, snapshot)
                VALUES ($id, $expiry, $at, $subs, $msgs, $snapshot)
                ON CONFLICT(client_id) DO UPDATE SET expiry_interval = excluded.expiry_interval, disconnected_at = excluded.disconnected_at,
                    subscriptions = excluded.subscriptions, messages = excluded.messages, snapshot = excluded.snapshot
                """;
            cmd.Parameters.AddWithValue("$id", session.ClientId);
            cmd.Parameters.AddWithValue("$expiry", (long)session.ExpiryInterval);
            cmd.Parameters.AddWithValue("$at", session.DisconnectedAt.ToUnixTimeMilliseconds());
            cmd.Parameters.AddWithValue("$subs", session.Subscriptions.Count);
            cmd.Parameters.AddWithValue("$msgs", session.Messages.Count);
            cmd.Parameters.AddWithValue("$snapshot", snapshot);
            cmd.ExecuteNonQuery(); // autocommit: durable (synchronous=FULL) when this returns
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc/>
    public async ValueTask DeleteAsync(string clientId, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var cmd = _connection.CreateCommand();
            cmd.CommandText = "DELETE FROM mqtt_sessions WHERE client_id = $id";
            cmd.Parameters.AddWithValue("$id", clientId);
            cmd.ExecuteNonQuery();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Number of stored sessions.</summary>
    public int Count()
    {
        _gate.Wait();
        try
        {
            using var cmd = _connection.CreateCommand();
            cmd.CommandText = "SELECT count(*) FROM mqtt_sessions";
            return Convert.ToInt32(cmd.ExecuteScalar());
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Closes the connection (after the broker has stopped and flushed its sessions).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _gate.Wait();
        _connection.Dispose();
        _gate.Release();
    }
}
