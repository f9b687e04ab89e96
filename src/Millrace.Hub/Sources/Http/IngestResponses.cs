using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Millrace.Hub.Hosting;

namespace Millrace.Hub.Sources.Http;

/// <summary>Writes ingest answers: JSON bodies via source generation, RFC 9457 problems as application/problem+json.</summary>
internal static class IngestResponses
{
    public const string ProblemBase = "https://millrace.dev/problems/";

    public static Task ProblemAsync(HttpContext http, int status, string slug, string title, string detail,
        IReadOnlyList<ProblemError>? errors = null, long? deadLetterId = null)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/problem+json";
        var body = new ProblemBody(ProblemBase + slug, title, status, detail, http.Request.Path, errors, Activity.Current?.TraceId.ToString(), deadLetterId);
        return JsonSerializer.SerializeAsync(http.Response.Body, body, HubJsonContext.Http.ProblemBody, http.RequestAborted);
    }

    public static Task JsonAsync<T>(HttpContext http, int status, T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(http.Response.Body, value, type, http.RequestAborted);
    }

    /// <summary>
    /// Answers 413 for a body over the limit, keeping its first 64 KiB as a dead letter: the sender learns why, and
    /// an operator can still see what was sent.
    /// </summary>
    public static async Task RefuseTooLargeAsync(HttpContext http, Millrace.Hub.DeadLetters.SqliteDeadLetterStore deadLetters, string source,
        System.Buffers.ReadOnlySequence<byte> body, long maxBytes, string? traceId)
    {
        var head = System.Buffers.BuffersExtensions.ToArray(body.Slice(0, Math.Min(body.Length, 64 * 1024)));
        string reason = $"payload exceeds {maxBytes} bytes; first {head.Length} bytes kept";
        await deadLetters.StoreAsync(source, reason, null, http.Request.ContentType, head, traceId, http.RequestAborted);
        await ProblemAsync(http, StatusCodes.Status413PayloadTooLarge, "payload-too-large", "Payload too large", reason);
    }

    /// <summary>One line naming the first few problems, for the dead letter's reason.</summary>
    public static string Summarise(IReadOnlyList<ProblemError> errors)
    {
        var head = string.Join("; ", errors.Take(5).Select(e => $"{(e.Pointer.Length == 0 ? "/" : e.Pointer)}: {e.Detail}"));
        return errors.Count > 5 ? $"{head}; and {errors.Count - 5} more" : head;
    }
}
