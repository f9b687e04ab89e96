using Millrace.Hub.Governance.Admission;

namespace Millrace.Hub.DeadLetters;

/// <summary>Where a quarantined event stands.</summary>
public enum QuarantineStatus
{
    /// <summary>Held, waiting for an operator.</summary>
    Open,
    /// <summary>Claimed by a resubmission in progress.</summary>
    Resubmitting,
    /// <summary>Corrected (or resubmitted as is) and admitted into the log.</summary>
    Resubmitted,
    /// <summary>Dropped by an operator, with a reason.</summary>
    Discarded,
}

/// <summary>
/// A business event the admission gate refused: the raw payload exactly as it arrived (or as last corrected), the
/// source, the time, the trace, the reason class and every error; then what operators did with it.
/// Unlike a <see cref="DeadLetter"/> (telemetry and unreadable requests, kept for inspection), a quarantined event is
/// meant to be corrected and resubmitted through the same gate.
/// </summary>
/// <param name="Id">Store-assigned id.</param>
/// <param name="StoredAt">When it was quarantined.</param>
/// <param name="Source">Where it came from (<c>http:/ingest/events</c>, an MQTT source id, a rule).</param>
/// <param name="EventType">The CloudEvents type, when the envelope had one.</param>
/// <param name="EventId">The CloudEvents id, when the envelope had one.</param>
/// <param name="ReasonClass">The refusal class (<see cref="AdmissionReasons"/>).</param>
/// <param name="Reason">One line for a person.</param>
/// <param name="Errors">Every error: instance location, keyword location, message.</param>
/// <param name="ContentType">Media type of the payload.</param>
/// <param name="Payload">The raw event (after a failed correction: the corrected attempt).</param>
/// <param name="TraceId">W3C trace id it arrived on.</param>
/// <param name="Status">Where it stands.</param>
/// <param name="Attempts">Resubmissions tried so far.</param>
/// <param name="UpdatedAt">Last change.</param>
/// <param name="ResolvedBy">Who resubmitted or discarded it.</param>
/// <param name="Resolution">What became of it: the log position it was admitted at, or the discard reason.</param>
/// <param name="OriginalPayload">The payload as first received, once a correction replaced it.</param>
public sealed record QuarantinedEvent(
    long Id,
    DateTimeOffset StoredAt,
    string Source,
    string? EventType,
    string? EventId,
    string ReasonClass,
    string Reason,
    IReadOnlyList<AdmissionError> Errors,
    string? ContentType,
    ReadOnlyMemory<byte> Payload,
    string? TraceId,
    QuarantineStatus Status,
    int Attempts,
    DateTimeOffset UpdatedAt,
    string? ResolvedBy,
    string? Resolution,
    ReadOnlyMemory<byte>? OriginalPayload);

/// <summary>A refused event to quarantine.</summary>
/// <param name="Submission">The event as submitted.</param>
/// <param name="Verdict">Why it was refused.</param>
public sealed record QuarantineEntry(EventSubmission Submission, AdmissionVerdict Verdict);

/// <summary>Filters of a quarantine listing, newest first.</summary>
/// <param name="Status">Only items in this state; null for every state.</param>
/// <param name="Source">Only from this source.</param>
/// <param name="EventType">Only of this CloudEvents type.</param>
/// <param name="ReasonClass">Only of this refusal class.</param>
/// <param name="Before">Only ids below this one (the paging cursor).</param>
/// <param name="Limit">At most this many.</param>
public sealed record QuarantineQuery(QuarantineStatus? Status = QuarantineStatus.Open, string? Source = null, string? EventType = null,
    string? ReasonClass = null, long? Before = null, int Limit = 100);
