using System.Text.Json;

namespace Millrace.Schema;

/// <summary>
/// Supplies schema documents for absolute URIs that a schema references but does not embed.
/// Implementations must not go to the network unless the host explicitly wants that; the built-in ones never do.
/// </summary>
public interface ISchemaResolver
{
    /// <summary>Returns the document for <paramref name="uri"/> (no fragment), or false when unknown.</summary>
    bool TryResolve(string uri, out JsonElement document);
}

/// <summary>An in-memory resolver over a dictionary of URI to document.</summary>
public sealed class DictionarySchemaResolver : ISchemaResolver
{
    private readonly Dictionary<string, JsonElement> _documents = new(StringComparer.Ordinal);

    /// <summary>Creates an empty resolver.</summary>
    public DictionarySchemaResolver() { }

    /// <summary>Creates a resolver holding the given documents (elements are cloned, so the sources may be disposed).</summary>
    public DictionarySchemaResolver(IEnumerable<KeyValuePair<string, JsonElement>> documents)
    {
        foreach (var (uri, doc) in documents) Add(uri, doc);
    }

    /// <summary>Adds (or replaces) a document; a trailing empty fragment on the URI is ignored.</summary>
    public void Add(string uri, JsonElement document) => _documents[uri.TrimEnd('#')] = document.Clone();

    /// <summary>Parses and adds a document given as JSON text.</summary>
    public void Add(string uri, string json)
    {
        using var doc = JsonDocument.Parse(json);
        Add(uri, doc.RootElement);
    }

    /// <inheritdoc />
    public bool TryResolve(string uri, out JsonElement document) => _documents.TryGetValue(uri, out document);
}
