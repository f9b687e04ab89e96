using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace Millrace.Log.Sqlite;

/// <summary>
/// The embedded event log on SQLite (WAL). One writer commits appends in groups (group commit); readers use their
/// own connections. See docs/event-log.md for the model and the durability guarantee.
/// </summary>
/// <remarks>
/// One process at a time: a lock file next to the database (<c>&lt;path&gt;.lock</c>) refuses a second opener, because
/// two writers would hand out the same offsets.
/// </remarks>
public sealed class SqliteEventLog : IEventLog
{
    private const int MaxPooledReaders = 8;
    private const int FollowPageSize = 512;

    private readonly SqliteEventLogOptions _options;
    private readonly TimeProvider _time;
    private readonly FileStream _lockFile;
    private readonly SqliteConnection _writerConnection;
    private readonly LogWriter _writer;
    private readonly PartitionTable _partitions;
    private readonly RequestPool<AppendRequest> _appendPool;
    private readonly ConcurrentBag<ReaderSession> _readers = [];
    private readonly ITimer? _retentionTimer;
    private int _backgroundRetentionQueued;
    private Exception? _backgroundRetentionError;
    private int _disposed;
    private readonly WalCheckpointer _checkpointer;
    private readonly SqliteLogMetrics _metrics;

    private SqliteEventLog(SqliteEventLogOptions options, TimeProvider time, FileStream lockFile, SqliteConnection writerConnection, PartitionExtent[] extents)
    {
        _options = options;
        _time = time;
        _lockFile = lockFile;
        _writerConnection = writerConnection;
        _partitions = new PartitionTable(extents);
        _metrics = new SqliteLogMetrics(options.MetricsScope);
        _writer = new LogWriter(writerConnection, extents, _partitions, options, time, _metrics);
        _checkpointer = new WalCheckpointer(options.Path, () => _writer.Committed, _metrics);
        _appendPool = new RequestPool<AppendRequest>(Math.Min(options.MaxPendingAppends, 4096), pool => new AppendRequest(pool));
        if (!options.Retention.IsUnbounded && options.RetentionInterval != Timeout.InfiniteTimeSpan)
            _retentionTimer = time.CreateTimer(_ => QueueBackgroundRetention(), null, options.RetentionInterval, options.RetentionInterval);
    }

    /// <summary>
    /// Opens (creating if needed) the log at <see cref="SqliteEventLogOptions.Path"/>.
    /// </summary>
    /// <param name="options">Validated here; invalid options throw <see cref="ArgumentException"/>.</param>
    /// <param name="timeProvider">Clock for append times and retention; <see cref="TimeProvider.System"/> when null.</param>
    /// <exception cref="InvalidOperationException">
    /// The file is open in another log instance, was created with another partition count, or is inconsistent.
    /// </exception>
    public static SqliteEventLog Open(SqliteEventLogOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        string path = System.IO.Path.GetFullPath(options.Path);
        string? directory = System.IO.Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);

