namespace Millrace.Log;

/// <summary>
/// Where a consumer group resumes in one partition.
/// </summary>
/// <param name="Group">The consumer group name.</param>
/// <param name="Partition">The partition number.</param>
/// <param name="NextOffset">
/// The offset the group should read next. It is the committed value, clamped up to the partition's
/// <see cref="PartitionInfo.StartOffset"/> when retention has already deleted records the group had not consumed yet.
/// When the group never committed in this partition it is the partition's start offset (read from the oldest record).
/// </param>
/// <param name="IsCommitted">True when the group has committed a checkpoint for this partition.</param>
/// <param name="LostToRetention">
/// How many records the group never consumed because retention deleted them first (0 in the normal case). A consumer
/// that sees a non-zero value should report the gap; the log cannot bring those records back.
/// </param>
public sealed record ConsumerCheckpoint(string Group, int Partition, long NextOffset, bool IsCommitted, long LostToRetention);
