using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Millrace.Core.Events;
using Millrace.Hub.DeadLetters;
using Millrace.Hub.Hosting;
using Millrace.Hub.Log;
using Millrace.Hub.Observability;
using Millrace.Hub.Processing.Telemetry;

namespace Millrace.Hub.Sources.Http;

/// <summary>
/// <c>POST /ingest/events</c>: CloudEvents in structured mode (<c>application/cloudevents+json</c>, one object) or
/// batch mode (<c>application/cloudevents-batch+json</c>, an array; plain <c>application/json</c> is sniffed).
/// All or nothing: a submission with any invalid event is refused with 400 naming every problem by JSON pointer,
/// and kept as a dead letter; a valid one is appended atomically and answered 202 only once durable.
/// </summary>
internal sealed partial class EventIngestEndpoint(
    BusinessEventLog eventLog, TelemetryCatalog catalog, SqliteDeadLetterStore deadLetters, HubTelemetry telemetry, HubOptions options,
    ILogger<EventIngestEndpoint> logger)
{
    private const string Source = "http:/ingest/events";

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
            if (tooLarge)
            {
                outcome = "too_large";
                await IngestResponses.RefuseTooLargeAsync(http, deadLetters, Source, body, options.MaxRequestBytes, activity?.TraceId.ToString());
                return;
            }
            byte[] raw = body.ToArray(); // business events are few and small; the envelope parser wants one span
            var events = new List<CloudEvent>();
            var errors = new List<CloudEventError>();
            if (IsBatch(contentType, raw)) CloudEventJsonReader.TryParseBatch(raw, events, errors);
            else if (CloudEventJsonReader.TryParse(raw, out var single, errors)) events.Add(single!);
            CheckEnterpriseReferences(events, IsBatch(contentType, raw), errors);
            if (errors.Count > 0)
            {
                outcome = "malformed";
                var problems = errors.Select(e => new ProblemError(e.Pointer, e.Reason)).ToList();
                string reason = IngestResponses.Summarise(problems);
                await deadLetters.StoreAsync(Source, reason, errors[0].Pointer, contentType, raw, activity?.TraceId.ToString(), http.RequestAborted);
                LogRefused(logger, errors.Count, reason);
                await IngestResponses.ProblemAsync(http, StatusCodes.Status400BadRequest, "invalid-cloudevent", "Invalid CloudEvent",
                    $"{errors.Count} problem(s); nothing was appended and the payload was kept as a dead letter", problems);
                return;
            }
            var positions = await eventLog.AppendAsync(events, http.RequestAborted);
            foreach (var group in events.GroupBy(e => e.Source))
                telemetry.EventsIngested.Add(group.Count(), new KeyValuePair<string, object?>("source", "http"));
            activity?.SetTag("millrace.events.accepted", events.Count);
            await IngestResponses.JsonAsync(http, StatusCodes.Status202Accepted,
                new EventsAccepted(events.Count, positions.Select(p => p.ToString()).ToList(), activity?.TraceId.ToString()),
                HubJsonContext.Http.EventsAccepted);
        }
        finally
        {
            reader.AdvanceTo(body.End);
            telemetry.IngestRequests.Add(1, new("endpoint", "events"), new("outcome", outcome));
            telemetry.IngestDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("endpoint", "events"));
        }
    }

    /// <summary>Events may name only plants the enterprise configuration knows.</summary>
    private void CheckEnterpriseReferences(List<CloudEvent> events, bool batch, List<CloudEventError> errors)
    {
        for (int i = 0; i < events.Count; i++)
        {
            if (events[i].Plant is { } plant && !catalog.IsPlant(plant))
                errors.Add(new((batch ? "/" + i.ToString(CultureInfo.InvariantCulture) : "") + "/plant", $"unknown plant '{plant}'"));
        }
    }

    private static bool IsBatch(string? contentType, ReadOnlySpan<byte> raw)
    {
        if (contentType is not null)
        {
            if (contentType.Contains(CloudEventMediaTypes.Batch, StringComparison.OrdinalIgnoreCase)) return true;
            if (contentType.Contains(CloudEventMediaTypes.Structured, StringComparison.OrdinalIgnoreCase)) return false;
        }
        int first = raw.IndexOfAnyExcept(" \t\r\n"u8);
        return first >= 0 && raw[first] == (byte)'[';
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused {ErrorCount} invalid CloudEvent problem(s): {Reason}")]
    private static partial void LogRefused(ILogger logger, int errorCount, string reason);
}
