namespace Millrace.Hub.DeadLetters;

/// <summary>
/// Something the hub refused, kept with the reason so nothing is lost: the raw bytes exactly as they arrived,
/// where they came from, what was wrong (and where in the payload), and the trace it arrived on.
/// </summary>
/// <param name="Id">Store-assigned id; 0 before it is stored.</param>
/// <param name="StoredAt">When it was stored.</param>
/// <param name="Source">Where it came from, e.g. <c>http:/ingest/telemetry</c> or a configured source id.</param>
/// <param name="Reason">Why it was refused, for a person: names the field and the rule.</param>
/// <param name="Pointer">JSON pointer of the offending field inside <paramref name="Payload"/>, when known.</param>
/// <param name="ContentType">Media type of the payload as received.</param>
/// <param name="Payload">The raw payload.</param>
/// <param name="TraceId">W3C trace id of the request or message that carried it.</param>
public sealed record DeadLetter(
    long Id,
    DateTimeOffset StoredAt,
    string Source,
    string Reason,
    string? Pointer,
    string? ContentType,
    ReadOnlyMemory<byte> Payload,
    string? TraceId);
