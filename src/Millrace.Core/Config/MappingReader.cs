using Millrace.Core.Model;
using Millrace.Core.Units;

namespace Millrace.Core.Config;

/// <summary>
/// Reads one mapping by hand, key by key, reporting every problem with its position: missing required keys,
/// wrong value types, invalid ids. Every key asked for is remembered as known; <see cref="Complete"/> then reports
/// the keys nobody asked for as unknown, with a "did you mean" suggestion.
/// </summary>
public sealed class MappingReader
{
    private readonly ConfigContext _context;
    private readonly List<string> _known = []; // in the order asked for: deterministic suggestions
    private readonly List<string> _missing = [];
    private readonly HashSet<string> _misspelt = new(StringComparer.Ordinal);

    internal MappingReader(ConfigContext context, ConfigMapping node, string what)
    {
        _context = context;
        Node = node;
        What = what;
    }

    /// <summary>The mapping being read.</summary>
    public ConfigMapping Node { get; }

    /// <summary>What the mapping describes, for messages ("asset", "mqtt source").</summary>
    public string What { get; set; }

    /// <summary>Where the mapping starts.</summary>
    public SourceLocation Location => Node.Location;

    /// <summary>Whether the key is present with a non-null value (and marks it known).</summary>
    public bool Has(string key) => Value(key, required: false) is not null;

    /// <summary>The value node of <paramref name="key"/>, or null when absent or null (reported if required).</summary>
    public ConfigNode? Value(string key, bool required = false)
    {
        if (!_known.Contains(key)) _known.Add(key);
        if (Node.TryGet(key, out var entry) && entry.Value.Value is not ConfigScalar { IsNull: true })
            return entry.Value.Value;
        if (entry?.Value is ConfigScalar { IsPlaceholder: true }) return null;
        if (required && Node.IsComplete)
        {
            if (entry is { } present) _context.Error(present.Key, $"'{key}' of {What} must have a value");
            else if (!_missing.Contains(key)) _missing.Add(key);
        }
        return null;
    }

    /// <summary>A scalar value as a string node (keeps its position), or null.</summary>
    public ConfigScalar? Text(string key, bool required = false)
    {
        var node = Value(key, required);
        if (node is null or ConfigScalar) return (ConfigScalar?)node;
        _context.Error(node, $"'{key}' of {What} must be a string, got {node.Describe()}");
        return null;
    }

    /// <summary>A scalar value as a string, or null.</summary>
    public string? String(string key, bool required = false) => Text(key, required)?.Value;

    /// <summary>A finite number, or null.</summary>
    public double? Number(string key, bool required = false)
    {
        var node = Value(key, required);
        if (node is null) return null;
        if (node is ConfigScalar s && s.TryGetNumber(out var value)) return value;
        _context.Error(node, $"'{key}' of {What} must be a number, got {Quote(node)}");
        return null;
    }

    /// <summary>A whole number, or null.</summary>
    public long? Integer(string key, bool required = false)
    {
        var node = Value(key, required);
        if (node is null) return null;
        if (node is ConfigScalar s && s.TryGetInteger(out var value)) return value;
        _context.Error(node, $"'{key}' of {What} must be a whole number, got {Quote(node)}");
        return null;
    }

    /// <summary><c>true</c> or <c>false</c>, or null.</summary>
    public bool? Boolean(string key, bool required = false)
    {
        var node = Value(key, required);
        if (node is null) return null;
        if (node is ConfigScalar s && s.TryGetBoolean(out var value)) return value;
        _context.Error(node, $"'{key}' of {What} must be true or false, got {Quote(node)}");
        return null;
    }

    /// <summary>The items of a list value (empty when absent; reported when not a list).</summary>
    public IReadOnlyList<ConfigNode> List(string key, bool required = false)
    {
        var node = Value(key, required);
        if (node is null) return [];
        if (node is ConfigSequence sequence) return sequence.Items;
        _context.Error(node, $"'{key}' of {What} must be a list, got {node.Describe()}");
        return [];
    }

