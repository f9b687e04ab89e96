namespace Millrace.Log;

/// <summary>
/// The address of a record in the log: a partition and a dense, zero-based offset inside it.
/// Offsets in a partition are assigned in commit order, increase by exactly one per record and are never reused,
/// even after retention has deleted the records below them.
/// </summary>
/// <param name="Partition">The partition number, in <c>[0, PartitionCount)</c>.</param>
/// <param name="Offset">The offset inside the partition.</param>
public readonly record struct LogPosition(int Partition, long Offset)
{
    /// <inheritdoc />
    public override string ToString() => $"{Partition}:{Offset}";
}
