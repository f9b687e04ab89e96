using Millrace.Core.Config;

namespace Millrace.Hub.Connectors.Configuration;

/// <summary>
/// A kind of connector (<c>http</c>, <c>tryton</c>): reads its own keys of a <c>connectors:</c> entry and creates the
/// connector. Register new kinds in <see cref="ConnectorKinds"/>; the section reads the common keys (id, kind, url,
/// credentials, timeout, rate-limit, concurrency, retry, circuit-breaker, maintenance-windows) and wraps what
/// <see cref="Create"/> returns in the resilience (<see cref="Resilience.ResilientConnector"/>), so a kind only talks
/// to its target and classifies the answers.
/// </summary>
public interface IConnectorKind
{
    /// <summary>The value of <c>kind:</c>.</summary>
    string Name { get; }

    /// <summary>
    /// Reads the kind's own keys from <paramref name="entry"/> (ask for each key, so the section's
    /// <see cref="MappingReader.Complete"/> reports the rest as unknown), reporting problems at their positions.
    /// Returns null when the settings are unusable (errors reported).
    /// </summary>
    IConnectorSettings? ReadSettings(MappingReader entry, ConfigContext context, string connectorId);

    /// <summary>Creates the connector (without resilience: the caller wraps it).</summary>
    IConnector Create(ConnectorDefinition definition, ConnectorEnvironment environment);
}
