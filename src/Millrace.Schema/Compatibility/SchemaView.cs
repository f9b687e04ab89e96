using System.Text.Json;

namespace Millrace.Schema.Compatibility;

/// <summary>
/// The assertions of a schema gathered for comparison. A writer view merges a schema with its <c>$ref</c> target and
/// <c>allOf</c> branches (a conjunction; where two parts constrain the same keyword one is kept, which can only make
/// the writer look more permissive, never less — so the check stays conservative), and one view exists per
/// <c>anyOf</c>/<c>oneOf</c> alternative. A reader view is one schema object as written: the reader's conjunctions
/// are checked part by part, which is exact.
/// </summary>
internal sealed class SchemaView
{
    public SchemaView(string pointer, bool isFalse = false)
    {
        Pointer = pointer;
        IsFalse = isFalse;
    }

    /// <summary>Pointer of the (first) schema object the view comes from.</summary>
    public string Pointer { get; }

    /// <summary>The schema admits nothing.</summary>
    public bool IsFalse { get; private set; }

    /// <summary>Keywords other than properties/required, each with the pointer of its value.</summary>
    public Dictionary<string, Located> Keywords { get; } = new(StringComparer.Ordinal);

    /// <summary>Declared properties (merged by name, first wins).</summary>
    public Dictionary<string, Located> Properties { get; } = new(StringComparer.Ordinal);

    /// <summary>Required property names with the pointer of the <c>required</c> array naming them.</summary>
    public Dictionary<string, string> Required { get; } = new(StringComparer.Ordinal);

    /// <summary>The types admitted (intersection over merged parts).</summary>
    public JsonTypes Types { get; private set; } = JsonTypes.All;

    /// <summary>Pointer of the <c>type</c> keyword that set <see cref="Types"/>, if any.</summary>
    public string? TypePointer { get; private set; }

    public bool TryGet(string keyword, out Located value) => Keywords.TryGetValue(keyword, out value);

    /// <summary>Adds the own keywords of one schema object (not following references or applicators).</summary>
    public void AddOwn(Located node)
    {
        if (node.Value.ValueKind == JsonValueKind.False)
        {
            IsFalse = true;
            return;
        }
        if (node.Value.ValueKind != JsonValueKind.Object) return;
        foreach (var p in node.Value.EnumerateObject())
        {
            string at = Located.Append(node.Pointer, p.Name);
            switch (p.Name)
            {
                case "type":
                    Types &= JsonTypeNames.Parse(p.Value);
                    TypePointer ??= at;
                    break;
                case "properties" when p.Value.ValueKind == JsonValueKind.Object:
                    foreach (var prop in p.Value.EnumerateObject())
                        Properties.TryAdd(prop.Name, new Located(prop.Value, Located.Append(at, prop.Name)));
                    break;
                case "required" when p.Value.ValueKind == JsonValueKind.Array:
                    foreach (var name in p.Value.EnumerateArray())
                        if (name.ValueKind == JsonValueKind.String) Required.TryAdd(name.GetString()!, at);
                    break;
                default:
                    Keywords.TryAdd(p.Name, new Located(p.Value, at));
                    break;
            }
        }
    }

    /// <summary>A new view holding the keywords of both (this one first).</summary>
    public SchemaView Merge(SchemaView other)
    {
        var merged = new SchemaView(Pointer, IsFalse || other.IsFalse)
        {
            Types = Types & other.Types,
            TypePointer = TypePointer ?? other.TypePointer,
        };
        foreach (var source in (ReadOnlySpan<SchemaView>)[this, other])
        {
            foreach (var (k, v) in source.Keywords) merged.Keywords.TryAdd(k, v);
            foreach (var (k, v) in source.Properties) merged.Properties.TryAdd(k, v);
            foreach (var (k, v) in source.Required) merged.Required.TryAdd(k, v);
        }
        return merged;
    }
}
