using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Millrace.Core.Events;
using Millrace.Hub.DeadLetters;
using Millrace.Hub.Governance.Admission;
using Millrace.Hub.Hosting;
using Millrace.Hub.Observability;

namespace Millrace.Hub.Sources.Http;

/// <summary>
/// <c>POST /ingest/events</c>: CloudEvents in structured mode (<c>application/cloudevents+json</c>, one object) or
/// batch mode (<c>application/cloudevents-batch+json</c>, an array; plain <c>application/json</c> is sniffed). Every
/// event goes through the <see cref="AdmissionGate"/> gate on its own: valid events are appended (202 once durable),
/// refused ones are quarantined with every error. A single refused event is answered 422 (a problem naming the
/// quarantine id and the errors); a batch is answered with one outcome per event, 202 when all were admitted and
/// 207 when some were quarantined. Only a body that is not JSON, or too large, is refused whole (400/413) and kept
/// as a dead letter.
/// </summary>
internal sealed partial class EventIngestEndpoint(
    AdmissionGate gate, SqliteDeadLetterStore deadLetters, HubTelemetry telemetry, HubOptions options, ILogger<EventIngestEndpoint> logger)
{
    /// <summary>The source id of events ingested here (quarantine and dead letters, metrics).</summary>
    public const string Source = "http:/ingest/events";

    public async Task HandleAsync(HttpContext http)
    {
        long started = Stopwatch.GetTimestamp();
        using var activity = HubTelemetry.IngestSource.StartActivity("ingest events", ActivityKind.Server);
        var reader = http.Request.BodyReader;
        var (body, tooLarge) = await RequestBody.ReadAsync(reader, options.MaxRequestBytes, http.RequestAborted);
        string outcome = "accepted";
        try
        {
            string? contentType = http.Request.ContentType;
            string? traceId = activity?.TraceId.ToString();
            if (tooLarge)
            {
                outcome = "too_large";
                await IngestResponses.RefuseTooLargeAsync(http, deadLetters, Source, body, options.MaxRequestBytes, traceId);
                return;
            }
            byte[] raw = body.ToArray(); // business events are few and small; each one is judged (and maybe kept) on its own
            if (!CloudEventDocument.TrySplit(raw, out bool batch, out var slices, out var problem))
            {
                outcome = "malformed";
                await deadLetters.StoreAsync(Source, problem!, "", contentType, raw, traceId, http.RequestAborted);
                LogMalformed(logger, problem!);
                await IngestResponses.ProblemAsync(http, StatusCodes.Status400BadRequest, "malformed-events", "Malformed events document",
                    $"{problem}; nothing was appended and the body was kept as a dead letter", [new ProblemError("", problem!)]);
                return;
            }
            var submissions = slices.Select(s => EventSubmission.Parse(Source, s, CloudEventMediaTypes.Structured, traceId)).ToList();
            var results = await gate.AdmitAsync(submissions, http.RequestAborted);
            int admitted = results.Count(r => r.Admitted);
            if (admitted > 0) telemetry.EventsIngested.Add(admitted, new KeyValuePair<string, object?>("source", "http"));
            activity?.SetTag("millrace.events.accepted", admitted);
            outcome = admitted == results.Count ? "accepted" : admitted == 0 ? "quarantined" : "partial";
            if (!batch && results[0] is { Admitted: false } refused)
            {
                http.Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
                http.Response.ContentType = "application/problem+json";
                await JsonSerializer.SerializeAsync(http.Response.Body, new QuarantineProblemBody(IngestResponses.ProblemBase + "event-quarantined",
                    "Event quarantined", 422, $"the event was not appended and is quarantined as item {refused.QuarantineId}: {refused.Verdict.Reason}",
                    http.Request.Path, refused.Verdict.ReasonClass, refused.Verdict.Errors, refused.QuarantineId, traceId),
                    AdmissionJsonContext.Http.QuarantineProblemBody, http.RequestAborted);
                return;
            }
            var outcomes = results.Select((r, i) => new EventOutcomeBody(i, r.EventId, r.Admitted ? "admitted" : "quarantined", r.Position?.ToString(),
                r.QuarantineId, r.Verdict.ReasonClass, r.Verdict.Reason, r.Admitted ? null : r.Verdict.Errors)).ToList();
            var answer = new EventsAdmissionBody(admitted, results.Count - admitted,
                results.Where(r => r.Admitted).Select(r => r.Position!.Value.ToString()).ToList(), outcomes, traceId);
            await IngestResponses.JsonAsync(http, admitted == results.Count ? StatusCodes.Status202Accepted : StatusCodes.Status207MultiStatus,
                answer, AdmissionJsonContext.Http.EventsAdmissionBody);
        }
        finally
        {
            reader.AdvanceTo(body.End);
            telemetry.IngestRequests.Add(1, new("endpoint", "events"), new("outcome", outcome));
            telemetry.IngestDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("endpoint", "events"));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused an events document that is not CloudEvents JSON: {Reason}")]
    private static partial void LogMalformed(ILogger logger, string reason);
}
