using System.Text.Json;
using Millrace.Schema.Internal;

namespace Millrace.Schema.Compatibility;

/// <summary>
/// Decides, keyword by keyword, whether every instance a writer schema allows is allowed by a reader schema, and
/// lists every place where it may not be. Sound in one direction: when nothing is reported the reader accepts all the
/// writer's data (up to the assumptions documented in docs/governance.md); where a rule cannot decide, it reports
/// <see cref="IncompatibilityKind.Undecidable"/> rather than guess.
/// </summary>
internal sealed partial class CompatibilityChecker
{
    private const int MaxDepth = 64;
    private const int MaxAlternatives = 64;
    private static readonly JsonElement TrueSchema = JsonDocument.Parse("true").RootElement.Clone();
    private static readonly JsonElement StringSchema = JsonDocument.Parse("{\"type\":\"string\"}").RootElement.Clone();

    private readonly SchemaDocument _reader;
    private readonly SchemaDocument _writer;
    private readonly CompatibilityOptions _options;
    private readonly ValueProbe _readerProbe;
    private readonly ValueProbe _writerProbe;
    private readonly HashSet<(string, string)> _active = [];
    private readonly bool _sameDocuments;
    private List<SchemaIncompatibility> _issues = [];

    public CompatibilityChecker(JsonElement reader, JsonElement writer, CompatibilityOptions options)
    {
        _reader = new SchemaDocument(reader);
        _writer = new SchemaDocument(writer);
        _options = options;
        _readerProbe = new ValueProbe(_reader);
        _writerProbe = new ValueProbe(_writer);
        _sameDocuments = JsonValueEquality.Equal(reader, writer);
    }

    public List<SchemaIncompatibility> Run()
    {
        Covers(_reader.RootLocated, _writer.RootLocated, 0);
        return _issues.Distinct().ToList();
    }

    private void Report(IncompatibilityKind kind, string readerPointer, string writerPointer, string reason) =>
        _issues.Add(new SchemaIncompatibility(kind, readerPointer, writerPointer, reason));

    /// <summary>Everything <paramref name="w"/> allows must be allowed by <paramref name="r"/>.</summary>
    private void Covers(Located r, Located w, int depth)
    {
        if (depth > MaxDepth)
        {
            Report(IncompatibilityKind.Undecidable, r.Pointer, w.Pointer, $"schemas nest deeper than {MaxDepth} levels here; not compared");
            return;
        }
        if (r.Value.ValueKind == JsonValueKind.True || IsEmptyObject(r.Value)) return;
        if (w.Value.ValueKind == JsonValueKind.False) return;
        if ((_sameDocuments && r.Pointer == w.Pointer)
            || (JsonValueEquality.Equal(r.Value, w.Value) && !SchemaDocument.ContainsReference(r.Value))) return;
        if (!_active.Add((r.Pointer, w.Pointer))) return; // a recursive schema met again: assume what is being proven
        try
        {
            bool tooMany = false;
            var alternatives = Expand(w, 0, ref tooMany);
            if (tooMany)
                Report(IncompatibilityKind.Undecidable, r.Pointer, w.Pointer,
                    $"the writer has more than {MaxAlternatives} anyOf/oneOf alternatives here; only the first {MaxAlternatives} were compared");
            foreach (var alternative in alternatives) CoversAlternative(r, alternative, w, depth);
        }
        finally
        {
            _active.Remove((r.Pointer, w.Pointer));
        }
    }

    private void CoversAlternative(Located r, SchemaView w, Located wNode, int depth)
    {
        if (w.IsFalse) return;
        if (w.TryGet("const", out var constant)) { CheckValues(r, [(constant.Value, constant.Pointer)], wNode); return; }
        if (w.TryGet("enum", out var enumeration) && enumeration.Value.ValueKind == JsonValueKind.Array)
        {
            var values = new List<(JsonElement, string)>();
            int i = 0;
            foreach (var v in enumeration.Value.EnumerateArray()) values.Add((v, enumeration.Pointer + "/" + i++));
            CheckValues(r, values, wNode);
            return;
        }
        var conjuncts = new List<Located>();
        Conjuncts(r, conjuncts, 0);
        foreach (var c in conjuncts) CoversOne(c, w, wNode, depth);
    }

