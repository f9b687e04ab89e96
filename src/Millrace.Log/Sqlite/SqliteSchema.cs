using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Millrace.Log.Sqlite;

/// <summary>
/// Tables, pragmas and the open-time checks of the SQLite event log. The layout:
/// <c>log_chunks</c> (the records one transaction appended to one partition, encoded by <see cref="ChunkFormat"/>;
/// rowid = <see cref="RecordKey"/> of the first record), <c>log_partitions</c> (head/tail per partition, updated in
/// the same transaction as the records so they can never disagree), <c>log_checkpoints</c> and <c>log_meta</c>.
/// </summary>
internal static class SqliteSchema
{
    public const int Version = 1;

    private const string Ddl = """
        CREATE TABLE IF NOT EXISTS log_meta (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS log_partitions (
            part INTEGER PRIMARY KEY,
            start_offset INTEGER NOT NULL,
            next_offset INTEGER NOT NULL,
            start_byte INTEGER NOT NULL,
            next_byte INTEGER NOT NULL,
            last_appended_at INTEGER NOT NULL
        );
        CREATE TABLE IF NOT EXISTS log_chunks (
            id INTEGER PRIMARY KEY,
            record_count INTEGER NOT NULL,
            appended_at INTEGER NOT NULL,
            byte_pos INTEGER NOT NULL,
            data BLOB NOT NULL
        );
        CREATE TABLE IF NOT EXISTS log_checkpoints (
            consumer_group TEXT NOT NULL,
            part INTEGER NOT NULL,
            next_offset INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            PRIMARY KEY (consumer_group, part)
        ) WITHOUT ROWID;
        """;

