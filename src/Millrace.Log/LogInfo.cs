namespace Millrace.Log;

/// <summary>A snapshot of the whole log.</summary>
/// <param name="Partitions">One entry per partition, indexed by partition number.</param>
/// <param name="RetainedBytes">
/// Logical size of all retained records: payload, id, type and partition key bytes plus a fixed per-record overhead
/// (<see cref="RecordSize.OverheadBytes"/>). This is the quantity size-based retention bounds; it is backend neutral.
/// </param>
/// <param name="StorageBytes">
/// Bytes the backend occupies on its storage (for SQLite: database plus WAL file). Larger than
/// <paramref name="RetainedBytes"/> and, for SQLite, it does not shrink when records are deleted (freed pages are reused).
/// </param>
public sealed record LogInfo(IReadOnlyList<PartitionInfo> Partitions, long RetainedBytes, long StorageBytes);
