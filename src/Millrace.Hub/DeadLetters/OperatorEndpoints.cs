using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Millrace.Hub.Governance.Admission;
using Millrace.Hub.Hosting;
using Millrace.Hub.Sources.Http;

namespace Millrace.Hub.DeadLetters;

/// <summary>
/// What operators do with refused items, over HTTP. Two collections, one shape:
/// <c>/api/v1/dead-letters</c> (telemetry and unreadable requests: inspect) and <c>/api/v1/quarantine</c> (business
/// events refused by the admission gate: inspect, correct and resubmit, or discard). Both list newest first, take
/// <c>limit</c> (1-1000, default 100), <c>source</c> and the paging cursor <c>before</c> (an id), and announce the next
/// page in a <c>Link: &lt;…&gt;; rel="next"</c> header; both show one item at <c>/{id}</c>.
/// </summary>
public static class OperatorEndpoints
{
    /// <summary>The header naming who resubmits or discards (recorded with the item).</summary>
    public const string OperatorHeader = "Millrace-Operator";

    /// <summary>Largest corrected event accepted by a resubmission.</summary>
    public const int MaxCorrectionBytes = 1024 * 1024;

    /// <summary>Maps the dead-letter and quarantine operations.</summary>
    public static IEndpointRouteBuilder MapOperatorEndpoints(this IEndpointRouteBuilder endpoints, SqliteDeadLetterStore deadLetters, AdmissionGate gate)
    {
        endpoints.MapGet("/api/v1/dead-letters", async (HttpContext http) =>
        {
            if (!TryPaging(http, out int limit, out long? before)) { await BadQueryAsync(http, "limit must be 1-1000 and before an id"); return; }
            var items = await deadLetters.ListAsync(limit, http.Request.Query["source"].FirstOrDefault(), http.RequestAborted, before);
            NextLink(http, items.Count == limit && items.Count > 0 ? items[^1].Id : null);
            IReadOnlyList<DeadLetterView> view = items.Select(ToView).ToList();
            await IngestResponses.JsonAsync(http, 200, view, HubJsonContext.Http.IReadOnlyListDeadLetterView);
        });
        endpoints.MapGet("/api/v1/dead-letters/{id:long}", async (HttpContext http, long id) =>
        {
            if (await deadLetters.GetAsync(id, http.RequestAborted) is { } item)
                await IngestResponses.JsonAsync(http, 200, ToView(item), HubJsonContext.Http.DeadLetterView);
            else await NotFoundAsync(http, $"no dead letter {id}");
        });
        endpoints.MapGet("/api/v1/quarantine", (HttpContext http) => ListQuarantineAsync(http, gate.Quarantine));
        endpoints.MapGet("/api/v1/quarantine/{id:long}", async (HttpContext http, long id) =>
        {
            if (await gate.Quarantine.GetAsync(id, http.RequestAborted) is { } item)
                await IngestResponses.JsonAsync(http, 200, ToBody(item), AdmissionJsonContext.Http.QuarantineBody);
            else await NotFoundAsync(http, $"no quarantined event {id}");
        });
        endpoints.MapPost("/api/v1/quarantine/{id:long}/resubmit", (HttpContext http, long id) => ResubmitAsync(http, gate, id));
        endpoints.MapPost("/api/v1/quarantine/{id:long}/discard", (HttpContext http, long id) => DiscardAsync(http, gate.Quarantine, id));
        return endpoints;
    }

    private static async Task ListQuarantineAsync(HttpContext http, SqliteQuarantineStore store)
    {
        if (!TryPaging(http, out int limit, out long? before)) { await BadQueryAsync(http, "limit must be 1-1000 and before an id"); return; }
        var q = http.Request.Query;
        QuarantineStatus? status = QuarantineStatus.Open;
        if (q["status"].FirstOrDefault() is { } statusText)
        {
            if (statusText == "all") status = null;
            else if (SqliteQuarantineStore.TryParseStatus(statusText, out var s)) status = s;
            else { await BadQueryAsync(http, $"unknown status '{statusText}' (open, resubmitting, resubmitted, discarded, all)"); return; }
        }
        string? reason = q["reason"].FirstOrDefault();
        if (reason is not null && !AdmissionReasons.All.Contains(reason))
        {
            await BadQueryAsync(http, $"unknown reason class '{reason}' ({string.Join(", ", AdmissionReasons.All)})");
            return;
        }
        var items = await store.ListAsync(new QuarantineQuery(status, q["source"].FirstOrDefault(), q["type"].FirstOrDefault(), reason, before, limit), http.RequestAborted);
        NextLink(http, items.Count == limit && items.Count > 0 ? items[^1].Id : null);
        IReadOnlyList<QuarantineBody> view = items.Select(ToBody).ToList();
        await IngestResponses.JsonAsync(http, 200, view, AdmissionJsonContext.Http.IReadOnlyListQuarantineBody);
    }

