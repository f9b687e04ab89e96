using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Millrace.Log.Sqlite;

/// <summary>
/// Timings of the SQLite log's write path (<c>Millrace.Log.Sqlite</c>): each group commit, each WAL fsync before
/// acknowledgement and each background WAL checkpoint. They split the "append until durable" part of an event's
/// latency. Scoped by <see cref="SqliteEventLogOptions.MetricsScope"/> so a host's exporter sees only its own log.
/// </summary>
internal sealed class SqliteLogMetrics : IDisposable
{
    /// <summary>Name of the meter.</summary>
    public const string MeterName = "Millrace.Log.Sqlite";

    // Fine below 10 ms (a WAL fsync on an idle SSD takes well under one), coarse above; seconds.
    private static readonly double[] Bounds =
        [0.0001, 0.00025, 0.0005, 0.001, 0.002, 0.003, 0.004, 0.005, 0.0075, 0.01, 0.015, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly Meter _meter;
    private readonly Histogram<double> _commit, _fsync, _checkpoint;

    public SqliteLogMetrics(object? scope)
    {
        _meter = new Meter(new MeterOptions(MeterName) { Scope = scope });
        var advice = new InstrumentAdvice<double> { HistogramBucketBoundaries = Bounds };
        _commit = _meter.CreateHistogram("millrace.log.commit.duration", "s",
            "Time the single writer spends on one group commit (BEGIN to COMMIT, without the fsync).", tags: null, advice: advice);
        _fsync = _meter.CreateHistogram("millrace.log.fsync.duration", "s",
            "Time of one fsync of the WAL before committed groups are acknowledged.", tags: null, advice: advice);
        _checkpoint = _meter.CreateHistogram("millrace.log.wal.checkpoint.duration", "s",
            "Time of one background PASSIVE WAL checkpoint (copying frames into the database file and syncing it).", tags: null, advice: advice);
    }

    public void Commit(long started) => _commit.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);

    public void Fsync(long started) => _fsync.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);

    public void Checkpoint(long started) => _checkpoint.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);

    public void Dispose() => _meter.Dispose();
}
