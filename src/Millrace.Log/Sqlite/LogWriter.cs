using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace Millrace.Log.Sqlite;

/// <summary>
/// The single writer. It drains the bounded request queue and commits everything it finds queued (up to the batch
/// size) in ONE transaction, then completes each caller. Requests arriving while a commit is in flight form the next
/// group, so concurrency turns into batching by itself. Offsets are assigned here, in queue order, which makes them
/// dense and per-partition ordered. The records a transaction appends to one partition are stored as one chunk row
/// (<see cref="ChunkFormat"/>): one B-tree insert per partition per commit instead of one per record is what makes
/// 1 KB events cheap to append. Only this class writes to the database.
/// </summary>
internal sealed class LogWriter : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly Channel<WriteRequest> _queue;
    private readonly PartitionTable _published;
    private readonly PartitionExtent[] _working;
    private readonly PartitionExtent[] _before;
    private readonly bool[] _touched;
    private readonly List<int> _touchedList = [];
    private readonly List<WriteRequest> _group = new(256);
    private readonly ChunkBuilder?[] _chunks;
    private readonly TimeProvider _time;
    private readonly int _maxBatchSize;
    private readonly TimeSpan _maxBatchDelay;
    private readonly RetentionPolicy _retention;
    private const int MaxChunkBytes = 4 * 1024 * 1024;
    private readonly RawStatement _begin, _commit, _rollback, _insert, _updatePartition, _upsertCheckpoint;
    private readonly RetentionPass _retentionPass;
    private readonly DurableAcknowledger _acknowledger;
    private long _nowTicks;
    private long _appendedRecords, _transactions, _largestGroup, _retentionPasses, _retentionDeleted;

    private readonly SqliteLogMetrics _metrics;

    public LogWriter(SqliteConnection connection, PartitionExtent[] extents, PartitionTable published, SqliteEventLogOptions options, TimeProvider time,
        SqliteLogMetrics metrics)
    {
        _metrics = metrics;
        _connection = connection;
        _published = published;
        _working = (PartitionExtent[])extents.Clone();
        _before = new PartitionExtent[extents.Length];
        _touched = new bool[extents.Length];
        _chunks = new ChunkBuilder?[extents.Length];
        _time = time;
        _maxBatchSize = options.MaxBatchSize;
        _maxBatchDelay = options.MaxBatchDelay;
        _retention = options.Retention;
        _queue = Channel.CreateBounded<WriteRequest>(new BoundedChannelOptions(options.MaxPendingAppends)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });

        var db = connection.Handle!;
        _begin = new RawStatement(db, "BEGIN IMMEDIATE;");
        _commit = new RawStatement(db, "COMMIT;");
        _rollback = new RawStatement(db, "ROLLBACK;");
        _insert = new RawStatement(db,
            "INSERT INTO log_chunks (id, record_count, appended_at, byte_pos, data) VALUES (?1, ?2, ?3, ?4, ?5);");
        _updatePartition = new RawStatement(db,
            "UPDATE log_partitions SET start_offset = ?2, next_offset = ?3, start_byte = ?4, next_byte = ?5, last_appended_at = ?6 WHERE part = ?1;");
        _upsertCheckpoint = new RawStatement(db,
            "INSERT INTO log_checkpoints (consumer_group, part, next_offset, updated_at) VALUES (?1, ?2, ?3, ?4) " +
            "ON CONFLICT (consumer_group, part) DO UPDATE SET next_offset = excluded.next_offset, updated_at = excluded.updated_at;");
        _retentionPass = new RetentionPass(db);
        _acknowledger = new DurableAcknowledger(options.Path + "-wal", options.SynchronousMode == SqliteSynchronousMode.Full, published, metrics);
        Completion = DedicatedThread.Start("millrace-log-writer", Run);
    }

    public ChannelWriter<WriteRequest> Queue => _queue.Writer;

    /// <summary>Completes when the queue is closed and every queued request has been committed or failed.</summary>
    public Task Completion { get; }

    public SqliteEventLogStatistics Statistics => new(
        Interlocked.Read(ref _appendedRecords),
        Interlocked.Read(ref _transactions),
        (int)Interlocked.Read(ref _largestGroup),
        Interlocked.Read(ref _retentionPasses),
        Interlocked.Read(ref _retentionDeleted),
        _acknowledger.Fsyncs);

    /// <summary>Transactions and records committed so far (cheap; read by the WAL checkpointer every few ms).</summary>
    public (long Transactions, long Records) Committed => (Interlocked.Read(ref _transactions), Interlocked.Read(ref _appendedRecords));

    /// <summary>Adds one record to its partition's chunk in the open transaction and assigns its position.</summary>
    public LogPosition Append(LogRecord record)
    {
        int partition = PartitionHash.PartitionOf(record.PartitionKey, _working.Length);
        Touch(partition);
        ref PartitionExtent extent = ref _working[partition];
        long offset = extent.NextOffset;
        if (offset >= RecordKey.MaxOffset)
            throw new InvalidOperationException($"Partition {partition} has reached the maximum offset {RecordKey.MaxOffset}.");
        var chunk = _chunks[partition] ??= new ChunkBuilder();
        // Append time never goes backwards inside a partition, even if the clock does: replay by time relies on it.
        if (chunk.IsEmpty) chunk.Start(offset, extent.NextByte, Math.Max(_nowTicks, extent.LastAppendedAtTicks));
        long size = ChunkFormat.Write(chunk, record);
        extent = extent with { NextOffset = offset + 1, NextByte = extent.NextByte + size, LastAppendedAtTicks = chunk.AppendedAtTicks };
        if (chunk.Length >= MaxChunkBytes) FlushChunk(partition, chunk);
        return new LogPosition(partition, offset);
    }

    private void FlushChunk(int partition, ChunkBuilder chunk)
    {
        _insert.Bind(1, RecordKey.Of(partition, chunk.FirstOffset));
        _insert.Bind(2, chunk.Count);
        _insert.Bind(3, chunk.AppendedAtTicks);
        _insert.Bind(4, chunk.FirstBytePos);
        _insert.Bind(5, chunk.Data);
        _insert.Execute();
        chunk.Clear();
    }

    /// <summary>Upserts a consumer group checkpoint in the open transaction.</summary>
    public void SaveCheckpoint(string group, int partition, long nextOffset)
    {
        long next = _working[partition].NextOffset;
        if (nextOffset > next)
            throw new ArgumentOutOfRangeException(nameof(nextOffset), nextOffset,
                $"Checkpoint for group '{group}' in partition {partition} cannot pass the partition's next offset {next}.");
        _upsertCheckpoint.Bind(1, group);
        _upsertCheckpoint.Bind(2, partition);
        _upsertCheckpoint.Bind(3, nextOffset);
        _upsertCheckpoint.Bind(4, _nowTicks);
        _upsertCheckpoint.Execute();
    }

    /// <summary>Deletes what the retention policy no longer keeps, in the open transaction.</summary>
    public RetentionResult ApplyRetention()
    {
        for (int p = 0; p < _working.Length; p++) Touch(p);
        var result = _retentionPass.Run(_working, _retention, _nowTicks);
        Interlocked.Increment(ref _retentionPasses);
        Interlocked.Add(ref _retentionDeleted, result.DeletedRecords);
        return result;
    }

    private void Run()
    {
        ChannelReader<WriteRequest> reader = _queue.Reader;
        try
        {
            while (DedicatedThread.WaitToRead(reader))
            {
                WriteRequest? exclusive = null;
                int records = 0;
                while (records < _maxBatchSize && reader.TryRead(out var request))
                {
                    if (request.IsExclusive) { exclusive = request; break; }
                    _group.Add(request);
                    records += request.RecordCount;
                }

                if (exclusive is null && records < _maxBatchSize && _maxBatchDelay > TimeSpan.Zero && _group.Count > 0)
                    exclusive = GatherMore(reader, records);

                if (_group.Count > 0 && CommitGroup(_group) is { } committed) DedicatedThread.Wait(_acknowledger.HandOffAsync(committed));
                _group.Clear();
                if (exclusive is not null)
                {
                    _group.Add(exclusive);
                    if (CommitGroup(_group) is { } alone) DedicatedThread.Wait(_acknowledger.HandOffAsync(alone));
                    _group.Clear();
                }
            }
        }
        finally
        {
            // every committed group acknowledged before Completion
            _acknowledger.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>Waits up to the batch delay for more requests to join a small group.</summary>
    private WriteRequest? GatherMore(ChannelReader<WriteRequest> reader, int records)
    {
        long deadline = Stopwatch.GetTimestamp() + (long)(_maxBatchDelay.TotalSeconds * Stopwatch.Frequency);
        while (records < _maxBatchSize)
        {
            if (reader.TryRead(out var request))
            {
                if (request.IsExclusive) return request;
                _group.Add(request);
                records += request.RecordCount;
                continue;
            }

            long remaining = deadline - Stopwatch.GetTimestamp();
            if (remaining <= 0) break;
            if (!DedicatedThread.WaitToRead(reader, TimeSpan.FromSeconds((double)remaining / Stopwatch.Frequency))) break;
        }

        return null;
    }

    /// <summary>
    /// Runs the requests in one transaction. On COMMIT returns the group for the <see cref="DurableAcknowledger"/>,
    /// which publishes and completes it once durable; on failure rolls back, fails the requests and returns null.
    /// </summary>
    private CommittedGroup? CommitGroup(List<WriteRequest> group)
    {
        _nowTicks = _time.GetUtcNow().UtcTicks;
        long started = Stopwatch.GetTimestamp();
        int records = 0;
        try
        {
            _begin.Execute();
            foreach (var request in group)
            {
                request.Write(this);
                records += request.RecordCount;
            }

            foreach (int p in _touchedList)
            {
                if (_chunks[p] is { IsEmpty: false } chunk) FlushChunk(p, chunk);
                ref readonly PartitionExtent e = ref _working[p];
                _updatePartition.Bind(1, p);
                _updatePartition.Bind(2, e.StartOffset);
                _updatePartition.Bind(3, e.NextOffset);
                _updatePartition.Bind(4, e.StartByte);
                _updatePartition.Bind(5, e.NextByte);
                _updatePartition.Bind(6, e.LastAppendedAtTicks);
                _updatePartition.Execute();
            }

            _commit.Execute();
            _metrics.Commit(started);
        }
        catch (Exception error)
        {
            RollBack();
            foreach (var request in group) request.Fail(error);
            return null;
        }

        var extents = new (int, PartitionExtent)[_touchedList.Count];
        for (int i = 0; i < _touchedList.Count; i++)
        {
            int p = _touchedList[i];
            extents[i] = (p, _working[p]);
            _touched[p] = false;
        }

        _touchedList.Clear();
        Interlocked.Add(ref _appendedRecords, records);
        Interlocked.Increment(ref _transactions);
        if (records > _largestGroup) Interlocked.Exchange(ref _largestGroup, records);
        return new CommittedGroup(group.ToArray(), extents);
    }

    private void RollBack()
    {
        try { _rollback.Execute(); }
        catch (SqliteException) { /* SQLite may already have rolled back (e.g. after an I/O error). */ }

        foreach (int p in _touchedList)
        {
            _working[p] = _before[p];
            _touched[p] = false;
            _chunks[p]?.Clear();
        }

        _touchedList.Clear();
    }

    private void Touch(int partition)
    {
        if (_touched[partition]) return;
        _touched[partition] = true;
        _before[partition] = _working[partition];
        _touchedList.Add(partition);
    }

    public void Dispose()
    {
        _retentionPass.Dispose();
        _begin.Dispose();
        _commit.Dispose();
        _rollback.Dispose();
        _insert.Dispose();
        _updatePartition.Dispose();
        _upsertCheckpoint.Dispose();
    }
}
