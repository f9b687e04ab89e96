using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;

namespace Millrace.Core.Config;

/// <summary>Configured items of one kind (asset classes, materials, sources) in declaration order, by id.</summary>
/// <typeparam name="T">The item type.</typeparam>
public sealed class ConfigCatalog<T> where T : class
{
    private readonly FrozenDictionary<string, T> _byId;

    /// <summary>Creates a catalogue; ids must be unique.</summary>
    public ConfigCatalog(IEnumerable<T> items, Func<T, string> id)
    {
        All = [.. items];
        Ids = [.. All.Select(id)];
        _byId = All.ToFrozenDictionary(id, StringComparer.Ordinal);
    }

    /// <summary>An empty catalogue.</summary>
    public static ConfigCatalog<T> Empty { get; } = new([], _ => "");

    /// <summary>Items in declaration order.</summary>
    public ImmutableArray<T> All { get; }

    /// <summary>Number of items.</summary>
    public int Count => All.Length;

    /// <summary>The ids in declaration order.</summary>
    public ImmutableArray<string> Ids { get; }

    /// <summary>Finds an item by id.</summary>
    public bool TryGet(string id, [NotNullWhen(true)] out T? item) => _byId.TryGetValue(id, out item);

    /// <summary>The item with <paramref name="id"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such item.</exception>
    public T this[string id] => _byId[id];
}
