namespace Millrace.Log.Sqlite;

/// <summary>Configuration of the embedded SQLite event log. Call <see cref="Validate"/> (the log does) before use.</summary>
public sealed record SqliteEventLogOptions
{
    /// <summary>Largest partition count accepted.</summary>
    public const int MaxPartitionCount = 4096;

    /// <summary>Path of the database file; its directory is created if missing. Required.</summary>
    public string Path { get; init; } = "";

    /// <summary>
    /// Number of partitions (default 16). Fixed when the file is created; reopening with a different value is refused
    /// because it would move keys to other partitions and break per-key ordering.
    /// </summary>
    public int PartitionCount { get; init; } = 16;

    /// <summary>
    /// Most records committed in one transaction by group commit (default 4096). A single
    /// <see cref="IEventLog.AppendBatchAsync"/> call is always committed whole, even when larger.
    /// </summary>
    public int MaxBatchSize { get; init; } = 4096;

    /// <summary>
    /// How long the writer waits for more appends to join a group before committing a group smaller than
    /// <see cref="MaxBatchSize"/> (default zero: commit at once; appends that arrive during a commit form the next group
    /// anyway, which is where most of the batching comes from).
    /// </summary>
    public TimeSpan MaxBatchDelay { get; init; } = TimeSpan.Zero;

    /// <summary>
    /// Capacity of the append queue in append calls (default 8192). When full, appends wait (back-pressure) instead
    /// of buffering without bound.
    /// </summary>
    public int MaxPendingAppends { get; init; } = 8192;

    /// <summary>Durability of acknowledged appends; see <see cref="SqliteSynchronousMode"/>. Default <see cref="SqliteSynchronousMode.Full"/>.</summary>
    public SqliteSynchronousMode SynchronousMode { get; init; } = SqliteSynchronousMode.Full;

    /// <summary>What to keep; default keeps everything.</summary>
    public RetentionPolicy Retention { get; init; } = RetentionPolicy.KeepForever;

    /// <summary>
    /// How often retention runs on its own (default 1 minute; <see cref="Timeout.InfiniteTimeSpan"/> disables the
    /// timer, leaving <see cref="IEventLog.ApplyRetentionAsync"/> to the caller).
    /// </summary>
    public TimeSpan RetentionInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Scope of the log's meter (<c>Millrace.Log.Sqlite</c>: commit, WAL fsync and checkpoint durations); a host
    /// passes the scope its exporter listens to. Null: the meter is unscoped.
    /// </summary>
    public object? MetricsScope { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the offending setting when the options are unusable.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Path))
            throw Invalid(nameof(Path), "a database file path is required");
        if (PartitionCount is < 1 or > MaxPartitionCount)
            throw Invalid(nameof(PartitionCount), $"must be between 1 and {MaxPartitionCount}, was {PartitionCount}");
        if (MaxBatchSize < 1)
            throw Invalid(nameof(MaxBatchSize), $"must be at least 1, was {MaxBatchSize}");
        if (MaxBatchDelay < TimeSpan.Zero || MaxBatchDelay > TimeSpan.FromSeconds(1))
            throw Invalid(nameof(MaxBatchDelay), $"must be between 0 and 1 second, was {MaxBatchDelay}");
        if (MaxPendingAppends < 1)
            throw Invalid(nameof(MaxPendingAppends), $"must be at least 1, was {MaxPendingAppends}");
        if (!Enum.IsDefined(SynchronousMode))
            throw Invalid(nameof(SynchronousMode), $"unknown mode {(int)SynchronousMode}");
        if (Retention is null)
            throw Invalid(nameof(Retention), "must not be null; use RetentionPolicy.KeepForever");
        if (Retention.MaxAge is { } age && age <= TimeSpan.Zero)
            throw Invalid(nameof(Retention), $"MaxAge must be positive, was {age}");
        if (Retention.MaxBytes is { } bytes && bytes <= 0)
            throw Invalid(nameof(Retention), $"MaxBytes must be positive, was {bytes}");
        if (RetentionInterval != Timeout.InfiniteTimeSpan && RetentionInterval <= TimeSpan.Zero)
            throw Invalid(nameof(RetentionInterval), $"must be positive or Timeout.InfiniteTimeSpan, was {RetentionInterval}");
    }

    private static ArgumentException Invalid(string setting, string problem) =>
        new($"Invalid event log option {nameof(SqliteEventLogOptions)}.{setting}: {problem}.", setting);
}
