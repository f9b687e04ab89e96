using System.Text.Json;

namespace Millrace.Schema.Internal;

/// <summary>
/// Every schema document known to one compilation, indexed by the URIs its subschemas can be reached with:
/// resource URIs (<c>$id</c>), JSON pointer fragments, <c>$anchor</c> and <c>$dynamicAnchor</c> names.
/// Documents are pulled in from the resolver or the embedded metaschemas on first reference.
/// </summary>
internal sealed class SchemaRegistry(JsonSchemaOptions options)
{
    private const string Draft202012 = "https://json-schema.org/draft/2020-12/schema";

    private readonly Dictionary<string, SchemaLocation> _byUri = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SchemaLocation> _byKey = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _dynamicAnchors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dialect> _dialects = new(StringComparer.Ordinal);
    private readonly HashSet<string> _dialectsInProgress = new(StringComparer.Ordinal);
    private readonly List<SchemaDocument> _documents = new();

    /// <summary>Loads a document under <paramref name="uri"/> (no fragment) and indexes it.</summary>
    public SchemaLocation Load(string uri, JsonElement root)
    {
        var doc = new SchemaDocument(_documents.Count, uri, root);
        _documents.Add(doc);
        var dialect = DialectOf(root, Dialect.Default, uri);
        Walk(doc, root, "", uri, "", dialect, [(uri, "")], isResourceRoot: true);
        return _byKey[doc.Id + ":"];
    }

    /// <summary>The location of a subschema by document and pointer (every walked subschema has one).</summary>
    public SchemaLocation? AtPointer(SchemaDocument doc, string pointer) =>
        _byKey.GetValueOrDefault(doc.Id + ":" + pointer);

    /// <summary>Names of the <c>$dynamicAnchor</c>s declared in a resource.</summary>
    public IReadOnlyCollection<string> DynamicAnchorsOf(string resourceUri) =>
        _dynamicAnchors.TryGetValue(resourceUri, out var set) ? set : [];

    /// <summary>True when <paramref name="name"/> is a <c>$dynamicAnchor</c> of the resource.</summary>
    public bool IsDynamicAnchor(string resourceUri, string name) =>
        _dynamicAnchors.TryGetValue(resourceUri, out var set) && set.Contains(name);

    /// <summary>Finds the subschema an absolute URI (with optional fragment) identifies, loading documents as needed.</summary>
    public SchemaLocation? Find(string absoluteUri)
    {
        var (uri, fragment) = UriReference.SplitFragment(absoluteUri);
        fragment = JsonPointer.PercentDecode(fragment ?? "");
        if (!_byUri.ContainsKey(uri + "#") && !TryLoadExternal(uri)) return null;
        if (fragment.Length > 0 && fragment[0] != '/')
            return _byUri.GetValueOrDefault(uri + "#" + fragment);
        var tokens = JsonPointer.Parse(fragment);
        if (tokens is null) return null;
        var escaped = string.Concat(tokens.Select(t => "/" + JsonPointer.Escape(t)));
        if (_byUri.TryGetValue(uri + "#" + escaped, out var hit)) return hit;
        // A pointer into a place no keyword marks as a schema (e.g. inside an unknown keyword): navigate the JSON.
        var resource = _byUri[uri + "#"];
        if (!JsonPointer.TryNavigate(resource.Element, tokens, out var target)) return null;
        var pointer = resource.Pointer + escaped;
        return _byKey.GetValueOrDefault(resource.Document.Id + ":" + pointer)
            ?? new SchemaLocation(resource.Document, pointer, target, uri, resource.Pointer, resource.Dialect);
    }

    private bool TryLoadExternal(string uri)
    {
        JsonElement root;
        if (options.Resolver is not null && options.Resolver.TryResolve(uri, out root)) { }
        else if (!Metaschemas.TryGet(uri, out root)) return false;
        Load(uri, root);
        return _byUri.ContainsKey(uri + "#");
    }

