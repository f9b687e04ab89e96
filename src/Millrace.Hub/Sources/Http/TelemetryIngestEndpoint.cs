using System.Buffers;
using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Millrace.Core.Units;
using Millrace.Hub.DeadLetters;
using Millrace.Hub.Hosting;
using Millrace.Hub.Observability;
using Millrace.Hub.Processing.Telemetry;

namespace Millrace.Hub.Sources.Http;

/// <summary>
/// <c>POST /ingest/telemetry</c>: a JSON array of samples (<see cref="TelemetryBatchReader"/> has the contract).
/// A malformed payload is refused whole with 400 and every problem by JSON pointer, and kept as one dead letter.
/// A well-formed payload is accepted with 202; samples naming unknown assets, signals or units are dead-lettered
/// one by one with their reason while the rest flow on.
/// </summary>
internal sealed partial class TelemetryIngestEndpoint(
    TelemetryPipeline pipeline, SqliteDeadLetterStore deadLetters, HubTelemetry telemetry, HubOptions options, ILogger<TelemetryIngestEndpoint> logger)
{
    private const string Source = "http:/ingest/telemetry";
    private static readonly KeyValuePair<string, object?> SourceTag = new("source", "http");

    public async Task HandleAsync(HttpContext http)
    {
        long started = Stopwatch.GetTimestamp();
        using var activity = HubTelemetry.IngestSource.StartActivity("ingest telemetry", ActivityKind.Server);
        var reader = http.Request.BodyReader;
        var (body, tooLarge) = await RequestBody.ReadAsync(reader, options.MaxRequestBytes, http.RequestAborted);
        string outcome = "accepted";
        try
        {
            if (tooLarge)
            {
                outcome = "too_large";
                await IngestResponses.RefuseTooLargeAsync(http, deadLetters, Source, body, options.MaxRequestBytes, activity?.TraceId.ToString());
                return;
            }
            var samples = TelemetrySamplePool.Shared.Rent(512);
            var errors = new List<PayloadError>();
            var rejections = new List<SampleRejection>();
            int count = TelemetryBatchReader.Read(body, pipeline.Catalog, UnitCatalog.Default, ref samples, errors, rejections);
            if (errors.Count > 0)
            {
                TelemetrySamplePool.Shared.Return(samples);
                outcome = "malformed";
                var problems = errors.Select(e => new ProblemError(e.Pointer, e.Reason)).ToList();
                string reason = IngestResponses.Summarise(problems);
                await deadLetters.StoreAsync(Source, reason, errors[0].Pointer, http.Request.ContentType, body.ToArray(), activity?.TraceId.ToString(), http.RequestAborted);
                telemetry.SamplesRejected.Add(1, SourceTag, new("reason", "malformed payload"));
                LogMalformed(logger, errors.Count, reason);
                await IngestResponses.ProblemAsync(http, StatusCodes.Status400BadRequest, "malformed-telemetry", "Malformed telemetry",
                    $"{errors.Count} problem(s) in the payload; nothing was accepted and the payload was kept as a dead letter", problems);
                return;
            }
            if (rejections.Count > 0)
            {
                var letters = rejections.Select(r => new DeadLetter(0, default, Source, r.Reason, r.Pointer, "application/json", r.Raw, activity?.TraceId.ToString())).ToList();
                await deadLetters.StoreManyAsync(letters, http.RequestAborted);
                telemetry.SamplesRejected.Add(rejections.Count, SourceTag, new("reason", "unknown asset, signal or unit"));
            }
            if (count > 0)
                await pipeline.PostAsync(samples, count, http.RequestAborted);
            else
                TelemetrySamplePool.Shared.Return(samples);
            telemetry.SamplesIngested.Add(count, SourceTag);
            activity?.SetTag("millrace.samples.accepted", count);
            activity?.SetTag("millrace.samples.rejected", rejections.Count);
            await IngestResponses.JsonAsync(http, StatusCodes.Status202Accepted,
                new TelemetryAccepted(count, rejections.Count, rejections.Take(20).Select(r => new ProblemError(r.Pointer, r.Reason)).ToList(), activity?.TraceId.ToString()),
                HubJsonContext.Http.TelemetryAccepted);
        }
        finally
        {
            reader.AdvanceTo(body.End);
            telemetry.IngestRequests.Add(1, new("endpoint", "telemetry"), new("outcome", outcome));
            telemetry.IngestDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("endpoint", "telemetry"));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused malformed telemetry with {ErrorCount} problem(s): {Reason}")]
    private static partial void LogMalformed(ILogger logger, int errorCount, string reason);
}
