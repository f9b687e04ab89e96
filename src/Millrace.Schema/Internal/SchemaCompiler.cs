using System.Text.Json;
using Millrace.Schema.Keywords;

namespace Millrace.Schema.Internal;

/// <summary>
/// Turns indexed schema documents into a graph of <see cref="SchemaNode"/>s. Nodes are cached by document position,
/// so recursive references become cycles in the graph instead of infinite compilation.
/// </summary>
internal sealed class SchemaCompiler(SchemaRegistry registry, JsonSchemaOptions options)
{
    private readonly Dictionary<string, SchemaNode> _nodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SchemaResource> _resources = new(StringComparer.Ordinal);

    public JsonSchemaOptions Options => options;

    /// <summary>True once a <c>$dynamicRef</c> that really is dynamic was compiled: only then is the scope tracked.</summary>
    public bool UsesDynamicScope { get; set; }

    public SchemaRegistry Registry => registry;

    /// <summary>Compiles the root and everything reachable from it, including all dynamic anchor targets.</summary>
    public SchemaNode CompileRoot(SchemaLocation root)
    {
        var node = Compile(root);
        var done = new HashSet<SchemaResource>();
        while (true)
        {
            var pending = _resources.Values.Where(r => !done.Contains(r)).ToList();
            if (pending.Count == 0) break;
            foreach (var resource in pending)
            {
                done.Add(resource);
                foreach (var name in registry.DynamicAnchorsOf(resource.BaseUri))
                {
                    var location = registry.Find(resource.BaseUri + "#" + name);
                    if (location is not null) resource.DynamicAnchors[name] = Compile(location);
                }
            }
        }
        return node;
    }

    public SchemaNode Compile(SchemaLocation location)
    {
        if (_nodes.TryGetValue(location.Key, out var existing)) return existing;
        if (!_resources.TryGetValue(location.BaseUri, out var resource))
            _resources[location.BaseUri] = resource = new SchemaResource(location.BaseUri, location.Dialect);
        var node = new SchemaNode(resource, location.AbsoluteUri);
        _nodes[location.Key] = node;
        var element = location.Element;
        switch (element.ValueKind)
        {
            case JsonValueKind.True:
                node.BooleanValue = true;
                break;
            case JsonValueKind.False:
                node.BooleanValue = false;
                break;
            case JsonValueKind.Object:
                var keywords = new List<Keyword>();
                KeywordFactory.Build(this, location, keywords);
                node.Keywords = keywords.OrderBy(k => k.Phase).ToArray();
                node.FastKeywords = FastPathPlanner.Plan(node.Keywords);
                node.TracksEvaluated = keywords.Any(k => k.Phase > 0);
                break;
            default:
                throw new JsonSchemaException(null, location.AbsoluteUri,
                    $"a schema must be an object or a boolean, not {element.ValueKind.ToString().ToLowerInvariant()}");
        }
        return node;
    }

    /// <summary>Compiles the subschema at <paramref name="relativePointer"/> (escaped) below <paramref name="parent"/>.</summary>
    public SchemaNode Child(SchemaLocation parent, string relativePointer)
    {
        var pointer = parent.Pointer + relativePointer;
        var location = registry.AtPointer(parent.Document, pointer);
        if (location is null)
        {
            // Below a subschema reached by a raw JSON pointer (not indexed): derive the location by hand.
            var tokens = JsonPointer.Parse(relativePointer)!;
            if (!JsonPointer.TryNavigate(parent.Element, tokens, out var element))
                throw new JsonSchemaException(null, parent.AbsoluteUri, $"no subschema at '{relativePointer}'");
            string baseUri = parent.BaseUri, resourcePointer = parent.ResourcePointer;
            if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty("$id", out var id)
                && id.ValueKind == JsonValueKind.String)
            {
                baseUri = UriReference.Resolve(baseUri, id.GetString()!).TrimEnd('#');
                resourcePointer = pointer;
            }
            location = new SchemaLocation(parent.Document, pointer, element, baseUri, resourcePointer, parent.Dialect);
        }
        return Compile(location);
    }

    /// <summary>Compiles the target of a reference written in <paramref name="from"/>.</summary>
    public SchemaNode Reference(SchemaLocation from, string keyword, string reference, out string absoluteTarget)
    {
        absoluteTarget = UriReference.Resolve(from.BaseUri, reference);
        var target = registry.Find(absoluteTarget) ?? throw new JsonSchemaException(keyword, from.AbsoluteUri,
            $"cannot resolve '{reference}' (as '{absoluteTarget}'); external documents must come from the resolver");
        return Compile(target);
    }
}