    /// <summary>Opens a connection with pooling off, so disposing it really closes the file.</summary>
    public static SqliteConnection OpenConnection(string path, bool readOnly)
    {
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = readOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        };
        var connection = new SqliteConnection(builder.ToString());
        try
        {
            connection.Open();
            Exec(connection, "PRAGMA busy_timeout=10000;");
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Writer pragmas: WAL, the chosen synchronous level, a cache sized for batch commits.</summary>
    public static void ConfigureWriter(SqliteConnection connection, SqliteSynchronousMode mode)
    {
        string journal = Scalar(connection, "PRAGMA journal_mode=WAL;") ?? "";
        if (!journal.Equals("wal", StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException($"The event log needs SQLite WAL journal mode but the database reports '{journal}'.");
        // NORMAL in both modes: COMMIT writes the WAL without fsync. In Full mode DurableAcknowledger fsyncs the WAL
        // before acknowledging, off the writer thread, which gives FULL's guarantee without serialising on fsync.
        _ = mode;
        Exec(connection, "PRAGMA synchronous=NORMAL;");
        // WalCheckpointer checkpoints in the background; the writer checkpoints inline only past 64 MiB of WAL (a safety
        // valve), and the WAL is truncated back to 16 MiB after a checkpoint resets it.
        Exec(connection, "PRAGMA wal_autocheckpoint=16384; PRAGMA journal_size_limit=16777216; PRAGMA cache_size=-32768; PRAGMA temp_store=MEMORY;");
    }

    /// <summary>Creates the tables, stamps or checks the schema version and partition count, seeds partition rows.</summary>
    public static void Initialize(SqliteConnection connection, int partitionCount, string path)
    {
        using var tx = connection.BeginTransaction();
        Exec(connection, Ddl, tx);
        string? version = Meta(connection, tx, "schema_version");
        string? partitions = Meta(connection, tx, "partition_count");
        if (version is null)
        {
            SetMeta(connection, tx, "schema_version", Version.ToString(CultureInfo.InvariantCulture));
            SetMeta(connection, tx, "partition_count", partitionCount.ToString(CultureInfo.InvariantCulture));
        }
        else
        {
            if (version != Version.ToString(CultureInfo.InvariantCulture))
                throw new InvalidOperationException($"Event log '{path}' has schema version {version}; this build understands version {Version}.");
            if (partitions != partitionCount.ToString(CultureInfo.InvariantCulture))
                throw new InvalidOperationException(
                    $"Event log '{path}' was created with {partitions} partitions but was opened with PartitionCount = {partitionCount}. " +
                    "The partition count is fixed for the life of a log because changing it would move partition keys to other partitions and break per-key ordering; " +
                    $"open it with PartitionCount = {partitions} or use a new file.");
        }

        using (var seed = connection.CreateCommand())
        {
            seed.Transaction = tx;
            seed.CommandText = "INSERT OR IGNORE INTO log_partitions VALUES ($p, 0, 0, 0, 0, 0);";
            var p = seed.Parameters.Add("$p", SqliteType.Integer);
            for (int i = 0; i < partitionCount; i++)
            {
                p.Value = i;
                seed.ExecuteNonQuery();
            }
        }

        tx.Commit();
    }

    /// <summary>
    /// Loads each partition's committed extent and checks it against the records actually stored: after any crash the
    /// two must agree because they are always written in the same transaction.
    /// </summary>
    public static PartitionExtent[] LoadPartitions(SqliteConnection connection, int partitionCount, string path)
    {
        var extents = new PartitionExtent[partitionCount];
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT part, start_offset, next_offset, start_byte, next_byte, last_appended_at FROM log_partitions ORDER BY part;";
        using (var reader = cmd.ExecuteReader())
        {
            while (reader.Read())
            {
                int part = reader.GetInt32(0);
                if (part < 0 || part >= partitionCount) continue;
                extents[part] = new PartitionExtent(reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5));
            }
        }

        using var bounds = connection.CreateCommand();
        bounds.CommandText =
            "SELECT (SELECT id FROM log_chunks WHERE id >= $lo AND id < $hi ORDER BY id LIMIT 1), " +
            "(SELECT record_count FROM log_chunks WHERE id >= $lo AND id < $hi ORDER BY id LIMIT 1), " +
            "(SELECT id + record_count FROM log_chunks WHERE id >= $lo AND id < $hi ORDER BY id DESC LIMIT 1);";
        var lo = bounds.Parameters.Add("$lo", SqliteType.Integer);
        var hi = bounds.Parameters.Add("$hi", SqliteType.Integer);
        for (int p = 0; p < partitionCount; p++)
        {
            lo.Value = RecordKey.Start(p);
            hi.Value = RecordKey.End(p);
            using var reader = bounds.ExecuteReader();
            reader.Read();
            var e = extents[p];
            bool consistent = reader.IsDBNull(0)
                ? e.StartOffset == e.NextOffset
                : RecordKey.OffsetOf(reader.GetInt64(0)) is var first
                  && first <= e.StartOffset && e.StartOffset < first + reader.GetInt64(1)
                  && RecordKey.OffsetOf(reader.GetInt64(2)) == e.NextOffset;
            if (!consistent)
                throw new InvalidOperationException(
                    $"Event log '{path}' is inconsistent: partition {p} should hold offsets [{e.StartOffset}, {e.NextOffset}) but the stored records disagree. The file was modified outside the log or is corrupt.");
        }

        return extents;
    }

    public static void Exec(SqliteConnection connection, string sql, SqliteTransaction? tx = null)
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private static string? Scalar(SqliteConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar()?.ToString();
    }

    private static string? Meta(SqliteConnection connection, SqliteTransaction tx, string key)
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "SELECT value FROM log_meta WHERE key = $k;";
        cmd.Parameters.AddWithValue("$k", key);
        return cmd.ExecuteScalar() as string;
    }

    private static void SetMeta(SqliteConnection connection, SqliteTransaction tx, string key, string value)
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "INSERT INTO log_meta (key, value) VALUES ($k, $v);";
        cmd.Parameters.AddWithValue("$k", key);
        cmd.Parameters.AddWithValue("$v", value);
        cmd.ExecuteNonQuery();
    }
}

/// <summary>One partition's committed extent: offsets [start, next), logical byte positions, last append time.</summary>
internal readonly record struct PartitionExtent(long StartOffset, long NextOffset, long StartByte, long NextByte, long LastAppendedAtTicks);
