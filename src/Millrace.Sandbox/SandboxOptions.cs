namespace Millrace.Sandbox;

/// <summary>How to start the sandbox systems.</summary>
public sealed record SandboxOptions
{
    /// <summary>Port on 127.0.0.1; 0 picks a free one (tests, the demo).</summary>
    public int Port { get; init; }

    /// <summary>Initial behaviour per system id (<c>erp</c>, <c>eam</c>, <c>qms</c>, <c>wms</c>, <c>field-service</c>); absent: well-behaved.</summary>
    public IReadOnlyDictionary<string, SandboxBehaviour> Behaviour { get; init; } = new Dictionary<string, SandboxBehaviour>();

    /// <summary>
    /// True (default): a confirmation for a production order the ERP does not know registers the order (the demo's
    /// simulator releases orders the sandbox never saw), and goods receipts of materials the seeded material master lacks
    /// (the simulator's products) are accepted. False: such confirmations are refused 404 and such receipts 422, as a
    /// real ERP would.
    /// </summary>
    public bool AcceptUnknownOrders { get; init; } = true;
}
