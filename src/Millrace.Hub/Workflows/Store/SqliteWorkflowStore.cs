using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Millrace.Hub.Hosting;
using Millrace.Hub.Workflows.Engine;

namespace Millrace.Hub.Workflows.Store;

/// <summary>
/// Durable workflow state in <c>workflows.db</c> of the data folder (WAL, <c>synchronous=FULL</c> through
/// <see cref="HubDatabase.Open"/>): every definition revision, instances with their step records, the step history
/// and the outbox. A file of its own rather than tables in <c>hub.db</c>: the engine is a hot single writer (one
/// group commit per scheduler turn) and should neither wait for nor hold up the dead-letter, quarantine and
/// checkpoint writers that share <c>hub.db</c>'s one write lock. The engine's loop is the only writer
/// (<see cref="Commit"/>); reads for inspection use a second connection, which WAL lets run beside the writer.
/// </summary>
public sealed class SqliteWorkflowStore : IDisposable
{
    /// <summary>The file name in the data folder.</summary>
    public const string FileName = "workflows.db";

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS wf_definitions (
            workflow TEXT NOT NULL, version INTEGER NOT NULL, revision TEXT NOT NULL, definition TEXT NOT NULL, stored_at TEXT NOT NULL,
            PRIMARY KEY (revision));
        CREATE TABLE IF NOT EXISTS wf_instances (
            id TEXT PRIMARY KEY, workflow TEXT NOT NULL, version INTEGER NOT NULL, revision TEXT NOT NULL, business_key TEXT NOT NULL,
            status TEXT NOT NULL, event TEXT NOT NULL, traceparent TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
            error TEXT, state TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS wf_instances_status ON wf_instances(status, updated_at);
        CREATE TABLE IF NOT EXISTS wf_step_history (
            seq INTEGER PRIMARY KEY AUTOINCREMENT, instance TEXT NOT NULL, step TEXT NOT NULL, kind TEXT NOT NULL, iteration INTEGER NOT NULL,
            attempts INTEGER NOT NULL, started_at TEXT, finished_at TEXT NOT NULL, outcome TEXT NOT NULL, document_id TEXT,
            request TEXT, response TEXT, reason TEXT, compensation INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS wf_step_history_instance ON wf_step_history(instance, seq);
        CREATE TABLE IF NOT EXISTS wf_outbox (
            key TEXT PRIMARY KEY, instance TEXT NOT NULL, step TEXT NOT NULL, connector TEXT NOT NULL, operation TEXT NOT NULL,
            input TEXT NOT NULL, traceparent TEXT, compensation INTEGER NOT NULL, created_at TEXT NOT NULL);
        """;

    private readonly SqliteConnection _writer;
    private readonly SqliteConnection _reader;
    private readonly Lock _readLock = new();
    private readonly SqliteCommand _upsert, _outboxInsert, _outboxDelete, _history, _exists;

    private SqliteWorkflowStore(string path)
    {
        Path = path;
        _writer = HubDatabase.Open(path, Schema);
        _reader = HubDatabase.Open(path, "");
        _upsert = Prepare("""
            INSERT INTO wf_instances (id, workflow, version, revision, business_key, status, event, traceparent, created_at, updated_at, error, state)
            VALUES ($id, $wf, $v, $rev, $key, $status, $event, $tp, $created, $updated, $error, $state)
            ON CONFLICT(id) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at, error = excluded.error, state = excluded.state
            """, "$id", "$wf", "$v", "$rev", "$key", "$status", "$event", "$tp", "$created", "$updated", "$error", "$state");
        _outboxInsert = Prepare("""
            INSERT OR IGNORE INTO wf_outbox (key, instance, step, connector, operation, input, traceparent, compensation, created_at)
            VALUES ($key, $instance, $step, $connector, $operation, $input, $tp, $comp, $created)
            """, "$key", "$instance", "$step", "$connector", "$operation", "$input", "$tp", "$comp", "$created");
        _outboxDelete = Prepare("DELETE FROM wf_outbox WHERE key = $key", "$key");
        _history = Prepare("""
            INSERT INTO wf_step_history (instance, step, kind, iteration, attempts, started_at, finished_at, outcome, document_id, request, response, reason, compensation)
            VALUES ($instance, $step, $kind, $iteration, $attempts, $started, $finished, $outcome, $doc, $request, $response, $reason, $comp)
            """, "$instance", "$step", "$kind", "$iteration", "$attempts", "$started", "$finished", "$outcome", "$doc", "$request", "$response", "$reason", "$comp");
        _exists = Prepare("SELECT 1 FROM wf_instances WHERE id = $id", "$id");
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>Opens (creating) <c>workflows.db</c> in <paramref name="dataDirectory"/>.</summary>
    public static SqliteWorkflowStore OpenInDataDirectory(string dataDirectory) => Open(System.IO.Path.Combine(dataDirectory, FileName));

    /// <summary>Opens (creating) the store at <paramref name="path"/>.</summary>
    public static SqliteWorkflowStore Open(string path) => new(path);

    private SqliteCommand Prepare(string sql, params string[] parameters)
    {
        var cmd = _writer.CreateCommand();
        cmd.CommandText = sql;
        foreach (var p in parameters) cmd.Parameters.Add(new SqliteParameter(p, null));
        return cmd;
    }

    /// <summary>Stores a definition revision unless it is there already.</summary>
    public void SaveDefinition(CompiledWorkflow workflow, DateTimeOffset now)
    {
        using var cmd = _writer.CreateCommand();
        cmd.CommandText = "INSERT OR IGNORE INTO wf_definitions (workflow, version, revision, definition, stored_at) VALUES ($w, $v, $r, $d, $t)";
        cmd.Parameters.AddWithValue("$w", workflow.Id);
        cmd.Parameters.AddWithValue("$v", workflow.Definition.Version);
        cmd.Parameters.AddWithValue("$r", workflow.Revision);
        cmd.Parameters.AddWithValue("$d", workflow.Json);
        cmd.Parameters.AddWithValue("$t", Text(now));
        cmd.ExecuteNonQuery();
    }

    /// <summary>The stored definition JSON of a revision, or null.</summary>
    public string? LoadDefinition(string revision)
    {
        using var cmd = _writer.CreateCommand();
        cmd.CommandText = "SELECT definition FROM wf_definitions WHERE revision = $r";
        cmd.Parameters.AddWithValue("$r", revision);
        return cmd.ExecuteScalar() as string;
    }

    /// <summary>Whether an instance with this id was ever stored (idempotent start).</summary>
    public bool Exists(string instanceId)
    {
        _exists.Parameters[0].Value = instanceId;
        return _exists.ExecuteScalar() is not null;
    }

    /// <summary>Instances that are not finished: running, compensating and failed.</summary>
    public List<InstanceRow> LoadActive()
    {
        using var cmd = _writer.CreateCommand();
        cmd.CommandText = $"SELECT {InstanceColumns} FROM wf_instances WHERE status IN ('Running', 'Compensating', 'Failed')";
        return ReadInstances(cmd);
    }

    /// <summary>Every outbox row, oldest first.</summary>
    public List<OutboxRow> LoadOutbox()
    {
        using var cmd = _writer.CreateCommand();
        cmd.CommandText = "SELECT key, instance, step, connector, operation, input, traceparent, compensation, created_at FROM wf_outbox ORDER BY created_at";
        using var r = cmd.ExecuteReader();
        var rows = new List<OutboxRow>();
        while (r.Read())
            rows.Add(new OutboxRow(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5),
                r.IsDBNull(6) ? null : r.GetString(6), r.GetInt64(7) != 0, Parse(r.GetString(8))));
        return rows;
    }

    /// <summary>Writes a batch in one transaction (one fsync for all of it).</summary>
    public void Commit(StoreBatch batch)
    {
        if (batch.IsEmpty) return;
        using var tx = _writer.BeginTransaction();
        foreach (var cmd in new[] { _upsert, _outboxInsert, _outboxDelete, _history }) cmd.Transaction = tx;
        foreach (var i in batch.Instances.Values)
        {
            var p = _upsert.Parameters;
            p[0].Value = i.Id; p[1].Value = i.Workflow; p[2].Value = i.Version; p[3].Value = i.Revision; p[4].Value = i.Key;
            p[5].Value = i.Status.ToString(); p[6].Value = i.Event.GetRawText(); p[7].Value = (object?)i.TraceParent ?? DBNull.Value;
            p[8].Value = Text(i.CreatedAt); p[9].Value = Text(i.UpdatedAt); p[10].Value = (object?)i.Error ?? DBNull.Value;
            p[11].Value = JsonSerializer.Serialize(i.State, WorkflowJsonContext.Default.InstanceState);
            _upsert.ExecuteNonQuery();
        }
        foreach (var o in batch.Outbox)
        {
            var p = _outboxInsert.Parameters;
            p[0].Value = o.Key; p[1].Value = o.Instance; p[2].Value = o.Step; p[3].Value = o.Connector; p[4].Value = o.Operation;
            p[5].Value = o.Input; p[6].Value = (object?)o.TraceParent ?? DBNull.Value; p[7].Value = o.Compensation ? 1 : 0; p[8].Value = Text(o.CreatedAt);
            _outboxInsert.ExecuteNonQuery();
        }
        foreach (var key in batch.OutboxDone)
        {
            _outboxDelete.Parameters[0].Value = key;
            _outboxDelete.ExecuteNonQuery();
        }
        foreach (var h in batch.History)
        {
            var p = _history.Parameters;
            p[0].Value = h.Instance; p[1].Value = h.Step; p[2].Value = h.Kind; p[3].Value = h.Iteration; p[4].Value = h.Attempts;
            p[5].Value = h.StartedAt is { } s ? Text(s) : DBNull.Value; p[6].Value = Text(h.FinishedAt); p[7].Value = h.Outcome;
            p[8].Value = (object?)h.DocumentId ?? DBNull.Value; p[9].Value = (object?)h.Request ?? DBNull.Value;
            p[10].Value = (object?)h.Response ?? DBNull.Value; p[11].Value = (object?)h.Reason ?? DBNull.Value; p[12].Value = h.Compensation ? 1 : 0;
            _history.ExecuteNonQuery();
        }
        tx.Commit();
        foreach (var cmd in new[] { _upsert, _outboxInsert, _outboxDelete, _history }) cmd.Transaction = null;
    }

    /// <summary>One instance, or null.</summary>
    public InstanceRow? GetInstance(string id)
    {
        lock (_readLock)
        {
            using var cmd = _reader.CreateCommand();
            cmd.CommandText = $"SELECT {InstanceColumns} FROM wf_instances WHERE id = $id";
            cmd.Parameters.AddWithValue("$id", id);
            return ReadInstances(cmd).FirstOrDefault();
        }
    }

    /// <summary>Instances, newest change first, filtered by status and workflow.</summary>
    public List<InstanceRow> ListInstances(InstanceStatus? status, string? workflow, int limit)
    {
        lock (_readLock)
        {
            using var cmd = _reader.CreateCommand();
            cmd.CommandText = $"""
                SELECT {InstanceColumns} FROM wf_instances
                WHERE ($status IS NULL OR status = $status) AND ($wf IS NULL OR workflow = $wf)
                ORDER BY updated_at DESC LIMIT $limit
                """;
            cmd.Parameters.AddWithValue("$status", (object?)status?.ToString() ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$wf", (object?)workflow ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$limit", Math.Clamp(limit, 1, 10_000));
            return ReadInstances(cmd);
        }
    }

    /// <summary>Instance counts by status.</summary>
    public Dictionary<string, long> CountByStatus()
    {
        lock (_readLock)
        {
            using var cmd = _reader.CreateCommand();
            cmd.CommandText = "SELECT status, COUNT(*) FROM wf_instances GROUP BY status";
            using var r = cmd.ExecuteReader();
            var counts = new Dictionary<string, long>(StringComparer.Ordinal);
            while (r.Read()) counts[r.GetString(0)] = r.GetInt64(1);
            return counts;
        }
    }

    /// <summary>The step history of an instance, in order.</summary>
    public List<StepHistoryRow> GetHistory(string instanceId)
    {
        lock (_readLock)
        {
            using var cmd = _reader.CreateCommand();
            cmd.CommandText = """
                SELECT instance, step, kind, iteration, attempts, started_at, finished_at, outcome, document_id, request, response, reason, compensation
                FROM wf_step_history WHERE instance = $id ORDER BY seq
                """;
            cmd.Parameters.AddWithValue("$id", instanceId);
            using var r = cmd.ExecuteReader();
            var rows = new List<StepHistoryRow>();
            while (r.Read())
                rows.Add(new StepHistoryRow(r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt32(3), r.GetInt32(4),
                    r.IsDBNull(5) ? null : Parse(r.GetString(5)), Parse(r.GetString(6)), r.GetString(7), Str(r, 8), Str(r, 9), Str(r, 10), Str(r, 11),
                    r.GetInt64(12) != 0));
            return rows;
        }
    }

    private const string InstanceColumns = "id, workflow, version, revision, business_key, status, event, traceparent, created_at, updated_at, error, state";

    private static List<InstanceRow> ReadInstances(SqliteCommand cmd)
    {
        using var r = cmd.ExecuteReader();
        var rows = new List<InstanceRow>();
        while (r.Read())
            rows.Add(new InstanceRow(r.GetString(0), r.GetString(1), r.GetInt32(2), r.GetString(3), r.GetString(4),
                Enum.Parse<InstanceStatus>(r.GetString(5)), r.GetString(6), Str(r, 7), Parse(r.GetString(8)), Parse(r.GetString(9)), Str(r, 10), r.GetString(11)));
        return rows;
    }

    private static string? Str(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static string Text(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static DateTimeOffset Parse(string s) => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var cmd in new[] { _upsert, _outboxInsert, _outboxDelete, _history, _exists }) cmd.Dispose();
        _writer.Dispose();
        lock (_readLock) _reader.Dispose();
    }
}
