using System.Collections.Frozen;
using System.Text.Json;

namespace Millrace.Schema.Internal;

/// <summary>
/// The draft 2020-12 metaschema and its vocabulary metaschemas, embedded so that <c>$schema</c> and
/// <c>$ref</c> to them work without any network access.
/// </summary>
internal static class Metaschemas
{
    private const string Prefix = "https://json-schema.org/draft/2020-12/";

    private static readonly Lazy<FrozenDictionary<string, JsonElement>> All = new(Load);

    public static bool TryGet(string uri, out JsonElement document) => All.Value.TryGetValue(uri, out document);

    private static FrozenDictionary<string, JsonElement> Load()
    {
        var assembly = typeof(Metaschemas).Assembly;
        var result = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        (string Uri, string Resource)[] files =
        [
            (Prefix + "schema", "schema.json"),
            (Prefix + "meta/core", "core.json"),
            (Prefix + "meta/applicator", "applicator.json"),
            (Prefix + "meta/unevaluated", "unevaluated.json"),
            (Prefix + "meta/validation", "validation.json"),
            (Prefix + "meta/meta-data", "meta-data.json"),
            (Prefix + "meta/format-annotation", "format-annotation.json"),
            (Prefix + "meta/format-assertion", "format-assertion.json"),
            (Prefix + "meta/content", "content.json"),
        ];
        foreach (var (uri, resource) in files)
        {
            using var stream = assembly.GetManifestResourceStream("Millrace.Schema.Metaschemas." + resource)
                ?? throw new InvalidOperationException($"embedded metaschema {resource} is missing from the assembly");
            using var doc = JsonDocument.Parse(stream);
            result[uri] = doc.RootElement.Clone();
        }
        return result.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
