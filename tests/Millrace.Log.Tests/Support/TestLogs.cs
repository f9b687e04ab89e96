using Millrace.Log.Sqlite;

namespace Millrace.Log.Tests.Support;

internal static class TestLogs
{
    public static SqliteEventLogOptions Options(TempDirectory dir, int partitions = 4) => new()
    {
        Path = dir.File("events.db"),
        PartitionCount = partitions,
        // Tests run on a shared machine: NORMAL keeps them fast and is still kill -9 safe.
        SynchronousMode = SqliteSynchronousMode.Normal,
        RetentionInterval = Timeout.InfiniteTimeSpan,
    };

    public static SqliteEventLog Open(TempDirectory dir, int partitions = 4, TimeProvider? time = null) =>
        SqliteEventLog.Open(Options(dir, partitions), time);

    /// <summary>Reads a whole partition from its start.</summary>
    public static async Task<List<LogEntry>> ReadAll(IEventLog log, int partition)
    {
        var all = new List<LogEntry>();
        long next = 0;
        for (int guard = 0; guard < 100_000; guard++)
        {
            var page = await log.ReadAsync(partition, next, 1000);
            if (page.Count == 0) return all;
            all.AddRange(page);
            next = page[^1].Position.Offset + 1;
        }

        throw new InvalidOperationException("Partition did not end.");
    }

    /// <summary>A key that maps to the wanted partition (keys are hashed, so search a few).</summary>
    public static string KeyFor(IEventLog log, int partition, string prefix = "machine") =>
        KeyFor(log.PartitionCount, partition, prefix);

    /// <summary>Same, for a partition count; keys all have the same length so record sizes are comparable.</summary>
    public static string KeyFor(int partitionCount, int partition, string prefix = "machine")
    {
        for (int i = 0; i < 100_000; i++)
        {
            string key = $"{prefix}-{i:D5}";
            if (PartitionHash.PartitionOf(key, partitionCount) == partition) return key;
        }

        throw new InvalidOperationException($"No key for partition {partition}.");
    }

    /// <summary>Hang guard for awaits in tests: not a timing assertion, only a bound so a bug cannot hang the run.</summary>
    public static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);
}
