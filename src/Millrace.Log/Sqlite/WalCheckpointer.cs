using Microsoft.Data.Sqlite;

namespace Millrace.Log.Sqlite;

/// <summary>
/// Copies committed WAL frames into the database file from its own connection and thread, so the single writer
/// never stalls on a checkpoint (an inline auto-checkpoint copies and fsyncs megabytes in the middle of a group
/// commit). PASSIVE checkpoints never block the writer or readers. The writer keeps a much larger auto-checkpoint
/// threshold only as a safety valve, for when this loop cannot keep up.
/// </summary>
internal sealed class WalCheckpointer : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(25);
    private readonly SqliteConnection _connection;
    private readonly Func<long> _transactions;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _checkpoints;

    private readonly SqliteLogMetrics? _metrics;

    public WalCheckpointer(string path, Func<long> transactions, SqliteLogMetrics? metrics = null)
    {
        _metrics = metrics;
        _connection = SqliteSchema.OpenConnection(path, readOnly: false);
        _transactions = transactions;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Checkpoints run so far.</summary>
    public long Checkpoints => Interlocked.Read(ref _checkpoints);

    /// <summary>The last checkpoint failure, if any (a checkpoint failing never fails an append).</summary>
    public Exception? LastError { get; private set; }

    private async Task RunAsync()
    {
        long seen = _transactions();
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                long now = _transactions();
                if (now == seen) continue; // nothing new in the WAL
                seen = now;
                try
                {
                    using var cmd = _connection.CreateCommand();
                    cmd.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
                    long started = System.Diagnostics.Stopwatch.GetTimestamp();
                    cmd.ExecuteNonQuery();
                    _metrics?.Checkpoint(started);
                    Interlocked.Increment(ref _checkpoints);
                }
                catch (SqliteException e)
                {
                    LastError = e;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await _loop.ConfigureAwait(false);
        _connection.Dispose();
        _stop.Dispose();
    }
}
