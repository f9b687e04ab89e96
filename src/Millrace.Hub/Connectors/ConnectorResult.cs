using System.Text.Json;

namespace Millrace.Hub.Connectors;

/// <summary>What a connector call produced; kept in the workflow instance's step history and, on a permanent failure,
/// in the dead letter (request, response and reason).</summary>
/// <param name="Outcome">Succeeded, retryable, permanent or deferred.</param>
/// <param name="Output">The operation's output (a JSON object) when it succeeded; later steps read it.</param>
/// <param name="DocumentId">The target's key of the document created or found (ERP confirmation number, case id, …).</param>
/// <param name="Reason">Why it failed, specific enough for a person to act on; null on success.</param>
/// <param name="RetryAfter">The target's <c>Retry-After</c> (429/503), or when a deferred call may be tried again.</param>
/// <param name="StatusCode">The target's status (HTTP status, or the JSON-RPC error class as text in <paramref name="Reason"/>).</param>
/// <param name="Request">The request as sent (method, URL or RPC method, body), secrets removed.</param>
/// <param name="Response">The response as received (status line and body, truncated to a bounded size).</param>
/// <param name="Replayed">True when the target answered from its idempotency record (the document existed already).</param>
public sealed record ConnectorResult(
    ConnectorOutcome Outcome,
    JsonElement? Output = null,
    string? DocumentId = null,
    string? Reason = null,
    TimeSpan? RetryAfter = null,
    int? StatusCode = null,
    string? Request = null,
    string? Response = null,
    bool Replayed = false)
{
    /// <summary>A successful result.</summary>
    public static ConnectorResult Success(JsonElement output, string? documentId, bool replayed = false, int? statusCode = null)
        => new(ConnectorOutcome.Succeeded, output, documentId, StatusCode: statusCode, Replayed: replayed);

    /// <summary>A deferred result: the target is unavailable until <paramref name="retryAfter"/> from now.</summary>
    public static ConnectorResult Defer(TimeSpan retryAfter, string reason) => new(ConnectorOutcome.Deferred, Reason: reason, RetryAfter: retryAfter);
}