    /// <summary>A list of strings; non-string items are reported and skipped.</summary>
    public IReadOnlyList<ConfigScalar> TextList(string key, bool required = false)
    {
        var items = List(key, required);
        var result = new List<ConfigScalar>(items.Count);
        foreach (var item in items)
        {
            if (item is ConfigScalar { IsNull: false } s) result.Add(s);
            else _context.Error(item, $"items of '{key}' in {What} must be strings, got {item.Describe()}");
        }
        return result;
    }

    /// <summary>A nested mapping, or null.</summary>
    public MappingReader? Mapping(string key, string what, bool required = false)
    {
        var node = Value(key, required);
        if (node is null) return null;
        if (node is ConfigMapping mapping) return new MappingReader(_context, mapping, what);
        _context.Error(node, $"'{key}' of {What} must be a mapping, got {node.Describe()}");
        return null;
    }

    /// <summary>A local id (see <see cref="ModelId"/>), validated; null when missing or invalid (reported).</summary>
    public ConfigScalar? Id(string key = "id", bool required = true)
    {
        var node = Text(key, required);
        if (node is null) return null;
        if (ModelId.IsValidLocal(node.Value)) return node;
        _context.Error(node, ModelId.ExplainInvalidLocal(node.Value));
        return null;
    }

    /// <summary>A unit from the catalogue, or null (unknown units reported with a suggestion).</summary>
    public Unit? Unit(string key, bool required = false)
    {
        var node = Text(key, required);
        if (node is null) return null;
        if (_context.Units.TryParse(node.Value, out var unit, out var error)) return unit;
        _context.Error(node, error);
        return null;
    }

    /// <summary>The location of a key's value, or of the mapping when the key is absent.</summary>
    public SourceLocation LocationOf(string key)
        => Node.TryGet(key, out var entry) ? entry.Value.Value.Location : Node.Location;

    /// <summary>Marks keys as known without reading them (e.g. keys another reader handles).</summary>
    public void Allow(params string[] keys)
    {
        foreach (var key in keys)
            if (!_known.Contains(key)) _known.Add(key);
    }

    /// <summary>
    /// Reports every key not asked for: "unknown key 'clas' in asset; did you mean 'class'?", then the required keys
    /// that are missing. A misspelt required key is one mistake, so it is reported once (as the unknown key).
    /// <paramref name="hint"/> overrides the message for specific keys (e.g. inline secrets). Call it once, last.
    /// </summary>
    public void Complete(Func<string, string?>? hint = null)
    {
        var missing = new List<string>(_missing);
        foreach (var entry in Node.Entries)
        {
            var key = entry.Key.Value;
            if (_known.Contains(key)) continue;
            if (hint?.Invoke(key) is { } special)
            {
                _context.Error(entry.Key, special);
                continue;
            }
            var suggestion = NameSuggester.Suggest(key, _known);
            if (suggestion is not null)
            {
                missing.Remove(suggestion);
                _misspelt.Add(suggestion);
            }
            _context.Error(entry.Key, suggestion is null
                ? $"unknown key '{key}' in {What} (expected one of: {string.Join(", ", _known.Order(StringComparer.Ordinal))})"
                : $"unknown key '{key}' in {What}; did you mean '{suggestion}'?");
        }
        foreach (var key in missing) _context.Error(Node, $"missing required key '{key}' in {What}");
        _missing.Clear();
    }

    /// <summary>
    /// After <see cref="Complete"/>: whether an unknown key was reported as a likely misspelling of
    /// <paramref name="key"/> (so a later "missing" check for it would repeat the same mistake).
    /// </summary>
    public bool WasMisspelt(string key) => _misspelt.Contains(key);

    private static string Quote(ConfigNode node) => node is ConfigScalar s && !s.IsNull ? $"{node.Describe()} ('{s.Value}')" : node.Describe();
}
