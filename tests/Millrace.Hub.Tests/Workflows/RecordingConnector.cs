using System.Collections.Concurrent;
using System.Text.Json;
using Millrace.Hub.Connectors;

namespace Millrace.Hub.Tests.Workflows;

/// <summary>
/// An in-test enterprise system: creates one document per idempotency key (the same key again returns the original
/// document, replayed, as the sandboxes and Tryton do) and answers from a script per operation and attempt.
/// </summary>
public sealed class RecordingConnector(string name, params string[] operations) : IConnector
{
    private readonly ConcurrentDictionary<string, ConnectorResult> _documents = new();
    private int _sequence;

    public string Name => name;
    public string Kind => "test";
    public IReadOnlyCollection<string> Operations => operations;

    /// <summary>Every call received, in order.</summary>
    public ConcurrentQueue<ConnectorCall> Calls { get; } = new();

    /// <summary>Optional answer before the document is created: return null to create it.</summary>
    public Func<ConnectorCall, ConnectorResult?>? Script { get; set; }

    /// <summary>Called after a document was created and before the answer returns (crash simulation hooks in here).</summary>
    public Func<ConnectorCall, Task>? AfterCreate { get; set; }

    /// <summary>Documents created, by idempotency key.</summary>
    public IReadOnlyDictionary<string, ConnectorResult> Documents => _documents;

    public IEnumerable<ConnectorCall> CallsOf(string operation) => Calls.Where(c => c.Operation == operation);

    public async ValueTask<ConnectorResult> InvokeAsync(ConnectorCall call, CancellationToken cancellationToken = default)
    {
        Calls.Enqueue(call);
        if (Script?.Invoke(call) is { } scripted) return scripted;
        if (_documents.TryGetValue(call.IdempotencyKey, out var existing)) return existing with { Replayed = true };
        var id = $"{call.Operation}-{Interlocked.Increment(ref _sequence)}";
        var output = JsonSerializer.SerializeToElement(new Dictionary<string, object> { ["documentId"] = id, ["operation"] = call.Operation, ["input"] = call.Input });
        var created = _documents.GetOrAdd(call.IdempotencyKey, ConnectorResult.Success(output, id));
        if (AfterCreate is { } hook) await hook(call);
        return created;
    }

    public ValueTask DisposeAsync() => default;
}
