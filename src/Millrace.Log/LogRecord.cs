namespace Millrace.Log;

/// <summary>
/// One event as handed to the log by a producer. The log stores it verbatim and never interprets the payload.
/// </summary>
/// <param name="PartitionKey">
/// The ordering key (typically the asset or machine id). Records with the same key land in the same partition and are
/// therefore read back in append order. Must not be null; the empty string is a valid key.
/// </param>
/// <param name="Id">The event id (the CloudEvent <c>id</c>). Stored as given; the log does not de-duplicate by id.</param>
/// <param name="Type">The event type (the CloudEvent <c>type</c>), or null when unknown.</param>
/// <param name="Timestamp">The event time as stated by the source. Kept exactly, including its UTC offset.</param>
/// <param name="Payload">The serialized event (the CloudEvent JSON bytes).</param>
public sealed record LogRecord(
    string PartitionKey,
    string Id,
    string? Type,
    DateTimeOffset Timestamp,
    ReadOnlyMemory<byte> Payload);
