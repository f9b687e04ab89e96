using Millrace.Core.Model;

namespace Millrace.Core.Config;

/// <summary>
/// The typed result of loading a configuration directory. When the load had errors this is the valid part only
/// (elements with errors are left out), so never start a hub from a configuration with errors.
/// </summary>
public sealed class MillraceConfig
{
    private readonly IReadOnlyDictionary<Type, object> _results;

    internal MillraceConfig(string? directory, IReadOnlyDictionary<Type, object> results)
    {
        Directory = directory;
        _results = results;
        Enterprise = Get<Enterprise>() ?? new Enterprise("enterprise", "Enterprise");
        Model = Get<EnterpriseModel>() ?? EnterpriseModel.Create(Enterprise, [], [], [], [], []);
        AssetClasses = Get<ConfigCatalog<AssetClass>>() ?? ConfigCatalog<AssetClass>.Empty;
        Materials = Get<ConfigCatalog<Material>>() ?? ConfigCatalog<Material>.Empty;
        Sources = Get<ConfigCatalog<SourceDefinition>>() ?? ConfigCatalog<SourceDefinition>.Empty;
    }

    /// <summary>The configuration directory (absolute), or null for in-memory files.</summary>
    public string? Directory { get; }

    /// <summary>The enterprise.</summary>
    public Enterprise Enterprise { get; }

    /// <summary>The plant hierarchy and asset index.</summary>
    public EnterpriseModel Model { get; }

    /// <summary>Asset classes by id.</summary>
    public ConfigCatalog<AssetClass> AssetClasses { get; }

    /// <summary>Materials by id.</summary>
    public ConfigCatalog<Material> Materials { get; }

    /// <summary>Telemetry sources by id.</summary>
    public ConfigCatalog<SourceDefinition> Sources { get; }

    /// <summary>The result a section published (for sections added by later features), or null.</summary>
    public T? Get<T>() where T : class => _results.TryGetValue(typeof(T), out var value) ? (T)value : null;

    /// <summary>Counts for the one-line summary.</summary>
    public ConfigSummary Summary => new(
        Model.Sites.Length, Model.Areas.Length, Model.Lines.Length, Model.Cells.Length,
        Model.AssetCount, Model.SignalCount, AssetClasses.Count, Sources.Count);
}
