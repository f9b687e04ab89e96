using System.Text.Json;
using System.Text.Json.Serialization;

namespace Millrace.Hub.Governance.Admission;

/// <summary>The outcome of one event of an ingest request.</summary>
/// <param name="Index">Position in the submitted batch (0 for a single event).</param>
/// <param name="Id">The CloudEvents id, when the envelope had one.</param>
/// <param name="Outcome"><c>admitted</c> or <c>quarantined</c>.</param>
/// <param name="Position">Log position of an admitted event (<c>partition:offset</c>).</param>
/// <param name="QuarantineId">Quarantine item id of a refused event.</param>
/// <param name="ReasonClass">Refusal class.</param>
/// <param name="Reason">One line for a person.</param>
/// <param name="Errors">Every error (instance location, keyword location, message).</param>
public sealed record EventOutcomeBody(int Index, string? Id, string Outcome, string? Position, long? QuarantineId, string? ReasonClass, string? Reason,
    IReadOnlyList<AdmissionError>? Errors);

/// <summary>Answer to <c>POST /ingest/events</c> with at least one event admitted, or a batch: per-event outcomes.</summary>
/// <param name="Accepted">Events admitted into the log.</param>
/// <param name="Quarantined">Events refused and quarantined.</param>
/// <param name="Positions">Log positions of the admitted events, in submission order.</param>
/// <param name="Results">One outcome per submitted event, in order.</param>
/// <param name="TraceId">The request's trace id.</param>
public sealed record EventsAdmissionBody(int Accepted, int Quarantined, IReadOnlyList<string> Positions, IReadOnlyList<EventOutcomeBody> Results, string? TraceId);

/// <summary>RFC 9457 problem for a refused single event (and a refused resubmission): where it was quarantined and why.</summary>
public sealed record QuarantineProblemBody(string Type, string Title, int Status, string Detail, string Instance, string? ReasonClass,
    IReadOnlyList<AdmissionError>? Errors, long? QuarantineId, string? TraceId);

/// <summary>A quarantined event as the API shows it (payloads as text: they are JSON events).</summary>
public sealed record QuarantineBody(long Id, DateTimeOffset StoredAt, string Source, string? Type, string? EventId, string Status, string ReasonClass,
    string Reason, string? Pointer, IReadOnlyList<AdmissionError> Errors, string? ContentType, string? TraceId, int Attempts, DateTimeOffset UpdatedAt,
    string? ResolvedBy, string? Resolution, string Payload, string? OriginalPayload);

/// <summary>Answer to an admitted resubmission.</summary>
public sealed record ResubmittedBody(long Id, string Outcome, string Position, QuarantineBody Item);

/// <summary>System.Text.Json source generation for the gate's and the quarantine's HTTP bodies.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(EventsAdmissionBody))]
[JsonSerializable(typeof(QuarantineProblemBody))]
[JsonSerializable(typeof(QuarantineBody))]
[JsonSerializable(typeof(IReadOnlyList<QuarantineBody>))]
[JsonSerializable(typeof(ResubmittedBody))]
public sealed partial class AdmissionJsonContext : JsonSerializerContext
{
    /// <summary>The context the hub writes with: relaxed escaping, so reasons read as written.</summary>
    public static AdmissionJsonContext Http { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
