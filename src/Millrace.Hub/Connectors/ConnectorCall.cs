using System.Text.Json;

namespace Millrace.Hub.Connectors;

/// <summary>One call of a connector operation, as a workflow step (or a direct route) makes it.</summary>
/// <param name="Operation">The operation's name, one of <see cref="IConnector.Operations"/>.</param>
/// <param name="Input">The operation's input: a JSON object whose members the operation's documentation lists.</param>
/// <param name="IdempotencyKey">
/// Deterministic key of the business fact this call posts (same fact, same key — across retries, restarts and replays).
/// </param>
/// <param name="TraceParent">W3C <c>traceparent</c> of the business event behind the call; sent on to the target.</param>
/// <param name="Attempt">1 for the first attempt; for logs, metrics and the target's audit.</param>
public sealed record ConnectorCall(string Operation, JsonElement Input, string IdempotencyKey, string? TraceParent = null, int Attempt = 1);
