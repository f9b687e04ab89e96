using Microsoft.Data.Sqlite;
using Millrace.Hub.Hosting;

namespace Millrace.Hub.Processing.Checkpoints;

/// <summary>
/// Shard checkpoints in the hub store (<c>hub.db</c>, table <c>rule_checkpoints</c>, one row per shard, replaced on
/// every checkpoint). Written with <c>synchronous=FULL</c>: a saved checkpoint survives a crash or power loss.
/// </summary>
public sealed class RuleCheckpointStore : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly Lock _gate = new();

    private RuleCheckpointStore(SqliteConnection connection) => _connection = connection;

    /// <summary>Opens (creating if needed) the store at <paramref name="path"/>, normally the data folder's <c>hub.db</c>.</summary>
    public static RuleCheckpointStore Open(string path)
    {
        var connection = HubDatabase.Open(path, """
            CREATE TABLE IF NOT EXISTS rule_checkpoints(
                shard INTEGER PRIMARY KEY,
                shard_count INTEGER NOT NULL,
                max_event_time INTEGER NOT NULL,
                watermark INTEGER NOT NULL,
                log_offsets TEXT NOT NULL,
                state BLOB NOT NULL,
                written_at INTEGER NOT NULL);
            """);
        return new RuleCheckpointStore(connection);
    }

    /// <summary>Every saved shard checkpoint, by shard.</summary>
    public IReadOnlyList<ShardCheckpoint> LoadAll()
    {
        lock (_gate)
        {
            using var cmd = _connection.CreateCommand();
            cmd.CommandText = "SELECT shard, shard_count, max_event_time, watermark, log_offsets, state, written_at FROM rule_checkpoints ORDER BY shard";
            using var reader = cmd.ExecuteReader();
            var list = new List<ShardCheckpoint>();
            while (reader.Read())
            {
                long[] offsets = reader.GetString(4).Length == 0 ? [] : reader.GetString(4).Split(',').Select(long.Parse).ToArray();
                list.Add(new ShardCheckpoint(reader.GetInt32(0), reader.GetInt32(1), reader.GetInt64(2), reader.GetInt64(3), offsets,
                    (byte[])reader.GetValue(5), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6))));
            }
            return list;
        }
    }

    /// <summary>Replaces the shard's checkpoint; returns once committed durably.</summary>
    public void Save(ShardCheckpoint checkpoint)
    {
        lock (_gate)
        {
            using var cmd = _connection.CreateCommand();
            cmd.CommandText = """
                INSERT INTO rule_checkpoints(shard, shard_count, max_event_time, watermark, log_offsets, state, written_at)
                VALUES ($s, $c, $m, $w, $o, $b, $t)
                ON CONFLICT(shard) DO UPDATE SET shard_count=excluded.shard_count, max_event_time=excluded.max_event_time,
                    watermark=excluded.watermark, log_offsets=excluded.log_offsets, state=excluded.state, written_at=excluded.written_at
                """;
            cmd.Parameters.AddWithValue("$s", checkpoint.Shard);
            cmd.Parameters.AddWithValue("$c", checkpoint.ShardCount);
            cmd.Parameters.AddWithValue("$m", checkpoint.MaxEventTimeMs);
            cmd.Parameters.AddWithValue("$w", checkpoint.WatermarkMs);
            cmd.Parameters.AddWithValue("$o", string.Join(',', checkpoint.LogNextOffsets));
            cmd.Parameters.Add("$b", SqliteType.Blob).Value = checkpoint.State;
            cmd.Parameters.AddWithValue("$t", checkpoint.WrittenAt.ToUnixTimeMilliseconds());
            cmd.ExecuteNonQuery();
        }
    }

    /// <summary>Forgets every checkpoint (the shard layout changed on purpose).</summary>
    public void Clear()
    {
        lock (_gate)
        {
            using var cmd = _connection.CreateCommand();
            cmd.CommandText = "DELETE FROM rule_checkpoints";
            cmd.ExecuteNonQuery();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _connection.Dispose();
}