    private void Walk(SchemaDocument doc, JsonElement element, string pointer, string baseUri, string resourcePointer,
        Dialect dialect, List<(string Uri, string Pointer)> resources, bool isResourceRoot)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            if (element.TryGetProperty("$id", out var id) && id.ValueKind == JsonValueKind.String)
            {
                var idText = id.GetString()!;
                var (_, idFragment) = UriReference.SplitFragment(idText);
                if (!string.IsNullOrEmpty(idFragment))
                    throw new JsonSchemaException("$id", baseUri + "#" + pointer[resourcePointer.Length..],
                        $"'{idText}' has a non-empty fragment; use $anchor to name a subschema");
                var newBase = UriReference.Resolve(baseUri, idText).TrimEnd('#');
                if (!isResourceRoot || newBase != baseUri)
                {
                    dialect = DialectOf(element, dialect, newBase);
                    resources = [.. resources, (newBase, pointer)];
                }
                baseUri = newBase;
                resourcePointer = pointer;
            }
            var location = new SchemaLocation(doc, pointer, element, baseUri, resourcePointer, dialect);
            Register(location, resources);
            if (element.TryGetProperty("$anchor", out var anchor) && anchor.ValueKind == JsonValueKind.String)
                _byUri.TryAdd(baseUri + "#" + anchor.GetString(), location);
            if (element.TryGetProperty("$dynamicAnchor", out var dyn) && dyn.ValueKind == JsonValueKind.String)
            {
                _byUri.TryAdd(baseUri + "#" + dyn.GetString(), location);
                if (!_dynamicAnchors.TryGetValue(baseUri, out var names))
                    _dynamicAnchors[baseUri] = names = new HashSet<string>(StringComparer.Ordinal);
                names.Add(dyn.GetString()!);
            }
            foreach (var name in SubschemaKeywords.Single)
                if (element.TryGetProperty(name, out var sub))
                    Walk(doc, sub, pointer + "/" + name, baseUri, resourcePointer, dialect, resources, false);
            foreach (var name in SubschemaKeywords.Map)
                if (element.TryGetProperty(name, out var map) && map.ValueKind == JsonValueKind.Object)
                    foreach (var p in map.EnumerateObject())
                        Walk(doc, p.Value, pointer + "/" + name + "/" + JsonPointer.Escape(p.Name), baseUri,
                            resourcePointer, dialect, resources, false);
            foreach (var name in SubschemaKeywords.List)
                if (element.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array)
                {
                    int i = 0;
                    foreach (var item in list.EnumerateArray())
                        Walk(doc, item, pointer + "/" + name + "/" + i++, baseUri, resourcePointer, dialect, resources, false);
                }
        }
        else
        {
            Register(new SchemaLocation(doc, pointer, element, baseUri, resourcePointer, dialect), resources);
        }
    }

    private void Register(SchemaLocation location, List<(string Uri, string Pointer)> resources)
    {
        _byKey.TryAdd(location.Key, location);
        // A subschema is reachable by pointer from every enclosing resource, not only the nearest one.
        foreach (var (uri, rootPointer) in resources)
            _byUri.TryAdd(uri + "#" + location.Pointer[rootPointer.Length..], location);
    }

    /// <summary>The dialect a resource declares with <c>$schema</c>, or <paramref name="inherited"/>.</summary>
    private Dialect DialectOf(JsonElement resource, Dialect inherited, string resourceUri)
    {
        if (resource.ValueKind != JsonValueKind.Object
            || !resource.TryGetProperty("$schema", out var schema) || schema.ValueKind != JsonValueKind.String)
            return inherited;
        var metaUri = schema.GetString()!.TrimEnd('#');
        if (metaUri == Draft202012 || metaUri == resourceUri) return Dialect.Default;
        if (_dialects.TryGetValue(metaUri, out var known)) return known;
        if (IsOlderDraft(metaUri)) return Dialect.Default; // best effort: evaluated with 2020-12 keywords
        if (!_dialectsInProgress.Add(metaUri)) return Dialect.Default;
        var meta = Find(metaUri) ?? throw new JsonSchemaException("$schema", resourceUri,
            $"metaschema '{metaUri}' is not known; register it with the resolver");
        var dialect = Dialect.Default;
        if (meta.Element.ValueKind == JsonValueKind.Object
            && meta.Element.TryGetProperty("$vocabulary", out var vocabulary) && vocabulary.ValueKind == JsonValueKind.Object)
        {
            var active = new HashSet<string>(StringComparer.Ordinal);
            foreach (var v in vocabulary.EnumerateObject())
            {
                if (!Dialect.Known.Contains(v.Name))
                {
                    if (v.Value.ValueKind == JsonValueKind.True)
                        throw new JsonSchemaException("$schema", resourceUri,
                            $"metaschema '{metaUri}' requires vocabulary '{v.Name}', which this validator does not implement");
                    continue;
                }
                active.Add(v.Name);
            }
            dialect = new Dialect(
                active.Contains(Dialect.Applicator), active.Contains(Dialect.Unevaluated),
                active.Contains(Dialect.Validation), active.Contains(Dialect.FormatAssertion));
        }
        _dialects[metaUri] = dialect;
        _dialectsInProgress.Remove(metaUri);
        return dialect;
    }

    private static bool IsOlderDraft(string uri) =>
        uri.StartsWith("http://json-schema.org/draft-0", StringComparison.Ordinal)
        || uri.StartsWith("https://json-schema.org/draft/2019-09/", StringComparison.Ordinal);
}
