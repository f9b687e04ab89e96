using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Millrace.Hub.Connectors.Tryton;

/// <summary>
/// The <c>kind: tryton</c> connector: the <c>erp</c> operations that map onto Tryton 6.0 (production, stock, lots),
/// posted over JSON-RPC (docs/connectors.md, "Tryton"). Tryton has no idempotency key, so every create-type operation
/// writes the call's key into the document's <c>reference</c> and looks it up before it creates; an operation
/// interrupted half-way (a crash, a lost response) is finished by the next call with the same key, never duplicated.
/// Calls with the same key are serialised in-process; Tryton's errors become retryable or permanent results.
/// </summary>
public sealed class TrytonConnector : IConnector
{
    /// <summary>The connector kind in the <c>connectors:</c> section.</summary>
    public const string KindName = "tryton";

    internal static readonly string[] OperationNames =
        ["read-production-order", "confirm-production", "post-goods-receipt", "post-goods-movement", "create-lot", "read-stock"];

    private readonly TrytonJsonRpcClient _rpc;
    private readonly TrytonProductionOperations _production;
    private readonly TrytonStockOperations _stock;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim[] _keyLocks = Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    /// <summary>Creates the connector; it logs in on its first call.</summary>
    public TrytonConnector(string name, TrytonOptions options, ILogger? logger = null, HttpClient? http = null)
    {
        Name = name;
        _rpc = new TrytonJsonRpcClient(options, http);
        var master = new TrytonMasterData(_rpc);
        _production = new TrytonProductionOperations(_rpc, master);
        _stock = new TrytonStockOperations(_rpc, master, options);
        _logger = logger ?? NullLogger.Instance;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public string Kind => KindName;

    /// <inheritdoc />
    public IReadOnlyCollection<string> Operations => OperationNames;

    /// <summary>The JSON-RPC client (tests read its login count).</summary>
    internal TrytonJsonRpcClient Client => _rpc;

    /// <inheritdoc />
    public async ValueTask<ConnectorResult> InvokeAsync(ConnectorCall call, CancellationToken cancellationToken = default)
    {
        if (Array.IndexOf(OperationNames, call.Operation) < 0)
            throw new ArgumentException($"connector '{Name}' (kind tryton) has no operation '{call.Operation}'; it has {string.Join(", ", OperationNames)}", nameof(call));
        var input = new TrytonInput(call.Operation, call.Input);
        // two concurrent calls with one key would both miss the lookup and both create: serialise them
        var gate = _keyLocks[(int)((uint)StringComparer.Ordinal.GetHashCode(call.IdempotencyKey) % (uint)_keyLocks.Length)];
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var result = call.Operation switch
            {
                "read-production-order" => await _production.ReadOrderAsync(input, cancellationToken).ConfigureAwait(false),
                "confirm-production" => await _production.ConfirmAsync(input, call.IdempotencyKey, cancellationToken).ConfigureAwait(false),
                "post-goods-receipt" => await _stock.PostReceiptAsync(input, call.IdempotencyKey, cancellationToken).ConfigureAwait(false),
                "post-goods-movement" => await _stock.PostMovementAsync(input, call.IdempotencyKey, cancellationToken).ConfigureAwait(false),
                "create-lot" => await _stock.CreateLotAsync(input, cancellationToken).ConfigureAwait(false),
                _ => await _stock.ReadStockAsync(input, cancellationToken).ConfigureAwait(false),
            };
            _logger.LogDebug("Tryton {Connector} {Operation} {Key}: {Document} (replayed {Replayed})",
                Name, call.Operation, call.IdempotencyKey, result.DocumentId, result.Replayed);
            return result;
        }
        catch (TrytonInputException e)
        {
            _logger.LogWarning("Tryton {Connector} {Operation} {Key} failed permanently: {Reason}", Name, call.Operation, call.IdempotencyKey, e.Message);
            return new ConnectorResult(ConnectorOutcome.Permanent, Reason: e.Message, Request: $"{call.Operation} {call.Input.GetRawText()}");
        }
        catch (TrytonRpcException e)
        {
            var outcome = e.Retryable ? ConnectorOutcome.Retryable : ConnectorOutcome.Permanent;
            _logger.LogWarning("Tryton {Connector} {Operation} {Key}: {Outcome}: {Reason}", Name, call.Operation, call.IdempotencyKey, outcome, e.Message);
            return new ConnectorResult(outcome, Reason: $"{call.Operation}: {e.Message}", RetryAfter: e.RetryAfter, StatusCode: e.StatusCode,
                Request: e.Request, Response: e.Response);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _rpc.Dispose();
        foreach (var g in _keyLocks)
            g.Dispose();
        return ValueTask.CompletedTask;
    }
}
