namespace Millrace.Log;

/// <summary>
/// The input rules every backend enforces on appended records, so a bad record is refused up front with a clear
/// message instead of failing the whole group commit it would have joined.
/// </summary>
public static class LogRecordRules
{
    /// <summary>Largest accepted payload: 16 MiB. Event logs carry events, not files.</summary>
    public const int MaxPayloadBytes = 16 * 1024 * 1024;

    /// <summary>Largest accepted id, type or partition key, in UTF-16 characters.</summary>
    public const int MaxTextLength = 1024;

    /// <summary>Throws <see cref="ArgumentException"/> when <paramref name="record"/> cannot be appended.</summary>
    public static void Validate(LogRecord record, string parameterName = "record")
    {
        if (record is null)
            throw new ArgumentNullException(parameterName, "A log record is required.");
        if (record.PartitionKey is null)
            throw new ArgumentException("Log record PartitionKey must not be null (the empty string is allowed).", parameterName);
        if (string.IsNullOrEmpty(record.Id))
            throw new ArgumentException("Log record Id must be a non-empty event id.", parameterName);
        if (record.PartitionKey.Length > MaxTextLength || record.Id.Length > MaxTextLength || record.Type?.Length > MaxTextLength)
            throw new ArgumentException($"Log record PartitionKey, Id and Type must be at most {MaxTextLength} characters (record id starts '{Truncate(record.Id)}').", parameterName);
        if (record.Payload.Length > MaxPayloadBytes)
            throw new ArgumentException($"Log record '{Truncate(record.Id)}' payload is {record.Payload.Length} bytes; the maximum is {MaxPayloadBytes}.", parameterName);
    }

    private static string Truncate(string? s) => s is null ? "" : s.Length <= 64 ? s : s[..64];
}
