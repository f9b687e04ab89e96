namespace Millrace.Hub.Connectors;

/// <summary>
/// One enterprise system (ERP, EAM, QMS, WMS, field service, a SaaS or webhook target) as seen by workflows: a named
/// set of operations, each called with a JSON input and a deterministic idempotency key. Implementations: the
/// configurable <c>kind: http</c> connector and the <c>kind: tryton</c> JSON-RPC connector (docs/connectors.md).
/// </summary>
/// <remarks>
/// <para>Contract every implementation honours:</para>
/// <list type="bullet">
/// <item>The same <see cref="ConnectorCall.IdempotencyKey"/> sent again (after a crash between "sent" and
/// "recorded", or a retry after a lost response) never creates a second document in the target system: it returns
/// the document the first call created. Systems with an <c>Idempotency-Key</c> header get it there; systems without
/// one get it in a reference field that the connector looks up before it creates.</item>
/// <item><see cref="InvokeAsync"/> never throws for anything the target system does: failures are
/// <see cref="ConnectorResult"/>s classified as retryable, permanent or deferred. It throws only
/// <see cref="OperationCanceledException"/> for the caller's token and <see cref="ArgumentException"/> for an
/// operation it does not have.</item>
/// <item>A connector applies its own resilience (rate limit, concurrency limit, circuit breaker, per-call timeout,
/// maintenance windows). Conditions that are the target's state rather than the call's fault — an open circuit, a
/// maintenance window — are <see cref="ConnectorOutcome.Deferred"/> with <see cref="ConnectorResult.RetryAfter"/>, so
/// a workflow waits for them without spending a retry attempt.</item>
/// <item>Safe to call concurrently.</item>
/// </list>
/// </remarks>
public interface IConnector : IAsyncDisposable
{
    /// <summary>The connector's id in the <c>connectors:</c> section (<c>erp</c>, <c>eam</c>, …), used by workflow steps.</summary>
    string Name { get; }

    /// <summary>The connector kind (<c>http</c>, <c>tryton</c>).</summary>
    string Kind { get; }

    /// <summary>The operations workflows may call (<c>confirm-production</c>, <c>reserve-material</c>, …).</summary>
    IReadOnlyCollection<string> Operations { get; }

    /// <summary>Calls one operation. See the remarks for the outcome contract.</summary>
    ValueTask<ConnectorResult> InvokeAsync(ConnectorCall call, CancellationToken cancellationToken = default);
}
