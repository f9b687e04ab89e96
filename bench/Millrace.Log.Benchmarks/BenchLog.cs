using Millrace.Log.Sqlite;

namespace Millrace.Log.Benchmarks;

/// <summary>A log in a fresh temp directory and 1 KB records to feed it.</summary>
internal sealed class BenchLog : IAsyncDisposable
{
    public const int EventSize = 1024;
    private readonly string _directory;

    public BenchLog(SqliteSynchronousMode mode, int partitions = 16)
    {
        _directory = Path.Combine(Path.GetTempPath(), "millrace-log-bench", Guid.NewGuid().ToString("N"));
        Log = SqliteEventLog.Open(new SqliteEventLogOptions
        {
            Path = Path.Combine(_directory, "events.db"),
            PartitionCount = partitions,
            SynchronousMode = mode,
        });
    }

    public SqliteEventLog Log { get; }

    /// <summary>Pre-built records (64 partition keys, CloudEvent-sized JSON payload) so the benchmark measures the log.</summary>
    public static LogRecord[] Records(int count)
    {
        var records = new LogRecord[count];
        var payload = new byte[EventSize];
        "{\"specversion\":\"1.0\",\"type\":\"com.millrace.press.cycle\",\"data\":{"u8.CopyTo(payload);
        payload.AsSpan(60).Fill((byte)'x');
        payload[^2] = (byte)'}';
        payload[^1] = (byte)'}';
        var time = DateTimeOffset.UtcNow;
        for (int i = 0; i < count; i++)
            records[i] = new LogRecord($"press-{i % 64}", $"evt-{i:D8}", "com.millrace.press.cycle", time, payload);
        return records;
    }

    public async ValueTask DisposeAsync()
    {
        await Log.DisposeAsync();
        try { Directory.Delete(_directory, recursive: true); }
        catch (IOException) { }
    }
}