    private static async Task ResubmitAsync(HttpContext http, AdmissionGate gate, long id)
    {
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
        if (buffer.Length > MaxCorrectionBytes)
        {
            await IngestResponses.ProblemAsync(http, 413, "payload-too-large", "Payload too large", $"a corrected event is at most {MaxCorrectionBytes} bytes");
            return;
        }
        ReadOnlyMemory<byte>? corrected = buffer.Length == 0 ? null : buffer.ToArray();
        var result = await gate.ResubmitAsync(id, corrected, Operator(http), http.RequestAborted);
        switch (result.Outcome)
        {
            case ResubmitOutcome.Admitted:
                await IngestResponses.JsonAsync(http, 200, new ResubmittedBody(id, "admitted", result.Position!.Value.ToString(), ToBody(result.Item!)),
                    AdmissionJsonContext.Http.ResubmittedBody);
                break;
            case ResubmitOutcome.Refused:
                await ProblemAsync(http, 422, "event-quarantined", "Resubmission refused",
                    $"the event is still quarantined as item {id}: {result.Verdict!.Reason}", result.Verdict.ReasonClass, result.Verdict.Errors, id);
                break;
            case ResubmitOutcome.NotFound:
                await NotFoundAsync(http, $"no quarantined event {id}");
                break;
            default:
                await ProblemAsync(http, 409, "not-open", "Not open",
                    $"quarantined event {id} is {SqliteQuarantineStore.StatusText(result.Item!.Status)}{(result.Item.Resolution is { } r ? $" ({r})" : "")}; only open items can be resubmitted",
                    null, null, id);
                break;
        }
    }

    private static async Task DiscardAsync(HttpContext http, SqliteQuarantineStore store, long id)
    {
        string? reason = null;
        try
        {
            using var doc = await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted);
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String)
                reason = r.GetString();
        }
        catch (JsonException)
        {
        }
        if (string.IsNullOrWhiteSpace(reason))
        {
            await BadQueryAsync(http, "a discard needs a reason: {\"reason\": \"...\"}");
            return;
        }
        var (discarded, current) = await store.DiscardAsync(id, Operator(http), reason, http.RequestAborted);
        if (current is null) await NotFoundAsync(http, $"no quarantined event {id}");
        else if (!discarded)
            await ProblemAsync(http, 409, "not-open", "Not open", $"quarantined event {id} is {SqliteQuarantineStore.StatusText(current.Status)}; only open items can be discarded", null, null, id);
        else await IngestResponses.JsonAsync(http, 200, ToBody(current), AdmissionJsonContext.Http.QuarantineBody);
    }

    private static string Operator(HttpContext http) =>
        http.Request.Headers[OperatorHeader].FirstOrDefault() is { Length: > 0 and <= 200 } name ? name : "unknown";

    private static bool TryPaging(HttpContext http, out int limit, out long? before)
    {
        limit = 100;
        before = null;
        var q = http.Request.Query;
        if (q["limit"].FirstOrDefault() is { } l && (!int.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > 1000)) return false;
        if (q["before"].FirstOrDefault() is { } b)
        {
            if (!long.TryParse(b, NumberStyles.None, CultureInfo.InvariantCulture, out long cursor)) return false;
            before = cursor;
        }
        return true;
    }

    /// <summary>RFC 8288 link to the next page: the same query with <c>before</c> set to the last id shown.</summary>
    private static void NextLink(HttpContext http, long? lastId)
    {
        if (lastId is null) return;
        var query = http.Request.Query.Where(kv => kv.Key != "before")
            .Select(kv => $"{Uri.EscapeDataString(kv.Key)}={Uri.EscapeDataString(kv.Value.ToString())}")
            .Append($"before={lastId.Value.ToString(CultureInfo.InvariantCulture)}");
        http.Response.Headers.Link = $"<{http.Request.Path}?{string.Join("&", query)}>; rel=\"next\"";
    }

    private static DeadLetterView ToView(DeadLetter d) =>
        new(d.Id, d.StoredAt, d.Source, d.Reason, d.Pointer, d.ContentType, d.TraceId, Encoding.UTF8.GetString(d.Payload.Span));

    /// <summary>The API shape of a quarantined event.</summary>
    public static QuarantineBody ToBody(QuarantinedEvent q) => new(q.Id, q.StoredAt, q.Source, q.EventType, q.EventId,
        SqliteQuarantineStore.StatusText(q.Status), q.ReasonClass, q.Reason, q.Errors.Count > 0 ? q.Errors[0].InstanceLocation : null, q.Errors,
        q.ContentType, q.TraceId, q.Attempts, q.UpdatedAt, q.ResolvedBy, q.Resolution, Encoding.UTF8.GetString(q.Payload.Span),
        q.OriginalPayload is { } original ? Encoding.UTF8.GetString(original.Span) : null);

    private static Task NotFoundAsync(HttpContext http, string detail) => IngestResponses.ProblemAsync(http, 404, "not-found", "Not found", detail);

    private static Task BadQueryAsync(HttpContext http, string detail) => IngestResponses.ProblemAsync(http, 400, "malformed-request", "Malformed request", detail);

    private static Task ProblemAsync(HttpContext http, int status, string slug, string title, string detail, string? reasonClass,
        IReadOnlyList<AdmissionError>? errors, long? quarantineId)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/problem+json";
        return JsonSerializer.SerializeAsync(http.Response.Body, new QuarantineProblemBody(IngestResponses.ProblemBase + slug, title, status, detail,
            http.Request.Path, reasonClass, errors, quarantineId, System.Diagnostics.Activity.Current?.TraceId.ToString()),
            AdmissionJsonContext.Http.QuarantineProblemBody, http.RequestAborted);
    }
}
