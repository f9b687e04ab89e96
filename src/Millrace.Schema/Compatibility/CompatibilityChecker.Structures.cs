using System.Text.Json;
using Millrace.Schema.Internal;

namespace Millrace.Schema.Compatibility;

internal sealed partial class CompatibilityChecker
{
    private void CheckObjects(SchemaView r, SchemaView w, int depth)
    {
        // What the reader applies to names it does not declare: additionalProperties, else unevaluatedProperties
        // (approximated as additionalProperties), else anything (open content model).
        Located? readerExtra = r.TryGet("additionalProperties", out var ra) ? ra
            : r.TryGet("unevaluatedProperties", out var ru) ? ru : null;
        Located? writerExtra = WriterExtra(w);
        var readerPatterns = Patterns(r);
        var writerPatterns = Patterns(w);

        var names = new List<string>(w.Properties.Keys);
        foreach (var name in r.Properties.Keys) if (!w.Properties.ContainsKey(name)) names.Add(name);
        foreach (var name in names)
        {
            Located? written = w.Properties.TryGetValue(name, out var declared) ? declared
                : Match(writerPatterns, name) ?? writerExtra;
            if (written is not { } ws || ws.Value.ValueKind == JsonValueKind.False) continue; // never written
            Located? read = r.Properties.TryGetValue(name, out var rd) ? rd : Match(readerPatterns, name) ?? readerExtra;
            if (read is not { } rs) continue; // open reader
            if (rs.Value.ValueKind == JsonValueKind.False)
                Report(IncompatibilityKind.PropertyNotAllowed, rs.Pointer, ws.Pointer,
                    $"the writer may write property '{name}' but the reader does not allow it ({LastToken(rs.Pointer)}: false)");
            else Covers(rs, ws, depth + 1);
        }
        if (writerExtra is { } extra)
        {
            if (readerExtra is { } re)
            {
                if (re.Value.ValueKind == JsonValueKind.False)
                    Report(IncompatibilityKind.PropertyNotAllowed, re.Pointer, extra.Pointer,
                        $"the writer may write properties it does not declare but the reader does not allow them ({LastToken(re.Pointer)}: false)");
                else Covers(re, extra, depth + 1);
            }
            foreach (var (_, schema) in readerPatterns) Covers(schema, extra, depth + 1);
        }
        foreach (var (pattern, ws) in writerPatterns)
        {
            var same = readerPatterns.FirstOrDefault(p => p.Pattern == pattern);
            if (same.Pattern is not null) Covers(same.Schema, ws, depth + 1);
            else if (readerExtra is { } re)
            {
                if (re.Value.ValueKind == JsonValueKind.False)
                    Report(IncompatibilityKind.PropertyNotAllowed, re.Pointer, ws.Pointer,
                        $"the writer may write properties matching '{pattern}' but the reader does not allow them");
                else Covers(re, ws, depth + 1);
            }
        }
        foreach (var (name, at) in r.Required)
            if (!w.Required.ContainsKey(name))
                Report(IncompatibilityKind.RequiredAdded, at, Located.Append(w.Pointer, "required"),
                    $"the reader requires property '{name}' but the writer may omit it");
        CheckCount(r, w, "minProperties", isMinimum: true, IncompatibilityKind.PropertiesNarrowed, "properties");
        CheckCount(r, w, "maxProperties", isMinimum: false, IncompatibilityKind.PropertiesNarrowed, "properties");
        if (r.TryGet("propertyNames", out var rn))
            Covers(rn, w.TryGet("propertyNames", out var wn) ? wn : new Located(StringSchema, Located.Append(w.Pointer, "propertyNames")), depth + 1);
        CheckDependencies(r, w);
    }

    /// <summary>
    /// The schema of properties the writer writes without declaring them. By default a writer is assumed to write only
    /// what it declares unless additionalProperties is a schema (so adding an optional property stays compatible);
    /// with <see cref="CompatibilityOptions.StrictOpenContentModel"/> an open writer may write anything.
    /// </summary>
    private Located? WriterExtra(SchemaView w)
    {
        if (w.TryGet("additionalProperties", out var a))
        {
            if (a.Value.ValueKind == JsonValueKind.Object) return a;
            if (a.Value.ValueKind == JsonValueKind.False) return null;
            return _options.StrictOpenContentModel ? a : null;
        }
        return _options.StrictOpenContentModel ? new Located(TrueSchema, Located.Append(w.Pointer, "additionalProperties")) : null;
    }

    private static List<(string Pattern, Located Schema)> Patterns(SchemaView v)
    {
        var result = new List<(string, Located)>();
        if (!v.TryGet("patternProperties", out var pp) || pp.Value.ValueKind != JsonValueKind.Object) return result;
        foreach (var p in pp.Value.EnumerateObject()) result.Add((p.Name, new Located(p.Value, Located.Append(pp.Pointer, p.Name))));
        return result;
    }

    private static Located? Match(List<(string Pattern, Located Schema)> patterns, string name)
    {
        foreach (var (pattern, schema) in patterns)
        {
            try
            {
                if (EcmaRegex.IsMatch(EcmaRegex.Get(pattern), name)) return schema;
            }
            catch (ArgumentException)
            {
                // an invalid pattern never matches; the validator refuses such schemas anyway
            }
        }
        return null;
    }

    private static string LastToken(string pointer) => pointer[(pointer.LastIndexOf('/') + 1)..];

