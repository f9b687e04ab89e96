using Millrace.Core.Config;

namespace Millrace.Hub.Connectors.Configuration;

/// <summary>One entry of the <c>connectors:</c> section, validated: the common keys plus the kind's own settings.</summary>
public sealed record ConnectorDefinition
{
    /// <summary>The connector's id (<c>erp</c>), named by workflow steps.</summary>
    public required string Id { get; init; }

    /// <summary>The kind (<c>http</c>, <c>tryton</c>), one registered in <see cref="ConnectorKinds"/>.</summary>
    public required string Kind { get; init; }

    /// <summary>
    /// The target's address as written: an absolute <c>http(s)://</c> URL, or <c>sandbox://{system}</c> for the
    /// sandbox systems (resolved by <see cref="ConnectorEnvironment.ResolveUrl"/>).
    /// </summary>
    public required string Url { get; init; }

    /// <summary>Where the secret is kept (never the secret), or null.</summary>
    public CredentialReference? Credentials { get; init; }

    /// <summary>Per-call timeout, resilience limits and maintenance windows.</summary>
    public ConnectorResilienceOptions Resilience { get; init; } = new();

    /// <summary>The retry defaults a workflow step calling this connector uses unless it sets its own.</summary>
    public ConnectorRetryOptions Retry { get; init; } = new();

    /// <summary>What the kind read from its own keys.</summary>
    public required IConnectorSettings Settings { get; init; }

    /// <summary>The operations workflows may call.</summary>
    public IReadOnlyCollection<string> Operations => Settings.Operations;

    /// <summary>Where the entry is written (for messages).</summary>
    public SourceLocation Location { get; init; }
}

/// <summary>What a connector kind read from its own keys of a <c>connectors:</c> entry.</summary>
public interface IConnectorSettings
{
    /// <summary>The operation names the connector offers.</summary>
    IReadOnlyCollection<string> Operations { get; }
}
