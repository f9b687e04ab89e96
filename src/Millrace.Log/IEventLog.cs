namespace Millrace.Log;

/// <summary>
/// A durable, partitioned, append-only event log. This is the backend-neutral contract: the embedded SQLite backend
/// (<c>Sqlite.SqliteEventLog</c>) implements it today, a RabbitMQ + PostgreSQL backend may replace it later.
/// See docs/event-log.md for the full model and the guarantees every implementation must honour.
/// </summary>
/// <remarks>
/// <para>Ordering: records are ordered per partition only. Records with the same partition key (see
/// <see cref="PartitionOf"/>) are read back in the order their appends were acknowledged; there is no order across
/// partitions.</para>
/// <para>Durability: a ValueTask returned by an append method completes successfully only after the record is
/// durably committed. An acknowledged record survives a crash of the process (and, depending on the backend's
/// configuration, of the machine) and is stored exactly once at the returned position.</para>
/// <para>All members are safe to call concurrently. Each returned <see cref="ValueTask"/> must be awaited exactly once.</para>
/// </remarks>
public interface IEventLog : IAsyncDisposable
{
    /// <summary>Number of partitions; fixed for the lifetime of the log's storage.</summary>
    int PartitionCount { get; }

    /// <summary>The partition a key maps to. Stable across processes and machines (<see cref="PartitionHash"/>).</summary>
    int PartitionOf(string partitionKey);

    /// <summary>
    /// Appends one record; completes with its position once the transaction holding it is durably committed.
    /// Concurrent appends are coalesced into one commit (group commit).
    /// </summary>
    /// <param name="record">The record to append.</param>
    /// <param name="cancellationToken">
    /// Observed only while waiting for room in the bounded append queue (back-pressure). Once the record is queued it
    /// will be committed (or fail) regardless, so cancellation never leaves an append half-done.
    /// </param>
    ValueTask<LogPosition> AppendAsync(LogRecord record, CancellationToken cancellationToken = default);

    /// <summary>
    /// Appends records atomically (all are committed in the same transaction or none is) and in order; completes with
    /// their positions, index for index, once durably committed.
    /// </summary>
    ValueTask<IReadOnlyList<LogPosition>> AppendBatchAsync(IReadOnlyList<LogRecord> records, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads up to <paramref name="maxCount"/> committed records of a partition in offset order, starting at
    /// <paramref name="fromOffset"/>. If that offset was already deleted by retention, reading starts at the
    /// partition's start offset (the caller sees the jump in <see cref="LogEntry.Position"/>). Returns an empty list
    /// at the tail.
    /// </summary>
    ValueTask<IReadOnlyList<LogEntry>> ReadAsync(int partition, long fromOffset, int maxCount, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replay by time: the first retained offset of the partition whose append time is at or after
    /// <paramref name="time"/>, or the partition's next offset when there is none.
    /// </summary>
    ValueTask<long> FindOffsetAsync(int partition, DateTimeOffset time, CancellationToken cancellationToken = default);

    /// <summary>
    /// Completes when the partition holds a committed record at <paramref name="offset"/> or beyond, i.e. when
    /// <see cref="PartitionInfo.NextOffset"/> &gt; <paramref name="offset"/>. Completes immediately if that is already
    /// the case. Lets tail readers wait without polling.
    /// </summary>
    ValueTask WaitForAppendAsync(int partition, long offset, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads the partition from <paramref name="fromOffset"/> and keeps following it: yields committed entries as they
    /// arrive until <paramref name="cancellationToken"/> is cancelled (which ends the enumeration by throwing
    /// <see cref="OperationCanceledException"/>).
    /// </summary>
    IAsyncEnumerable<LogEntry> FollowAsync(int partition, long fromOffset, CancellationToken cancellationToken = default);

    /// <summary>A snapshot of one partition's start and next offsets.</summary>
    ValueTask<PartitionInfo> GetPartitionInfoAsync(int partition, CancellationToken cancellationToken = default);

    /// <summary>A snapshot of all partitions and the log's sizes.</summary>
    ValueTask<LogInfo> GetInfoAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Where consumer group <paramref name="group"/> resumes in <paramref name="partition"/>, clamped to what retention
    /// kept (see <see cref="ConsumerCheckpoint"/>).
    /// </summary>
    ValueTask<ConsumerCheckpoint> GetCheckpointAsync(string group, int partition, CancellationToken cancellationToken = default);

    /// <summary>
    /// Durably records that <paramref name="group"/> has processed everything below <paramref name="nextOffset"/> in
    /// <paramref name="partition"/>. Checkpoints may move backwards (to re-process); they may not pass the partition's
    /// next offset.
    /// </summary>
    ValueTask CommitCheckpointAsync(string group, int partition, long nextOffset, CancellationToken cancellationToken = default);

    /// <summary>
    /// Runs one retention pass now with the configured <see cref="RetentionPolicy"/> (backends also run it
    /// periodically on their own).
    /// </summary>
    ValueTask<RetentionResult> ApplyRetentionAsync(CancellationToken cancellationToken = default);
}
