namespace Millrace.Core.Config;

/// <summary>
/// The top-level sections a loader understands. Later features add their own section without touching the loader:
/// <code>var sections = ConfigSectionRegistry.CreateDefault().Add(() => new RulesSection());
/// var result = new ConfigLoader(sections).LoadDirectory(dir);</code>
/// Any top-level key not registered is reported as an error.
/// </summary>
public sealed class ConfigSectionRegistry
{
    private readonly List<(string Key, Func<ConfigSection> Factory)> _sections = [];

    /// <summary>
    /// The built-in sections, in resolve order: <c>enterprise</c>, <c>asset-classes</c>, <c>materials</c>,
    /// <c>plants</c>, <c>sources</c>. Returns a new registry each call, so adding to it affects only its user.
    /// </summary>
    public static ConfigSectionRegistry CreateDefault() => new ConfigSectionRegistry()
        .Add(() => new EnterpriseSection())
        .Add(() => new AssetClassesSection())
        .Add(() => new MaterialsSection())
        .Add(() => new PlantsSection())
        .Add(() => new SourcesSection());

    /// <summary>The registered top-level keys in resolve order.</summary>
    public IReadOnlyList<string> Keys => _sections.Select(s => s.Key).ToList();

    /// <summary>
    /// Registers a section; it resolves after every section registered before it.
    /// </summary>
    /// <exception cref="ArgumentException">The key is already registered.</exception>
    public ConfigSectionRegistry Add(Func<ConfigSection> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var key = factory().Key;
        if (_sections.Any(s => s.Key == key)) throw new ArgumentException($"top-level section '{key}' is already registered");
        _sections.Add((key, factory));
        return this;
    }

    internal List<ConfigSection> Instantiate() => _sections.Select(s => s.Factory()).ToList();
}
