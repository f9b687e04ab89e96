using System.Text.Json;
using Millrace.Schema.Internal;

namespace Millrace.Schema.Compatibility;

internal sealed partial class CompatibilityChecker
{
    private void CheckApplicators(SchemaView r, SchemaView w, Located wNode, int depth)
    {
        foreach (var keyword in (ReadOnlySpan<string>)["anyOf", "oneOf"])
        {
            if (!r.TryGet(keyword, out var list) || list.Value.ValueKind != JsonValueKind.Array) continue;
            if (w.TryGet(keyword, out var same) && JsonValueEquality.Equal(same.Value, list.Value) && !SchemaDocument.ContainsReference(list.Value))
                continue; // the writer alternative is one of these very branches
            var branches = new List<Located>();
            int i = 0;
            foreach (var b in list.Value.EnumerateArray()) branches.Add(new Located(b, list.Pointer + "/" + i++));
            CheckBranches(keyword, list, branches, w, wNode, depth);
            if (keyword == "oneOf") CheckOneOfExclusive(list, branches, w);
        }
        if (r.TryGet("not", out var not)
            && !(w.TryGet("not", out var wNot) && JsonValueEquality.Equal(wNot.Value, not.Value) && !SchemaDocument.ContainsReference(not.Value)))
            Report(IncompatibilityKind.Undecidable, not.Pointer, Located.Append(w.Pointer, "not"),
                "the reader has a 'not' the writer does not carry unchanged; whether the writer avoids it cannot be decided, so it is refused");
        if (r.TryGet("if", out var condition))
        {
            bool same = true;
            foreach (var keyword in (ReadOnlySpan<string>)["if", "then", "else"])
            {
                bool rHas = r.TryGet(keyword, out var rk), wHas = w.TryGet(keyword, out var wk);
                same &= rHas == wHas && (!rHas || (JsonValueEquality.Equal(rk.Value, wk.Value) && !SchemaDocument.ContainsReference(rk.Value)));
            }
            if (!same)
                Report(IncompatibilityKind.Undecidable, condition.Pointer, Located.Append(w.Pointer, "if"),
                    "the reader has an if/then/else the writer does not carry unchanged; conditional schemas are not compared, so it is refused");
        }
    }

    /// <summary>The writer alternative must be accepted whole by at least one reader branch.</summary>
    private void CheckBranches(string keyword, Located list, List<Located> branches, SchemaView w, Located wNode, int depth)
    {
        List<SchemaIncompatibility>? closest = null;
        int closestIndex = -1;
        var saved = _issues;
        try
        {
            for (int i = 0; i < branches.Count; i++)
            {
                _issues = [];
                CoversAlternative(branches[i], w, wNode, depth + 1);
                if (_issues.Count == 0) return;
                if (closest is null || _issues.Count < closest.Count) { closest = _issues; closestIndex = i; }
            }
        }
        finally
        {
            _issues = saved;
        }
        string why = closest is null ? "it has no branches" : $"closest is branch {closestIndex}: " + string.Join("; ", closest.Take(3).Select(c => c.Reason))
                                                         + (closest.Count > 3 ? $"; and {closest.Count - 3} more" : "");
        Report(IncompatibilityKind.BranchNotCovered, list.Pointer, w.Pointer,
            $"no branch of the reader's {keyword} accepts everything the writer may produce here ({why})");
    }

    /// <summary>
    /// A reader's oneOf rejects a value matching two branches. Overlap is undecidable in general; branches the writer
    /// already had are trusted, and a new branch passes only when its declared types are disjoint from every other.
    /// </summary>
    private void CheckOneOfExclusive(Located list, List<Located> branches, SchemaView w)
    {
        var writerBranches = new List<JsonElement>();
        if (w.TryGet("oneOf", out var wl) && wl.Value.ValueKind == JsonValueKind.Array) writerBranches.AddRange(wl.Value.EnumerateArray());
        if (writerBranches.Count == 0) return; // a writer without oneOf: each alternative was matched to a branch above
        for (int i = 0; i < branches.Count; i++)
        {
            if (writerBranches.Any(b => JsonValueEquality.Equal(b, branches[i].Value))) continue;
            var mine = DeclaredTypes(branches[i].Value);
            for (int j = 0; j < branches.Count; j++)
            {
                if (j == i || (mine & DeclaredTypes(branches[j].Value)) == JsonTypes.None) continue;
                Report(IncompatibilityKind.OneOfOverlap, branches[i].Pointer, wl.Pointer,
                    $"the reader's oneOf gained branch {i}, which may match the same values as branch {j}; a value matching both would be rejected");
                break;
            }
        }
    }

    private static JsonTypes DeclaredTypes(JsonElement schema)
    {
        if (schema.ValueKind != JsonValueKind.Object) return schema.ValueKind == JsonValueKind.False ? JsonTypes.None : JsonTypes.All;
        if (schema.TryGetProperty("const", out var c)) return JsonTypeNames.OfValue(c) | (JsonTypeNames.OfValue(c) == JsonTypes.Integer ? JsonTypes.Fraction : 0);
        var types = schema.TryGetProperty("type", out var t) ? JsonTypeNames.Parse(t) : JsonTypes.All;
        // numbers overlap whether declared integer or number
        if ((types & JsonTypes.Number) != 0) types |= JsonTypes.Number;
        return types;
    }
}
