namespace Millrace.Log;

/// <summary>A record read back from the log, with where and when it was appended.</summary>
/// <param name="Record">The record exactly as it was appended.</param>
/// <param name="Position">Its partition and offset.</param>
/// <param name="AppendedAt">
/// The log's clock when the record was committed (UTC). Non-decreasing along the offsets of a partition, which is what
/// makes replay by time (<see cref="IEventLog.FindOffsetAsync"/>) and retention by age well defined.
/// </param>
public sealed record LogEntry(LogRecord Record, LogPosition Position, DateTimeOffset AppendedAt);