        FileStream lockFile;
        try
        {
            lockFile = new FileStream(path + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new InvalidOperationException($"Event log '{path}' is already open (by this or another process); only one instance may write it.", e);
        }

        SqliteConnection? connection = null;
        try
        {
            connection = SqliteSchema.OpenConnection(path, readOnly: false);
            SqliteSchema.ConfigureWriter(connection, options.SynchronousMode);
            SqliteSchema.Initialize(connection, options.PartitionCount, path);
            var extents = SqliteSchema.LoadPartitions(connection, options.PartitionCount, path);
            return new SqliteEventLog(options with { Path = path }, timeProvider ?? TimeProvider.System, lockFile, connection, extents);
        }
        catch
        {
            connection?.Dispose();
            lockFile.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public int PartitionCount => _options.PartitionCount;

    /// <summary>The options the log was opened with (path made absolute).</summary>
    public SqliteEventLogOptions Options => _options;

    /// <summary>Counters since open; <see cref="SqliteEventLogStatistics.Transactions"/> shows group commit at work.</summary>
    public SqliteEventLogStatistics Statistics => _writer.Statistics;

    /// <summary>
    /// The error of the last failed background retention pass, or null when the last pass succeeded (or none ran).
    /// Background passes have no caller to throw to, so a health check should look here.
    /// </summary>
    public Exception? LastBackgroundRetentionError => Volatile.Read(ref _backgroundRetentionError);

    /// <inheritdoc />
    public int PartitionOf(string partitionKey) => PartitionHash.PartitionOf(partitionKey, _options.PartitionCount);

    /// <inheritdoc />
    public ValueTask<LogPosition> AppendAsync(LogRecord record, CancellationToken cancellationToken = default)
    {
        LogRecordRules.Validate(record);
        ThrowIfDisposed();
        AppendRequest request = _appendPool.Rent();
        request.Prepare(record);
        return _writer.Queue.TryWrite(request) ? request.AsValueTask() : EnqueueSlowAsync(request, cancellationToken);
    }

    private async ValueTask<LogPosition> EnqueueSlowAsync(AppendRequest request, CancellationToken cancellationToken)
    {
        try
        {
            await _writer.Queue.WriteAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            request.Abandon();
            if (e is ChannelClosedException) throw Disposed();
            throw;
        }

        return await request.AsValueTask().ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<LogPosition>> AppendBatchAsync(IReadOnlyList<LogRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        for (int i = 0; i < records.Count; i++) LogRecordRules.Validate(records[i], $"{nameof(records)}[{i}]");
        ThrowIfDisposed();
        if (records.Count == 0) return [];
        var request = new BatchAppendRequest(records);
        await EnqueueAsync(request, cancellationToken).ConfigureAwait(false);
        return await request.Task.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<LogEntry>> ReadAsync(int partition, long fromOffset, int maxCount, CancellationToken cancellationToken = default)
    {
        CheckPartition(partition);
        ArgumentOutOfRangeException.ThrowIfNegative(fromOffset);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        cancellationToken.ThrowIfCancellationRequested();
        // Retention may have cut inside a chunk: records below the start are gone even if their bytes remain.
        var extent = _partitions.Get(partition);
        long from = Math.Max(fromOffset, extent.StartOffset);
        // Only published (durable) records: SQLite shows a commit to readers before its fsync is done and published, and
        // a reader acting on such a record could act on one a power cut takes back (and its checkpoint past the
        // published next offset would be refused).
        if (from >= extent.NextOffset)
        {
            ThrowIfDisposed();
            return new([]);
        }
        int count = (int)Math.Min(maxCount, extent.NextOffset - from);
        return new(WithReader(r => (IReadOnlyList<LogEntry>)r.ReadPage(partition, from, count)));
    }

    /// <inheritdoc />
    public ValueTask<long> FindOffsetAsync(int partition, DateTimeOffset time, CancellationToken cancellationToken = default)
    {
        CheckPartition(partition);
        cancellationToken.ThrowIfCancellationRequested();
        PartitionExtent extent = _partitions.Get(partition);
        long ticks = time.UtcTicks;
        return new(WithReader(reader =>
        {
            long lo = extent.StartOffset, hi = extent.NextOffset;
            while (lo < hi)
            {
                long mid = lo + (hi - lo) / 2;
                // A record missing inside the range was just deleted by retention: it was older than anything kept.
                if (reader.AppendedAt(partition, mid) is { } at && at >= ticks) hi = mid; else lo = mid + 1;
            }

            return lo;
        }));
    }

    /// <inheritdoc />
    public ValueTask WaitForAppendAsync(int partition, long offset, CancellationToken cancellationToken = default)
    {
        CheckPartition(partition);
        ThrowIfDisposed();
        return _partitions.WaitBeyondAsync(partition, offset, cancellationToken);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<LogEntry> FollowAsync(int partition, long fromOffset, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        CheckPartition(partition);
        ArgumentOutOfRangeException.ThrowIfNegative(fromOffset);
        long next = fromOffset;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var page = await ReadAsync(partition, next, FollowPageSize, cancellationToken).ConfigureAwait(false);
            if (page.Count == 0)
            {
                // Nothing at or after `next` is stored: skip past anything retention removed, then sleep until an append.
                next = Math.Max(next, _partitions.Get(partition).StartOffset);
                await WaitForAppendAsync(partition, next, cancellationToken).ConfigureAwait(false);
                continue;
            }

            foreach (var entry in page)
            {
                yield return entry;
                next = entry.Position.Offset + 1;
            }
        }
    }

    /// <inheritdoc />
    public ValueTask<PartitionInfo> GetPartitionInfoAsync(int partition, CancellationToken cancellationToken = default)
    {
        CheckPartition(partition);
        ThrowIfDisposed();
        return new(ToInfo(partition, _partitions.Get(partition)));
    }

    /// <inheritdoc />
    public ValueTask<LogInfo> GetInfoAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        var extents = _partitions.Snapshot();
        var partitions = new PartitionInfo[extents.Length];
        long retained = 0;
        for (int p = 0; p < extents.Length; p++)
        {
            partitions[p] = ToInfo(p, extents[p]);
            retained += partitions[p].RetainedBytes;
        }

        return new(new LogInfo(partitions, retained, FileLength(_options.Path) + FileLength(_options.Path + "-wal")));
    }

    /// <inheritdoc />
    public ValueTask<ConsumerCheckpoint> GetCheckpointAsync(string group, int partition, CancellationToken cancellationToken = default)
    {
        CheckGroup(group);
        CheckPartition(partition);
        cancellationToken.ThrowIfCancellationRequested();
        long? committed = WithReader(r => r.Checkpoint(group, partition));
        long start = _partitions.Get(partition).StartOffset;
        long next = Math.Max(committed ?? start, start);
        return new(new ConsumerCheckpoint(group, partition, next, committed.HasValue, committed is { } c && c < start ? start - c : 0));
    }

    /// <inheritdoc />
    public async ValueTask CommitCheckpointAsync(string group, int partition, long nextOffset, CancellationToken cancellationToken = default)
    {
        CheckGroup(group);
        CheckPartition(partition);
        ArgumentOutOfRangeException.ThrowIfNegative(nextOffset);
        // The next offset only grows, so a value valid now is still valid when the writer gets to it.
        long next = _partitions.Get(partition).NextOffset;
        if (nextOffset > next)
            throw new ArgumentOutOfRangeException(nameof(nextOffset), nextOffset,
                $"Checkpoint for group '{group}' in partition {partition} cannot pass the partition's next offset {next}.");
        ThrowIfDisposed();
        var request = new CheckpointRequest(group, partition, nextOffset);
        await EnqueueAsync(request, cancellationToken).ConfigureAwait(false);
        await request.Task.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<RetentionResult> ApplyRetentionAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        var request = new RetentionRequest();
        await EnqueueAsync(request, cancellationToken).ConfigureAwait(false);
        return await request.Task.ConfigureAwait(false);
    }

    /// <summary>Stops accepting appends, commits everything already queued, then closes the database.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _retentionTimer?.Dispose();
        _writer.Queue.TryComplete();
        await _writer.Completion.ConfigureAwait(false);
        await _checkpointer.DisposeAsync().ConfigureAwait(false);
        _partitions.Close(Disposed());
        _writer.Dispose();
        _writerConnection.Dispose();
        while (_readers.TryTake(out var reader)) reader.Dispose();
        _lockFile.Dispose();
        _metrics.Dispose();
    }

    private void QueueBackgroundRetention()
    {
        if (Interlocked.Exchange(ref _backgroundRetentionQueued, 1) == 1) return;
        var request = new RetentionRequest();
        if (Volatile.Read(ref _disposed) == 1 || !_writer.Queue.TryWrite(request))
        {
            Volatile.Write(ref _backgroundRetentionQueued, 0);
            return;
        }

        // There is no caller to throw to: keep the outcome for health checks instead.
        request.Task.ContinueWith(t =>
        {
            Volatile.Write(ref _backgroundRetentionError, t.Exception?.GetBaseException());
            Volatile.Write(ref _backgroundRetentionQueued, 0);
        }, TaskScheduler.Default);
    }

    private async ValueTask EnqueueAsync(WriteRequest request, CancellationToken cancellationToken)
    {
        try
        {
            await _writer.Queue.WriteAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            throw Disposed();
        }
    }

    private T WithReader<T>(Func<ReaderSession, T> read)
    {
        ThrowIfDisposed();
        if (!_readers.TryTake(out var reader)) reader = new ReaderSession(_options.Path);
        try
        {
            return read(reader);
        }
        finally
        {
            if (Volatile.Read(ref _disposed) == 0 && _readers.Count < MaxPooledReaders) _readers.Add(reader);
            else reader.Dispose();
        }
    }

    private static PartitionInfo ToInfo(int partition, PartitionExtent e) =>
        new(partition, e.StartOffset, e.NextOffset, e.NextByte - e.StartByte);

    private static long FileLength(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;

    private void CheckPartition(int partition)
    {
        if ((uint)partition >= (uint)_options.PartitionCount)
            throw new ArgumentOutOfRangeException(nameof(partition), partition, $"Partition must be in [0, {_options.PartitionCount}).");
    }

    private static void CheckGroup(string group)
    {
        if (string.IsNullOrWhiteSpace(group))
            throw new ArgumentException("A consumer group name is required.", nameof(group));
        if (group.Length > LogRecordRules.MaxTextLength)
            throw new ArgumentException($"Consumer group names are at most {LogRecordRules.MaxTextLength} characters.", nameof(group));
    }

    private void ThrowIfDisposed()
    {
        if (Volatile.Read(ref _disposed) == 1) throw Disposed();
    }

    private static ObjectDisposedException Disposed() => new(nameof(SqliteEventLog), "The event log has been disposed.");
}
