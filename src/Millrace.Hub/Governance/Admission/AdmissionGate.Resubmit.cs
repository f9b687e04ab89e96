using Millrace.Core.Events;
using Millrace.Hub.DeadLetters;

namespace Millrace.Hub.Governance.Admission;

/// <summary>How a resubmission ended.</summary>
public enum ResubmitOutcome
{
    /// <summary>Admitted into the log; the item is marked resubmitted.</summary>
    Admitted,
    /// <summary>Refused again; the item stays open with the new errors (and the corrected payload).</summary>
    Refused,
    /// <summary>No such quarantine item.</summary>
    NotFound,
    /// <summary>The item is not open (already resubmitted, discarded, or being resubmitted right now).</summary>
    NotOpen,
}

/// <summary>The answer to a resubmission: the outcome, the item as it now stands, and the log position when admitted.</summary>
/// <param name="Outcome">What happened.</param>
/// <param name="Item">The quarantine item after the attempt; null when not found.</param>
/// <param name="Verdict">The gate's verdict on the attempt; null when nothing was attempted.</param>
/// <param name="Position">Where the event was appended, when admitted.</param>
public sealed record ResubmitResult(ResubmitOutcome Outcome, QuarantinedEvent? Item, AdmissionVerdict? Verdict, Millrace.Log.LogPosition? Position);

public sealed partial class AdmissionGate
{
    /// <summary>
    /// Puts a quarantined event through the gate again, as stored or as <paramref name="corrected"/> (the corrected
    /// raw event replaces the stored payload; the first original is kept). The item is claimed first, so concurrent
    /// resubmissions of one item admit it at most once. Admitted: appended, and the item records who and when and
    /// where it landed. Refused: the item stays open with the new errors. The source's plant scope is not re-applied:
    /// an operator may correct an event on a plant's behalf.
    /// </summary>
    public async ValueTask<ResubmitResult> ResubmitAsync(long id, ReadOnlyMemory<byte>? corrected, string by, CancellationToken cancellationToken = default)
    {
        var (claimed, current) = await _quarantine.TryClaimAsync(id, cancellationToken).ConfigureAwait(false);
        if (claimed is null) return new ResubmitResult(current is null ? ResubmitOutcome.NotFound : ResubmitOutcome.NotOpen, current, null, null);
        var payload = corrected ?? claimed.Payload;
        var submission = EventSubmission.Parse(claimed.Source, payload.ToArray(), claimed.ContentType ?? CloudEventMediaTypes.Structured, claimed.TraceId);
        var verdict = Check(submission);
        if (!verdict.Admitted)
        {
            var item = await _quarantine.ReleaseAsync(id, submission.Raw, verdict, CancellationToken.None).ConfigureAwait(false);
            return new ResubmitResult(ResubmitOutcome.Refused, item, verdict, null);
        }
        Millrace.Log.LogPosition position;
        try
        {
            position = (await _log.AppendAsync([submission.Event!], cancellationToken).ConfigureAwait(false))[0];
        }
        catch
        {
            await _quarantine.ReleaseAsync(id, claimed.Payload, AdmissionVerdict.Refuse(claimed.ReasonClass, claimed.Errors), CancellationToken.None).ConfigureAwait(false);
            throw;
        }
        var done = await _quarantine.CompleteAsync(id, submission.Raw, by, $"admitted at {position}", CancellationToken.None).ConfigureAwait(false);
        _telemetry.EventsAdmitted.Add(1, new("type", submission.Event!.Type), new("source", claimed.Source));
        LogResubmitted(_logger, id, by, position.ToString());
        return new ResubmitResult(ResubmitOutcome.Admitted, done, verdict, position);
    }

    [Microsoft.Extensions.Logging.LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Information,
        Message = "Quarantined event {QuarantineId} resubmitted by {Operator} and admitted at {Position}")]
    private static partial void LogResubmitted(Microsoft.Extensions.Logging.ILogger logger, long quarantineId, string @operator, string position);
}
