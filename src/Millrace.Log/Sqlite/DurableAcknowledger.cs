using System.Threading.Channels;

namespace Millrace.Log.Sqlite;

/// <summary>A committed group waiting to be made durable and acknowledged.</summary>
internal sealed record CommittedGroup(WriteRequest[] Requests, (int Partition, PartitionExtent Extent)[] Extents);

/// <summary>
/// Acknowledges committed groups once they are durable. In <see cref="SqliteSynchronousMode.Full"/> the writer
/// commits with SQLite's <c>synchronous=NORMAL</c> (COMMIT writes the WAL frames but does not fsync) and this class
/// fsyncs the WAL file on its own thread, then publishes and completes every group committed before that fsync.
/// The fsync of one group thus overlaps the building of the next, and one fsync covers every group that committed
/// meanwhile; an acknowledged append is exactly as durable as with <c>synchronous=FULL</c> (its frames, and the WAL
/// header written before them, are on stable storage). In <see cref="SqliteSynchronousMode.Normal"/> there is no
/// fsync: groups are acknowledged as soon as they are committed to the OS.
/// </summary>
internal sealed class DurableAcknowledger : IAsyncDisposable
{
    private readonly FileStream? _wal;
    private readonly PartitionTable _published;
    private readonly Channel<CommittedGroup> _queue;
    private readonly List<CommittedGroup> _batch = new(64);
    private readonly SqliteLogMetrics? _metrics;
    private long _fsyncs;

    public DurableAcknowledger(string walPath, bool fsync, PartitionTable published, SqliteLogMetrics? metrics = null, int capacity = 64)
    {
        _metrics = metrics;
        // Same inode as SQLite's WAL (it is never deleted while our writer connection is open), so an fsync here
        // flushes the frames SQLite wrote through its own descriptor.
        _wal = fsync ? new FileStream(walPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete, 1) : null;
        _published = published;
        // Bounded: if fsync falls behind, the writer waits instead of committing ever further ahead of durability.
        _queue = Channel.CreateBounded<CommittedGroup>(new BoundedChannelOptions(capacity) { SingleReader = true, SingleWriter = true });
        Completion = DedicatedThread.Start("millrace-log-fsync", Run);
    }

    /// <summary>fsync calls made so far.</summary>
    public long Fsyncs => Interlocked.Read(ref _fsyncs);

    /// <summary>Completes when every handed-off group has been acknowledged or failed.</summary>
    public Task Completion { get; }

    /// <summary>Hands over a committed group; waits when too many groups are waiting for durability.</summary>
    public ValueTask HandOffAsync(CommittedGroup group) => _queue.Writer.WriteAsync(group);

    private void Run()
    {
        var reader = _queue.Reader;
        while (DedicatedThread.WaitToRead(reader))
        {
            while (reader.TryRead(out var group)) _batch.Add(group);
            Exception? failure = null;
            if (_wal is not null)
            {
                try
                {
                    long started = System.Diagnostics.Stopwatch.GetTimestamp();
                    _wal.Flush(flushToDisk: true);
                    _metrics?.Fsync(started);
                    Interlocked.Increment(ref _fsyncs);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    failure = new IOException("The event log could not make committed appends durable (fsync of the WAL failed); their outcome after a power loss is unknown.", e);
                }
            }
            foreach (var group in _batch)
            {
                if (failure is not null)
                {
                    foreach (var request in group.Requests) request.Fail(failure);
                    continue;
                }
                foreach (var (partition, extent) in group.Extents) _published.Publish(partition, extent);
                foreach (var request in group.Requests) request.Complete();
            }
            _batch.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Completion.ConfigureAwait(false);
        _wal?.Dispose();
    }
}
