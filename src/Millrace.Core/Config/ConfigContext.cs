using System.Diagnostics.CodeAnalysis;
using Millrace.Core.Units;

namespace Millrace.Core.Config;

/// <summary>
/// What a <see cref="ConfigSection"/> works with while a configuration loads: the diagnostics sink, id declarations
/// (for duplicate and dangling-reference checks), the unit catalogue, and typed results shared between sections
/// (a section publishes with <see cref="Set{T}"/>; sections resolved later read with <see cref="Get{T}"/>).
/// </summary>
public sealed class ConfigContext
{
    private readonly List<ConfigDiagnostic> _diagnostics;
    private readonly Dictionary<Type, object> _results = [];
    private readonly Dictionary<string, Dictionary<string, SourceLocation>> _declarations = new(StringComparer.Ordinal);

    internal ConfigContext(UnitCatalog units, List<ConfigDiagnostic> diagnostics, IReadOnlyList<string> files, string? directory)
    {
        Directory = directory;
        Units = units;
        _diagnostics = diagnostics;
        Files = files;
    }

    /// <summary>The configuration directory (absolute), or null when files were given in memory.</summary>
    public string? Directory { get; }

    /// <summary>The unit catalogue to parse units with.</summary>
    public UnitCatalog Units { get; }

    /// <summary>The configuration files loaded, relative paths in load order.</summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary>Diagnostics so far.</summary>
    public IReadOnlyList<ConfigDiagnostic> Diagnostics => _diagnostics;

    /// <summary>Reports an error at <paramref name="at"/>.</summary>
    public void Error(SourceLocation at, string message) => _diagnostics.Add(new ConfigDiagnostic(at, DiagnosticSeverity.Error, message));

    /// <summary>Reports an error at the start of <paramref name="node"/>.</summary>
    public void Error(ConfigNode node, string message) => Error(node.Location, message);

    /// <summary>Reports a warning at <paramref name="at"/>.</summary>
    public void Warning(SourceLocation at, string message) => _diagnostics.Add(new ConfigDiagnostic(at, DiagnosticSeverity.Warning, message));

    /// <summary>
    /// Starts reading <paramref name="node"/> as a mapping describing <paramref name="what"/> ("asset", "source", …).
    /// Returns null (after reporting) when it is not a mapping.
    /// </summary>
    public MappingReader? ReadMapping(ConfigNode node, string what)
    {
        if (node is ConfigMapping mapping) return new MappingReader(this, mapping, what);
        Error(node, $"expected a mapping for {what}, got {node.Describe()}");
        return null;
    }

    /// <summary>
    /// The items of <paramref name="node"/> as a list of <paramref name="what"/>; reports and returns nothing when it
    /// is not a list. A null value (<c>key:</c> with nothing after it) is an empty list.
    /// </summary>
    public IReadOnlyList<ConfigNode> ReadList(ConfigNode node, string what)
    {
        if (node is ConfigSequence sequence) return sequence.Items;
        if (node is ConfigScalar { IsNull: true }) return [];
        Error(node, $"expected a list of {what}, got {node.Describe()}");
        return [];
    }

    /// <summary>
    /// Declares <paramref name="id"/> in <paramref name="space"/> (e.g. "element", "asset class", "source").
    /// A second declaration is reported at <paramref name="at"/>, naming where the first one is, and returns false.
    /// </summary>
    public bool Declare(string space, string id, SourceLocation at, string what)
    {
        if (!_declarations.TryGetValue(space, out var ids)) _declarations[space] = ids = new(StringComparer.Ordinal);
        if (ids.TryGetValue(id, out var first))
        {
            Error(at, $"duplicate {what} id '{id}' (first defined at {first})");
            return false;
        }
        ids.Add(id, at);
        return true;
    }

    /// <summary>Where <paramref name="id"/> was declared in <paramref name="space"/>, if it was.</summary>
    public bool TryGetDeclaration(string space, string id, out SourceLocation at)
    {
        at = default;
        return _declarations.TryGetValue(space, out var ids) && ids.TryGetValue(id, out at);
    }

    /// <summary>The ids declared in <paramref name="space"/> (for "did you mean" suggestions).</summary>
    public IEnumerable<string> Declared(string space)
        => _declarations.TryGetValue(space, out var ids) ? ids.Keys : [];

    /// <summary>
    /// Reports a reference to an unknown id, suggesting the closest known one:
    /// "unknown asset class 'cnc-mil'; did you mean 'cnc-mill'?".
    /// </summary>
    public void UnknownReference(ConfigNode at, string what, string id, IEnumerable<string> known)
    {
        var suggestion = NameSuggester.Suggest(id, known);
        Error(at, suggestion is null ? $"unknown {what} '{id}'" : $"unknown {what} '{id}'; did you mean '{suggestion}'?");
    }

    /// <summary>Publishes a result for sections resolved later and for <c>MillraceConfig.Get&lt;T&gt;()</c>.</summary>
    public void Set<T>(T value) where T : class => _results[typeof(T)] = value;

    /// <summary>A result published by an earlier section, or null.</summary>
    public T? Get<T>() where T : class => _results.TryGetValue(typeof(T), out var value) ? (T)value : null;

    /// <summary>A result published by an earlier section.</summary>
    public bool TryGet<T>([NotNullWhen(true)] out T? value) where T : class => (value = Get<T>()) is not null;

    internal IReadOnlyDictionary<Type, object> Results => _results;
}
