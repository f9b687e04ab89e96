namespace Millrace.Log.Sqlite;

/// <summary>
/// Encodes (partition, offset) into one 64-bit rowid (<c>partition &lt;&lt; 51 | offset</c>); a chunk row is keyed by its first record.
/// A rowid table (rather than WITHOUT ROWID keyed by (partition, offset), which spills large rows to overflow pages
/// far more eagerly) and one integer key make a partition a contiguous key range.
/// </summary>
internal static class RecordKey
{
    private const int OffsetBits = 51;

    /// <summary>Largest offset a partition can reach (2^51 - 1, centuries at full speed).</summary>
    public const long MaxOffset = (1L << OffsetBits) - 1;

    public static long Of(int partition, long offset) => ((long)partition << OffsetBits) | offset;

    public static long OffsetOf(long key) => key & MaxOffset;

    /// <summary>First key of the partition (inclusive).</summary>
    public static long Start(int partition) => Of(partition, 0);

    /// <summary>First key after the partition (exclusive).</summary>
    public static long End(int partition) => (long)(partition + 1) << OffsetBits;
}
