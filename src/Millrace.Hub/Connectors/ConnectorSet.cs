using Millrace.Core.Config;
using Millrace.Hub.Connectors.Configuration;
using Millrace.Hub.Connectors.Resilience;

namespace Millrace.Hub.Connectors;

/// <summary>
/// The hub's connectors, created from the <c>connectors:</c> catalogue, each wrapped in its resilience; workflows look
/// them up by id.
/// </summary>
public sealed class ConnectorSet : IAsyncDisposable
{
    private readonly Dictionary<string, IConnector> _connectors;
    private readonly ConnectorMetrics _metrics;

    private ConnectorSet(Dictionary<string, IConnector> connectors, ConnectorMetrics metrics)
    {
        _connectors = connectors;
        _metrics = metrics;
    }

    /// <summary>Creates every connector of <paramref name="catalog"/> with the kinds of <paramref name="kinds"/> (default: the built-in ones).</summary>
    public static ConnectorSet Create(ConfigCatalog<ConnectorDefinition> catalog, ConnectorEnvironment environment, ConnectorKinds? kinds = null)
    {
        kinds ??= ConnectorKinds.CreateDefault();
        var metrics = new ConnectorMetrics(environment.MeterScope);
        var connectors = new Dictionary<string, IConnector>(StringComparer.Ordinal);
        foreach (var definition in catalog.All)
        {
            if (!kinds.TryGet(definition.Kind, out var kind))
                throw new InvalidOperationException($"connector '{definition.Id}': kind '{definition.Kind}' is not registered");
            connectors[definition.Id] = new ResilientConnector(kind.Create(definition, environment), definition, environment, metrics);
        }
        return new ConnectorSet(connectors, metrics);
    }

    /// <summary>The connector ids.</summary>
    public IEnumerable<string> Names => _connectors.Keys;

    /// <summary>Finds a connector by id.</summary>
    public bool TryGet(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IConnector? connector) => _connectors.TryGetValue(name, out connector);

    /// <summary>A connector by id; <see cref="KeyNotFoundException"/> when there is none.</summary>
    public IConnector this[string name] => _connectors.TryGetValue(name, out var c) ? c : throw new KeyNotFoundException($"no connector '{name}' (have: {string.Join(", ", _connectors.Keys)})");

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var c in _connectors.Values) await c.DisposeAsync().ConfigureAwait(false);
        _metrics.Dispose();
    }
}