    private void CheckDependencies(SchemaView r, SchemaView w)
    {
        if (r.TryGet("dependentRequired", out var rd) && rd.Value.ValueKind == JsonValueKind.Object)
        {
            w.TryGet("dependentRequired", out var wd);
            foreach (var dependency in rd.Value.EnumerateObject())
            {
                if (dependency.Value.ValueKind != JsonValueKind.Array) continue;
                foreach (var needed in dependency.Value.EnumerateArray())
                {
                    string name = needed.GetString() ?? "";
                    bool guaranteed = w.Required.ContainsKey(name)
                        || (wd.Value.ValueKind == JsonValueKind.Object && wd.Value.TryGetProperty(dependency.Name, out var list)
                            && list.ValueKind == JsonValueKind.Array && list.EnumerateArray().Any(x => x.ValueKind == JsonValueKind.String && x.GetString() == name));
                    if (!guaranteed)
                        Report(IncompatibilityKind.DependencyAdded, Located.Append(rd.Pointer, dependency.Name), Located.Append(w.Pointer, "dependentRequired"),
                            $"the reader requires '{name}' whenever '{dependency.Name}' is present but the writer does not guarantee it");
                }
            }
        }
        if (r.TryGet("dependentSchemas", out var rs) && rs.Value.ValueKind == JsonValueKind.Object)
        {
            w.TryGet("dependentSchemas", out var ws);
            foreach (var dependency in rs.Value.EnumerateObject())
            {
                bool same = ws.Value.ValueKind == JsonValueKind.Object && ws.Value.TryGetProperty(dependency.Name, out var other)
                            && JsonValueEquality.Equal(other, dependency.Value) && !SchemaDocument.ContainsReference(other);
                if (!same)
                    Report(IncompatibilityKind.DependencyAdded, Located.Append(rs.Pointer, dependency.Name), Located.Append(w.Pointer, "dependentSchemas"),
                        $"the reader applies a schema whenever '{dependency.Name}' is present and the writer does not carry the same one");
            }
        }
    }

    private void CheckArrays(SchemaView r, SchemaView w, int depth)
    {
        var rPrefix = Items(r, "prefixItems");
        var wPrefix = Items(w, "prefixItems");
        Located? rItems = r.TryGet("items", out var ri) ? ri : r.TryGet("unevaluatedItems", out var rui) ? rui : null;
        Located? wItems = w.TryGet("items", out var wi) ? wi : null;
        long? wMax = Count(w, "maxItems");
        int positions = Math.Max(rPrefix.Count, wPrefix.Count);
        bool ended = false;
        for (int i = 0; i < positions && !ended; i++)
        {
            if (wMax is { } max && i >= max) { ended = true; break; }
            Located written = i < wPrefix.Count ? wPrefix[i] : wItems ?? new Located(TrueSchema, Located.Append(w.Pointer, "items"));
            if (written.Value.ValueKind == JsonValueKind.False) { ended = true; break; }
            Located? read = i < rPrefix.Count ? rPrefix[i] : rItems;
            if (read is not { } rs) continue;
            if (rs.Value.ValueKind == JsonValueKind.False)
                Report(IncompatibilityKind.ItemsNarrowed, rs.Pointer, written.Pointer,
                    $"the writer may write an item at index {i} but the reader allows at most {i} items");
            else Covers(rs, written, depth + 1);
        }
        if (!ended && !(wMax is { } m && m <= positions))
        {
            var tail = wItems ?? new Located(TrueSchema, Located.Append(w.Pointer, "items"));
            if (tail.Value.ValueKind != JsonValueKind.False && rItems is { } rt)
            {
                if (rt.Value.ValueKind == JsonValueKind.False)
                    Report(IncompatibilityKind.ItemsNarrowed, rt.Pointer, tail.Pointer,
                        $"the writer may write more than {positions} items but the reader allows at most {positions}");
                else Covers(rt, tail, depth + 1);
            }
        }
        CheckCount(r, w, "minItems", isMinimum: true, IncompatibilityKind.ItemsNarrowed, "items");
        CheckCount(r, w, "maxItems", isMinimum: false, IncompatibilityKind.ItemsNarrowed, "items");
        if (r.TryGet("uniqueItems", out var ru2) && ru2.Value.ValueKind == JsonValueKind.True
            && !(w.TryGet("uniqueItems", out var wu) && wu.Value.ValueKind == JsonValueKind.True))
            Report(IncompatibilityKind.ItemsNarrowed, ru2.Pointer, Located.Append(w.Pointer, "uniqueItems"),
                "the reader requires unique items but the writer may repeat items");
        if (r.TryGet("contains", out var rc))
        {
            bool same = w.TryGet("contains", out var wc) && JsonValueEquality.Equal(rc.Value, wc.Value) && !SchemaDocument.ContainsReference(rc.Value)
                        && (Count(w, "minContains") ?? 1) >= (Count(r, "minContains") ?? 1)
                        && (Count(r, "maxContains") is not { } rmax || (Count(w, "maxContains") is { } wmax && wmax <= rmax));
            if (!same)
                Report(IncompatibilityKind.ItemsNarrowed, rc.Pointer, Located.Append(w.Pointer, "contains"),
                    "the reader requires items matching 'contains' (with its minContains/maxContains) and the writer does not guarantee the same");
        }
    }

    private static List<Located> Items(SchemaView v, string keyword)
    {
        var result = new List<Located>();
        if (!v.TryGet(keyword, out var list) || list.Value.ValueKind != JsonValueKind.Array) return result;
        int i = 0;
        foreach (var item in list.Value.EnumerateArray()) result.Add(new Located(item, list.Pointer + "/" + i++));
        return result;
    }
}
