using System.Text;

namespace Millrace.Log;

/// <summary>
/// The backend-neutral logical size of a record, used by size-based retention and reported in <see cref="LogInfo"/>.
/// Every backend must compute it the same way so that a retention limit means the same thing everywhere.
/// </summary>
public static class RecordSize
{
    /// <summary>Fixed per-record overhead (offsets, timestamps, bookkeeping) counted in addition to the variable parts.</summary>
    public const int OverheadBytes = 48;

    /// <summary>Payload + UTF-8 id + UTF-8 type + UTF-8 partition key + <see cref="OverheadBytes"/>.</summary>
    public static long Of(LogRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return OverheadBytes
            + record.Payload.Length
            + Encoding.UTF8.GetByteCount(record.Id)
            + (record.Type is null ? 0 : Encoding.UTF8.GetByteCount(record.Type))
            + Encoding.UTF8.GetByteCount(record.PartitionKey);
    }
}
