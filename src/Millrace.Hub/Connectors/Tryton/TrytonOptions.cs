namespace Millrace.Hub.Connectors.Tryton;

/// <summary>Where and as whom the Tryton connector talks to trytond (the <c>kind: tryton</c> entry of <c>connectors:</c>).</summary>
public sealed record TrytonOptions
{
    /// <summary>The server's root, e.g. <c>http://127.0.0.1:8000</c> (the database name is appended as a path segment).</summary>
    public required Uri Url { get; init; }

    /// <summary>The database name (the URL path <c>/&lt;database&gt;/</c>).</summary>
    public required string Database { get; init; }

    /// <summary>The login of the integration user.</summary>
    public required string User { get; init; }

    /// <summary>The password, already resolved from its credential reference (never logged or recorded).</summary>
    public required string Password { get; init; }

    /// <summary>How long one JSON-RPC request may take before it counts as a retryable timeout.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The party receipts come from when a <c>post-goods-receipt</c> names no supplier (matched on the party's name).</summary>
    public string DefaultSupplier { get; init; } = StandardSupplier;

    /// <summary>The default of <see cref="DefaultSupplier"/> (the party scripts/tryton-seed.py creates).</summary>
    public const string StandardSupplier = "Acme Supplies";
}
