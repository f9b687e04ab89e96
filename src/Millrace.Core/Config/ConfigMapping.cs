using System.Diagnostics.CodeAnalysis;

namespace Millrace.Core.Config;

/// <summary>One key/value pair of a mapping; the key keeps its position for "unknown key" messages.</summary>
/// <param name="Key">The key scalar.</param>
/// <param name="Value">The value node.</param>
public readonly record struct ConfigEntry(ConfigScalar Key, ConfigNode Value);

/// <summary>A YAML mapping with unique string keys in document order (merge keys <c>&lt;&lt;</c> already applied).</summary>
public sealed class ConfigMapping : ConfigNode
{
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);

    internal ConfigMapping(SourceLocation location) : base(location)
    {
    }

    internal List<ConfigEntry> EntryList { get; } = [];

    /// <summary>The entries in document order.</summary>
    public IReadOnlyList<ConfigEntry> Entries => EntryList;

    /// <summary>False when the file ended in a syntax error before the mapping was closed.</summary>
    public bool IsComplete { get; internal set; }

    /// <summary>Finds an entry by key.</summary>
    public bool TryGet(string key, [NotNullWhen(true)] out ConfigEntry? entry)
    {
        if (_index.TryGetValue(key, out var i))
        {
            entry = EntryList[i];
            return true;
        }
        entry = null;
        return false;
    }

    /// <summary>Whether the mapping has <paramref name="key"/>.</summary>
    public bool ContainsKey(string key) => _index.ContainsKey(key);

    internal bool TryAdd(ConfigScalar key, ConfigNode value)
    {
        if (!_index.TryAdd(key.Value, EntryList.Count)) return false;
        EntryList.Add(new ConfigEntry(key, value));
        return true;
    }

    internal ConfigScalar FirstKey(string key) => EntryList[_index[key]].Key;

    /// <inheritdoc />
    public override string Describe() => "a mapping";
}
