using System.Text.Json.Serialization;

namespace Millrace.Hub.Hosting;

/// <summary>One violation in an RFC 9457 problem: the JSON pointer of the field and what is wrong with it.</summary>
public sealed record ProblemError(string Pointer, string Detail);

/// <summary>RFC 9457 problem details, with the violations and the trace id as extension members.</summary>
public sealed record ProblemBody(string Type, string Title, int Status, string Detail, string Instance, IReadOnlyList<ProblemError>? Errors, string? TraceId, long? DeadLetterId = null);

/// <summary>Answer to an accepted telemetry batch: what was taken and what was dead-lettered, and why.</summary>
public sealed record TelemetryAccepted(int Accepted, int Rejected, IReadOnlyList<ProblemError> Rejections, string? TraceId);

/// <summary>Answer to accepted events: their positions in the durable log.</summary>
public sealed record EventsAccepted(int Accepted, IReadOnlyList<string> Positions, string? TraceId);

/// <summary>Health and readiness answer.</summary>
public sealed record HealthBody(string Status, string? Reason = null);

/// <summary>A dead letter as the API shows it.</summary>
public sealed record DeadLetterView(long Id, DateTimeOffset StoredAt, string Source, string Reason, string? Pointer, string? ContentType, string? TraceId, string Payload);

/// <summary>System.Text.Json source generation for everything the hub writes over HTTP (no reflection at run time).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ProblemBody))]
[JsonSerializable(typeof(TelemetryAccepted))]
[JsonSerializable(typeof(EventsAccepted))]
[JsonSerializable(typeof(HealthBody))]
[JsonSerializable(typeof(IReadOnlyList<DeadLetterView>))]
[JsonSerializable(typeof(DeadLetterView))]
public sealed partial class HubJsonContext : JsonSerializerContext
{
    /// <summary>
    /// The context the hub writes with: relaxed escaping so reasons read as written (<c>'plant-77'</c>, <c>°C</c>)
    /// instead of <c>\u0027</c> escapes. Safe because these bodies are never embedded in HTML.
    /// </summary>
    public static HubJsonContext Http { get; } = new(new System.Text.Json.JsonSerializerOptions
    {
        PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
