namespace Millrace.Log;

/// <summary>A snapshot of one partition's extent.</summary>
/// <param name="Partition">The partition number.</param>
/// <param name="StartOffset">
/// The lowest offset still retained (the head). Equal to <paramref name="NextOffset"/> when the partition is empty.
/// </param>
/// <param name="NextOffset">The offset the next appended record will get (the tail); also the count ever appended.</param>
/// <param name="RetainedBytes">Logical size of the retained records (see <see cref="LogInfo.RetainedBytes"/>).</param>
public sealed record PartitionInfo(int Partition, long StartOffset, long NextOffset, long RetainedBytes)
{
    /// <summary>Number of records currently retained in the partition.</summary>
    public long RetainedCount => NextOffset - StartOffset;
}
