namespace Millrace.Hub.Connectors.Configuration;

/// <summary>The connector kinds the <c>connectors:</c> section knows, by name.</summary>
public sealed class ConnectorKinds
{
    private readonly Dictionary<string, IConnectorKind> _kinds = new(StringComparer.Ordinal);

    /// <summary>The built-in kinds: <c>http</c> and <c>tryton</c>. (Kinds in other folders add themselves here, one line each.)</summary>
    public static ConnectorKinds CreateDefault() => new ConnectorKinds().Add(new Http.HttpConnectorKind()).Add(new Tryton.TrytonConnectorKind());

    /// <summary>Registers a kind; a second kind with the same name replaces the first.</summary>
    public ConnectorKinds Add(IConnectorKind kind)
    {
        _kinds[kind.Name] = kind;
        return this;
    }

    /// <summary>The registered names, sorted.</summary>
    public IEnumerable<string> Names => _kinds.Keys.Order(StringComparer.Ordinal);

    /// <summary>Finds a kind by name.</summary>
    public bool TryGet(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IConnectorKind? kind) => _kinds.TryGetValue(name, out kind);
}