    /// <summary>The writer's alternatives: own keywords merged with $ref targets and allOf parts, one per anyOf/oneOf branch.</summary>
    private List<SchemaView> Expand(Located node, int depth, ref bool tooMany)
    {
        var own = new SchemaView(node.Pointer);
        own.AddOwn(node);
        List<SchemaView> alternatives = [own];
        if (node.Value.ValueKind != JsonValueKind.Object || depth > MaxDepth) return alternatives;
        // A remote or dynamic reference is left out: dropping a writer constraint only makes the check stricter.
        if (node.Value.TryGetProperty("$ref", out var reference) && reference.ValueKind == JsonValueKind.String
            && _writer.TryResolve(reference.GetString()!, out var target))
            alternatives = Cross(alternatives, Expand(target, depth + 1, ref tooMany), ref tooMany);
        foreach (var branch in Branches(node, "allOf"))
            alternatives = Cross(alternatives, Expand(branch, depth + 1, ref tooMany), ref tooMany);
        foreach (var keyword in (ReadOnlySpan<string>)["anyOf", "oneOf"])
        {
            var union = new List<SchemaView>();
            bool any = false;
            foreach (var branch in Branches(node, keyword))
            {
                any = true;
                union.AddRange(Expand(branch, depth + 1, ref tooMany));
            }
            if (any) alternatives = Cross(alternatives, union, ref tooMany);
        }
        alternatives.RemoveAll(a => a.IsFalse);
        return alternatives;
    }

    private static List<SchemaView> Cross(List<SchemaView> left, List<SchemaView> right, ref bool tooMany)
    {
        var result = new List<SchemaView>(Math.Min(MaxAlternatives, left.Count * right.Count));
        foreach (var a in left)
            foreach (var b in right)
            {
                if (result.Count == MaxAlternatives) { tooMany = true; return result; }
                result.Add(a.Merge(b));
            }
        return result;
    }

    /// <summary>The reader's conjunction: the object itself, its local $ref target and its allOf parts, each checked whole.</summary>
    private void Conjuncts(Located node, List<Located> into, int depth)
    {
        into.Add(node);
        if (node.Value.ValueKind != JsonValueKind.Object || depth > MaxDepth) return;
        if (node.Value.TryGetProperty("$ref", out var reference) && reference.ValueKind == JsonValueKind.String
            && _reader.TryResolve(reference.GetString()!, out var target))
            Conjuncts(target, into, depth + 1);
        foreach (var branch in Branches(node, "allOf")) Conjuncts(branch, into, depth + 1);
    }

    private static IEnumerable<Located> Branches(Located node, string keyword)
    {
        if (node.Value.ValueKind != JsonValueKind.Object || !node.Value.TryGetProperty(keyword, out var list)
            || list.ValueKind != JsonValueKind.Array) yield break;
        string at = node.At(keyword);
        int i = 0;
        foreach (var item in list.EnumerateArray()) yield return new Located(item, at + "/" + i++);
    }

