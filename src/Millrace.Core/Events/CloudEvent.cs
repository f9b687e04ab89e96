namespace Millrace.Core.Events;

/// <summary>
/// A CloudEvents 1.0 event: the envelope every business event travels in, from the rule that raised it
/// to the connector that posts it. Immutable once built; <see cref="Data"/> holds the raw UTF-8 JSON of the
/// <c>data</c> member (or the decoded bytes of <c>data_base64</c>) so the payload is never re-shaped in transit.
/// </summary>
public sealed record CloudEvent
{
    /// <summary>The only specification version this envelope speaks.</summary>
    public const string Version10 = "1.0";

    /// <summary><c>specversion</c>: always "1.0" for events this type accepts.</summary>
    public string SpecVersion { get; init; } = Version10;

    /// <summary><c>id</c>: unique per <see cref="Source"/>; a deterministic id makes the same business fact the same event.</summary>
    public required string Id { get; init; }

    /// <summary><c>source</c>: URI-reference of the producer, e.g. <c>/acme/plant-03/line-2</c>.</summary>
    public required string Source { get; init; }

    /// <summary><c>type</c>: versioned event type, e.g. <c>com.acme.production.completed.v1</c>.</summary>
    public required string Type { get; init; }

    /// <summary><c>subject</c>: what the event is about within the source (an asset id, an order number).</summary>
    public string? Subject { get; init; }

    /// <summary><c>time</c>: when the occurrence happened (RFC 3339).</summary>
    public DateTimeOffset? Time { get; init; }

    /// <summary><c>datacontenttype</c>, e.g. <c>application/json</c>.</summary>
    public string? DataContentType { get; init; }

    /// <summary><c>dataschema</c>: registry URI of the schema version the data conforms to.</summary>
    public string? DataSchema { get; init; }

    /// <summary>How <see cref="Data"/> is to be read.</summary>
    public CloudEventDataKind DataKind { get; init; }

    /// <summary>Raw UTF-8 JSON of <c>data</c> when <see cref="DataKind"/> is Json; decoded bytes when Binary.</summary>
    public ReadOnlyMemory<byte> Data { get; init; }

    /// <summary>Extension <c>traceparent</c> (W3C Trace Context) carrying the trace from device to ERP document.</summary>
    public string? TraceParent { get; init; }

    /// <summary>Extension <c>partitionkey</c>: the asset or order the event's ordering is scoped to.</summary>
    public string? PartitionKey { get; init; }

    /// <summary>Extension <c>plant</c>: the ISA-95 site the event belongs to.</summary>
    public string? Plant { get; init; }

    /// <summary>
    /// Every other extension attribute, by name. Values are <see cref="string"/>, <see cref="bool"/> or
    /// <see cref="int"/>, the CloudEvents types that have a JSON form other than a string.
    /// </summary>
    public IReadOnlyDictionary<string, object> Extensions { get; init; } = EmptyExtensions;

    internal static readonly IReadOnlyDictionary<string, object> EmptyExtensions =
        new Dictionary<string, object>(0, StringComparer.Ordinal);

    /// <summary>Value equality: every attribute, the data bytes and the extensions compare by content.</summary>
    public bool Equals(CloudEvent? other)
    {
        if (other is null) return false;
        if (ReferenceEquals(this, other)) return true;
        return SpecVersion == other.SpecVersion && Id == other.Id && Source == other.Source && Type == other.Type &&
               Subject == other.Subject && Time == other.Time && DataContentType == other.DataContentType &&
               DataSchema == other.DataSchema && DataKind == other.DataKind && Data.Span.SequenceEqual(other.Data.Span) &&
               TraceParent == other.TraceParent && PartitionKey == other.PartitionKey && Plant == other.Plant &&
               Extensions.Count == other.Extensions.Count &&
               Extensions.All(kv => other.Extensions.TryGetValue(kv.Key, out var v) && Equals(kv.Value, v));
    }

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Id, Source, Type, Time);

    /// <summary>The key used to pick the log partition: the <c>partitionkey</c> extension, else the subject, else the source.</summary>
    public string EffectivePartitionKey => PartitionKey ?? Subject ?? Source;
}

/// <summary>What the <see cref="CloudEvent.Data"/> bytes are.</summary>
public enum CloudEventDataKind
{
    /// <summary>The event carries no data.</summary>
    None,
    /// <summary>Raw UTF-8 JSON of the <c>data</c> member.</summary>
    Json,
    /// <summary>Binary data, carried in JSON as <c>data_base64</c>.</summary>
    Binary,
}
