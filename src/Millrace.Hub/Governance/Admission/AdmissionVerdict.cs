namespace Millrace.Hub.Governance.Admission;

/// <summary>
/// One reason an event was refused, in the spirit of the JSON Schema "basic" output: where in the submitted event
/// (<see cref="InstanceLocation"/>, a JSON pointer into the whole CloudEvent, so a schema error in <c>data</c> reads
/// <c>/data/good</c>), which rule said no (<see cref="KeywordLocation"/>: the keyword's pointer in the schema for
/// schema errors, <c>/business-rules/{name}</c> for a business rule, empty for envelope and registry problems), and why.
/// </summary>
/// <param name="InstanceLocation">JSON pointer into the submitted event; empty for the event as a whole.</param>
/// <param name="KeywordLocation">JSON pointer of the failing keyword or rule; empty when none applies.</param>
/// <param name="Message">What is wrong, for a person.</param>
public sealed record AdmissionError(string InstanceLocation, string KeywordLocation,
    [property: System.Text.Json.Serialization.JsonPropertyName("error")] string Message)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"{(InstanceLocation.Length == 0 ? "/" : InstanceLocation)}{(KeywordLocation.Length == 0 ? "" : $" ({KeywordLocation})")}: {Message}";
}

/// <summary>
/// Low-cardinality classes of refusal: the <c>reason</c> label of the quarantine metrics and the filter of
/// <c>GET /api/v1/quarantine?reason=</c>.
/// </summary>
public static class AdmissionReasons
{
    /// <summary>Not a valid CloudEvent (missing or malformed attributes).</summary>
    public const string Envelope = "envelope";

    /// <summary>The event's type is retired in the catalogue (lifecycle).</summary>
    public const string Retired = "retired";

    /// <summary>The event's <c>type</c> has no subject in the schema registry.</summary>
    public const string UnknownType = "unknown-type";

    /// <summary><c>dataschema</c> names no registered version of the event's subject.</summary>
    public const string UnknownSchema = "unknown-schema";

    /// <summary><c>data</c> breaks the schema.</summary>
    public const string Schema = "schema";

    /// <summary>A business rule of the event type is violated.</summary>
    public const string Rule = "rule";

    /// <summary>The event names something the enterprise configuration does not know (a plant).</summary>
    public const string Reference = "reference";

    /// <summary>The event is outside the scope of the source that delivered it (another plant's events).</summary>
    public const string Scope = "scope";

    /// <summary>Every class, for validation of filters.</summary>
    public static readonly IReadOnlyList<string> All = [Envelope, Retired, UnknownType, UnknownSchema, Schema, Rule, Reference, Scope];
}

/// <summary>
/// What the admission gate decided about one event: admitted, or refused with a reason class, a one-line reason and
/// every error found.
/// </summary>
public sealed record AdmissionVerdict
{
    private static readonly AdmissionVerdict AdmittedWithoutSchema = new() { Admitted = true };

    /// <summary>Whether the event may enter the log.</summary>
    public bool Admitted { get; init; }

    /// <summary>The refusal class (<see cref="AdmissionReasons"/>); null when admitted.</summary>
    public string? ReasonClass { get; init; }

    /// <summary>One line for a person: the first few errors; null when admitted.</summary>
    public string? Reason { get; init; }

    /// <summary>Every error found (empty when admitted).</summary>
    public IReadOnlyList<AdmissionError> Errors { get; init; } = [];

    /// <summary>The registry subject the event was checked against (its type), when known.</summary>
    public string? Subject { get; init; }

    /// <summary>The schema version the data was validated with, when one was resolved.</summary>
    public int? SchemaVersion { get; init; }

    /// <summary>The violated business rule, for <see cref="AdmissionReasons.Rule"/>.</summary>
    public string? Rule { get; init; }

    /// <summary>An admission after validation against <paramref name="subject"/> version <paramref name="version"/>.</summary>
    public static AdmissionVerdict Admit(string? subject, int? version) =>
        subject is null ? AdmittedWithoutSchema : new() { Admitted = true, Subject = subject, SchemaVersion = version };

    /// <summary>A refusal; the reason line is built from the errors.</summary>
    public static AdmissionVerdict Refuse(string reasonClass, IReadOnlyList<AdmissionError> errors, string? subject = null, int? version = null, string? rule = null) => new()
    {
        Admitted = false,
        ReasonClass = reasonClass,
        Reason = Summarise(reasonClass, errors),
        Errors = errors,
        Subject = subject,
        SchemaVersion = version,
        Rule = rule,
    };

    private static string Summarise(string reasonClass, IReadOnlyList<AdmissionError> errors)
    {
        var head = string.Join("; ", errors.Take(5));
        return $"{reasonClass}: {head}{(errors.Count > 5 ? $"; and {errors.Count - 5} more" : "")}";
    }
}
