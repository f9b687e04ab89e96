using Millrace.Core.Events;
using Millrace.Log;

namespace Millrace.Hub.Governance.Admission;

/// <summary>
/// One event offered to the <see cref="AdmissionGate"/> gate, as it arrived: the raw bytes (kept verbatim if it is
/// quarantined), the parsed envelope when parsing succeeded (or the envelope problems when it did not), where it came
/// from and the trace it arrived on.
/// </summary>
public sealed record EventSubmission
{
    /// <summary>Source id for operators: <c>http:/ingest/events</c>, an MQTT source id, a rule id.</summary>
    public required string Source { get; init; }

    /// <summary>The event's bytes as received (one CloudEvent in structured mode).</summary>
    public required ReadOnlyMemory<byte> Raw { get; init; }

    /// <summary>The parsed envelope; null when <see cref="EnvelopeErrors"/> says why it could not be parsed.</summary>
    public CloudEvent? Event { get; init; }

    /// <summary>Envelope problems (pointers into <see cref="Raw"/>); non-empty means the event is refused as <c>envelope</c>.</summary>
    public IReadOnlyList<CloudEventError> EnvelopeErrors { get; init; } = [];

    /// <summary>Media type the bytes arrived with.</summary>
    public string? ContentType { get; init; }

    /// <summary>W3C trace id of the request or message that carried it.</summary>
    public string? TraceId { get; init; }

    /// <summary>
    /// Plants the delivering source may speak for (a plant broker's <c>plants:</c> scope); empty for no restriction.
    /// An event whose <c>plant</c> is outside is refused as <c>scope</c>.
    /// </summary>
    public IReadOnlyCollection<string> AllowedPlants { get; init; } = [];

    /// <summary>Parses <paramref name="raw"/> (one structured CloudEvent) into a submission, keeping envelope errors.</summary>
    public static EventSubmission Parse(string source, ReadOnlyMemory<byte> raw, string? contentType = null, string? traceId = null,
        IReadOnlyCollection<string>? allowedPlants = null)
    {
        var errors = new List<CloudEventError>();
        CloudEventJsonReader.TryParse(raw.Span, out var parsed, errors);
        return new EventSubmission
        {
            Source = source, Raw = raw, Event = errors.Count == 0 ? parsed : null, EnvelopeErrors = errors,
            ContentType = contentType ?? CloudEventMediaTypes.Structured, TraceId = traceId, AllowedPlants = allowedPlants ?? [],
        };
    }

    /// <summary>A submission of an event built in process (a rule's output): its bytes are its JSON form.</summary>
    public static EventSubmission From(string source, CloudEvent cloudEvent, string? traceId = null) => new()
    {
        Source = source, Raw = CloudEventJsonWriter.Serialize(cloudEvent), Event = cloudEvent,
        ContentType = CloudEventMediaTypes.Structured, TraceId = traceId,
    };
}

/// <summary>What happened to one submission: admitted at a log position, or quarantined under an id.</summary>
/// <param name="Verdict">The gate's decision, with every error when refused.</param>
/// <param name="EventId">The CloudEvent id, when the envelope had one.</param>
/// <param name="Position">Where the admitted event sits in the log.</param>
/// <param name="QuarantineId">The quarantine item id of a refused event.</param>
public sealed record AdmissionResult(AdmissionVerdict Verdict, string? EventId, LogPosition? Position, long? QuarantineId)
{
    /// <summary>Whether the event entered the log.</summary>
    public bool Admitted => Verdict.Admitted;
}
