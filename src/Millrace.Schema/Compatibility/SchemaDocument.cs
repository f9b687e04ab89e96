using System.Text.Json;
using Millrace.Schema.Internal;

namespace Millrace.Schema.Compatibility;

/// <summary>A subschema together with its JSON pointer in its document.</summary>
internal readonly record struct Located(JsonElement Value, string Pointer)
{
    public Located Child(string keyword) => new(Value.GetProperty(keyword), JsonPointer.Append(Pointer, keyword));

    public string At(string keyword) => JsonPointer.Append(Pointer, keyword);

    public static string Append(string pointer, string token) => JsonPointer.Append(pointer, token);
}

/// <summary>
/// One schema document as the compatibility checker sees it: resolves local references (<c>#</c>, <c>#/json/pointer</c>,
/// <c>#anchor</c>, and the document's own <c>$id</c> with such a fragment). Anything else is unresolved, and the
/// checker treats it conservatively.
/// </summary>
internal sealed class SchemaDocument
{
    private Dictionary<string, Located>? _anchors;

    public SchemaDocument(JsonElement root)
    {
        Root = root;
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("$id", out var id) && id.ValueKind == JsonValueKind.String)
            Id = id.GetString()!.TrimEnd('#');
    }

    public JsonElement Root { get; }

    /// <summary>The root's <c>$id</c> without a trailing empty fragment, or null.</summary>
    public string? Id { get; }

    public Located RootLocated => new(Root, "");

    /// <summary>Resolves a <c>$ref</c> value; false when it points outside this document or nowhere.</summary>
    public bool TryResolve(string reference, out Located target)
    {
        target = default;
        string fragment;
        int hash = reference.IndexOf('#');
        string resource = hash < 0 ? reference : reference[..hash];
        fragment = hash < 0 ? "" : reference[(hash + 1)..];
        if (resource.Length > 0 && resource != Id) return false;
        fragment = JsonPointer.PercentDecode(fragment);
        if (fragment.Length == 0)
        {
            target = RootLocated;
            return true;
        }
        if (fragment[0] == '/')
        {
            var tokens = JsonPointer.Parse(fragment);
            if (tokens is null || !JsonPointer.TryNavigate(Root, tokens, out var element)) return false;
            target = new Located(element, fragment);
            return true;
        }
        return Anchors().TryGetValue(fragment, out target);
    }

    private Dictionary<string, Located> Anchors()
    {
        if (_anchors is not null) return _anchors;
        var anchors = new Dictionary<string, Located>(StringComparer.Ordinal);
        Collect(Root, "", anchors, 0);
        return _anchors = anchors;
    }

    private static void Collect(JsonElement node, string pointer, Dictionary<string, Located> anchors, int depth)
    {
        if (depth > 256) return;
        if (node.ValueKind == JsonValueKind.Object)
        {
            if (node.TryGetProperty("$anchor", out var a) && a.ValueKind == JsonValueKind.String) anchors.TryAdd(a.GetString()!, new(node, pointer));
            foreach (var p in node.EnumerateObject())
                if (p.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Array) Collect(p.Value, JsonPointer.Append(pointer, p.Name), anchors, depth + 1);
        }
        else if (node.ValueKind == JsonValueKind.Array)
        {
            int i = 0;
            foreach (var item in node.EnumerateArray()) Collect(item, pointer + "/" + i++, anchors, depth + 1);
        }
    }

    /// <summary>Whether the subtree holds any reference keyword (so equal text may still mean different things).</summary>
    public static bool ContainsReference(JsonElement node, int depth = 0)
    {
        if (depth > 256) return true;
        if (node.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in node.EnumerateObject())
            {
                if (p.Name is "$ref" or "$dynamicRef") return true;
                if (p.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Array && ContainsReference(p.Value, depth + 1)) return true;
            }
        }
        else if (node.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in node.EnumerateArray())
                if (ContainsReference(item, depth + 1)) return true;
        }
        return false;
    }
}
