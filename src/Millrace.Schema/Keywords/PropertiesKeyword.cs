using System.Buffers;
using System.Text.Json;
using System.Text.RegularExpressions;
using Millrace.Schema.Internal;

namespace Millrace.Schema.Keywords;

/// <summary>
/// properties, patternProperties and additionalProperties of one schema object, evaluated in a single pass over
/// the instance members (additionalProperties depends on what the other two matched).
/// </summary>
internal sealed class PropertiesKeyword(
    string schemaLocation,
    Utf8NameTable names,
    SchemaNode[] schemas,
    (string Pattern, Regex Regex, SchemaNode Schema)[] patterns,
    SchemaNode? additional)
    : ApplicatorKeyword(names.Count > 0 ? "properties" : patterns.Length > 0 ? "patternProperties" : "additionalProperties",
        schemaLocation + "/" + (names.Count > 0 ? "properties" : patterns.Length > 0 ? "patternProperties" : "additionalProperties"))
{
    private readonly string[] _segments = Enumerable.Range(0, names.Count)
        .Select(i => "properties/" + JsonPointer.Escape(names[i])).ToArray();
    private readonly string[] _patternSegments = patterns
        .Select(p => "patternProperties/" + JsonPointer.Escape(p.Pattern)).ToArray();

    /// <summary>The property names this keyword matches by name.</summary>
    internal Utf8NameTable Names => names;

    /// <summary>
    /// Bits (by index in <see cref="Names"/>) of the sibling <c>required</c> names, or 0. When set, the fast path
    /// checks presence during its own pass over the members, so <c>required</c> needs no second pass.
    /// </summary>
    internal ulong RequiredMask { get; set; }

    public override bool Evaluate(JsonElement instance, EvaluationContext ctx, EvaluatedSet? evaluated)
    {
        if (instance.ValueKind != JsonValueKind.Object) return true;
        bool valid = true;
        int index = -1;
        ulong seen = 0;
        int predicted = 0; // producers usually write members in schema order: try the next name first
        foreach (var property in instance.EnumerateObject())
        {
            index++;
            bool matched = false;
            int i = names.Count > 0 ? names.IndexOf(property, predicted) : -1;
            if (i >= 0)
            {
                matched = true;
                predicted = i + 1;
                if (i < 64) seen |= 1UL << i;
                if (!Child(schemas[i], property, ctx, _segments[i])) { valid = false; if (!ctx.Collecting) return false; }
            }
            if (patterns.Length > 0 && !MatchPatterns(property, ctx, ref matched)) { valid = false; if (!ctx.Collecting) return false; }
            if (!matched && additional is not null)
            {
                matched = true;
                if (additional.BooleanValue == false)
                {
                    valid = false;
                    if (!ctx.Collecting) return false;
                    ctx.PushInstance(property);
                    if (ctx.Collecting) ctx.FailAt("additionalProperties", schemaLocation + "/additionalProperties",
                        $"Property '{property.Name}' is not allowed by additionalProperties.");
                    ctx.PopInstance();
                }
                else if (!Child(additional, property, ctx, "additionalProperties"))
                {
                    valid = false;
                    if (!ctx.Collecting) return false;
                }
            }
            if (matched) evaluated?.Mark(index);
        }
        // In the full path the required keyword reports its own errors; here only the verdict matters.
        if (RequiredMask != 0 && !ctx.Collecting && (seen & RequiredMask) != RequiredMask) return false;
        return valid;
    }

    private bool MatchPatterns(JsonProperty property, EvaluationContext ctx, ref bool matched)
    {
        char[]? rented = null;
        var raw = System.Runtime.InteropServices.JsonMarshal.GetRawUtf8PropertyName(property);
        scoped ReadOnlySpan<char> name;
        if (raw.IndexOf((byte)'\\') >= 0) name = property.Name;
        else if (raw.Length <= 128)
        {
            Span<char> buffer = stackalloc char[128];
            name = buffer[..System.Text.Encoding.UTF8.GetChars(raw, buffer)];
        }
        else
        {
            rented = ArrayPool<char>.Shared.Rent(raw.Length);
            name = rented.AsSpan(0, System.Text.Encoding.UTF8.GetChars(raw, rented));
        }
        bool valid = true;
        try
        {
            for (int p = 0; p < patterns.Length; p++)
            {
                if (!EcmaRegex.IsMatch(patterns[p].Regex, name)) continue;
                matched = true;
                if (!Child(patterns[p].Schema, property, ctx, _patternSegments[p]))
                {
                    valid = false;
                    if (!ctx.Collecting) return false;
                }
            }
        }
        finally { if (rented is not null) ArrayPool<char>.Shared.Return(rented); }
        return valid;
    }

    private static bool Child(SchemaNode node, JsonProperty property, EvaluationContext ctx, string segment)
    {
        if (node.BooleanValue == true) return true;
        ctx.PushInstance(property);
        bool ok = Apply(node, property.Value, ctx, segment, null);
        ctx.PopInstance();
        return ok;
    }
}