    private static bool IsEmptyObject(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Object) return false;
        foreach (var p in e.EnumerateObject())
            if (!IsAnnotation(p.Name)) return false;
        return true;
    }

    private static bool IsAnnotation(string keyword) => keyword is "title" or "description" or "default" or "examples"
        or "$comment" or "deprecated" or "readOnly" or "writeOnly" or "$schema" or "$id" or "$anchor" or "$defs"
        or "definitions" or "$vocabulary" or "contentEncoding" or "contentMediaType" or "contentSchema" or "$dynamicAnchor";

    /// <summary>The writer can only write these values: ask the validator about each one (exact).</summary>
    private void CheckValues(Located r, List<(JsonElement Value, string Pointer)> values, Located wNode)
    {
        var conjuncts = new List<Located>();
        Conjuncts(r, conjuncts, 0);
        string readerAt = r.Pointer;
        foreach (var c in conjuncts)
        {
            if (c.Value.ValueKind != JsonValueKind.Object) continue;
            if (c.Value.TryGetProperty("enum", out _)) { readerAt = c.At("enum"); break; }
            if (c.Value.TryGetProperty("const", out _)) { readerAt = c.At("const"); break; }
        }
        foreach (var (value, pointer) in values)
        {
            var written = _writerProbe.Evaluate(wNode.Pointer, value);
            if (written is { Accepted: false }) continue; // the writer's own other keywords exclude it
            var read = _readerProbe.Evaluate(r.Pointer, value);
            if (read is null)
                Report(IncompatibilityKind.Undecidable, readerAt, pointer,
                    $"cannot evaluate the reader here to check the writer's value {Compact(value)}");
            else if (!read.Value.Accepted)
                Report(IncompatibilityKind.EnumValueNotAccepted, readerAt, pointer,
                    $"the writer may produce {Compact(value)} but the reader does not accept it" + (read.Value.Why is { } why ? $" ({why})" : ""));
        }
    }

    private static string Compact(JsonElement value)
    {
        var text = value.GetRawText();
        return text.Length <= 60 ? text : text[..57] + "...";
    }

    /// <summary>One reader schema object against one writer alternative.</summary>
    private void CoversOne(Located rObj, SchemaView w, Located wNode, int depth)
    {
        if (rObj.Value.ValueKind == JsonValueKind.True) return;
        if (rObj.Value.ValueKind == JsonValueKind.False)
        {
            Report(IncompatibilityKind.ReaderRejectsAll, rObj.Pointer, w.Pointer, "the reader accepts nothing here (false) but the writer may write a value");
            return;
        }
        var r = new SchemaView(rObj.Pointer);
        r.AddOwn(rObj);
        foreach (var keyword in (ReadOnlySpan<string>)["$ref", "$dynamicRef"])
        {
            if (!r.TryGet(keyword, out var reference)) continue;
            bool resolved = keyword == "$ref" && reference.Value.ValueKind == JsonValueKind.String && _reader.TryResolve(reference.Value.GetString()!, out _);
            if (!resolved && !(w.TryGet(keyword, out var same) && JsonValueEquality.Equal(same.Value, reference.Value)))
                Report(IncompatibilityKind.Undecidable, reference.Pointer, wNode.Pointer,
                    $"the reader refers to {reference.Value.GetRawText()}, which cannot be resolved inside the schema, and the writer does not carry the same reference");
        }

        var missing = w.Types & ~r.Types;
        if (missing != JsonTypes.None)
            Report(IncompatibilityKind.TypeNarrowed, r.TypePointer ?? rObj.At("type"), w.TypePointer ?? Located.Append(w.Pointer, "type"),
                $"the writer may produce {JsonTypeNames.Describe(missing)} but the reader accepts only {JsonTypeNames.Describe(r.Types)}");
        var types = w.Types & r.Types;
        if (types == JsonTypes.None) return;

        foreach (var keyword in (ReadOnlySpan<string>)["const", "enum"])
        {
            if (!r.TryGet(keyword, out var listed)) continue;
            Report(IncompatibilityKind.EnumAdded, listed.Pointer, w.Pointer,
                $"the reader accepts only the values listed in '{keyword}' but the writer may produce any {JsonTypeNames.Describe(types)}");
            return;
        }
        if ((types & JsonTypes.Number) != 0) CheckNumbers(r, w, types);
        if ((types & JsonTypes.String) != 0) CheckStrings(r, w);
        if ((types & JsonTypes.Object) != 0) CheckObjects(r, w, depth);
        if ((types & JsonTypes.Array) != 0) CheckArrays(r, w, depth);
        CheckApplicators(r, w, wNode, depth);
    }
}
