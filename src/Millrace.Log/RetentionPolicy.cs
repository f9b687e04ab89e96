namespace Millrace.Log;

/// <summary>
/// How long and how much the log keeps. Retention deletes whole records from the head (oldest first) of partitions;
/// it never creates gaps in the middle of a partition. Null means "no limit" for that dimension.
/// </summary>
/// <param name="MaxAge">Records whose append time is older than this (relative to the log's clock) are deleted.</param>
/// <param name="MaxBytes">
/// Upper bound for <see cref="LogInfo.RetainedBytes"/>. When exceeded, the oldest records across all partitions
/// (by append time) are deleted until the log fits.
/// </param>
public sealed record RetentionPolicy(TimeSpan? MaxAge = null, long? MaxBytes = null)
{
    /// <summary>Keep everything forever.</summary>
    public static RetentionPolicy KeepForever { get; } = new();

    /// <summary>True when neither limit is set.</summary>
    public bool IsUnbounded => MaxAge is null && MaxBytes is null;
}
