using System.Globalization;
using System.Text.Json;

namespace Millrace.Schema.Compatibility;

internal sealed partial class CompatibilityChecker
{
    private readonly record struct Bound(decimal Value, bool Exclusive, string Pointer, string Keyword);

    private void CheckNumbers(SchemaView r, SchemaView w, JsonTypes types)
    {
        var rLow = Lower(r);
        var wLow = Lower(w);
        if (rLow is { } rl)
        {
            if (wLow is not { } wl)
                Report(IncompatibilityKind.RangeNarrowed, rl.Pointer, Located.Append(w.Pointer, rl.Keyword),
                    $"the reader requires {(rl.Exclusive ? ">" : ">=")} {rl.Value} ({rl.Keyword}) but the writer has no lower bound");
            else if (!(wl.Value > rl.Value || (wl.Value == rl.Value && (!rl.Exclusive || wl.Exclusive))))
                Report(IncompatibilityKind.RangeNarrowed, rl.Pointer, wl.Pointer,
                    $"the reader's lower bound {(rl.Exclusive ? ">" : ">=")} {rl.Value} is tighter than the writer's {(wl.Exclusive ? ">" : ">=")} {wl.Value}");
        }
        var rHigh = Upper(r);
        var wHigh = Upper(w);
        if (rHigh is { } rh)
        {
            if (wHigh is not { } wh)
                Report(IncompatibilityKind.RangeNarrowed, rh.Pointer, Located.Append(w.Pointer, rh.Keyword),
                    $"the reader requires {(rh.Exclusive ? "<" : "<=")} {rh.Value} ({rh.Keyword}) but the writer has no upper bound");
            else if (!(wh.Value < rh.Value || (wh.Value == rh.Value && (!rh.Exclusive || wh.Exclusive))))
                Report(IncompatibilityKind.RangeNarrowed, rh.Pointer, wh.Pointer,
                    $"the reader's upper bound {(rh.Exclusive ? "<" : "<=")} {rh.Value} is tighter than the writer's {(wh.Exclusive ? "<" : "<=")} {wh.Value}");
        }
        if (r.TryGet("multipleOf", out var rm) && Decimal(rm.Value) is { } rStep && rStep > 0)
        {
            bool ok = w.TryGet("multipleOf", out var wm) && Decimal(wm.Value) is { } wStep && wStep > 0 && wStep % rStep == 0;
            // integers only, and every integer is a multiple of the reader's step (e.g. 1 or 0.5)
            ok |= (types & JsonTypes.Number) == JsonTypes.Integer && 1m % rStep == 0;
            if (!ok)
                Report(IncompatibilityKind.RangeNarrowed, rm.Pointer, Located.Append(w.Pointer, "multipleOf"),
                    $"the reader requires multiples of {rStep} and the writer's values are not guaranteed to be");
        }
    }

    private static Bound? Lower(SchemaView v) => Tighter(v, "minimum", "exclusiveMinimum", lower: true);

    private static Bound? Upper(SchemaView v) => Tighter(v, "maximum", "exclusiveMaximum", lower: false);

    private static Bound? Tighter(SchemaView v, string inclusive, string exclusive, bool lower)
    {
        Bound? a = v.TryGet(inclusive, out var i) && Decimal(i.Value) is { } iv ? new Bound(iv, false, i.Pointer, inclusive) : null;
        Bound? b = v.TryGet(exclusive, out var e) && Decimal(e.Value) is { } ev ? new Bound(ev, true, e.Pointer, exclusive) : null;
        if (a is null) return b;
        if (b is null) return a;
        bool exclusiveTighter = lower ? b.Value.Value >= a.Value.Value : b.Value.Value <= a.Value.Value;
        return exclusiveTighter ? b : a;
    }

    private static decimal? Decimal(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Number) return null;
        if (e.TryGetDecimal(out var d)) return d;
        // beyond decimal's range: clamp, which keeps the order of bounds
        return e.GetDouble() > 0 ? decimal.MaxValue : decimal.MinValue;
    }

    private static long? Count(SchemaView v, string keyword) =>
        v.TryGet(keyword, out var e) && e.Value.ValueKind == JsonValueKind.Number && e.Value.TryGetDecimal(out var d)
            ? (long)Math.Min(long.MaxValue, Math.Floor(d)) : null;

    /// <summary>A count bound such as minLength/maxLength: the reader's must not be tighter than the writer's.</summary>
    private void CheckCount(SchemaView r, SchemaView w, string keyword, bool isMinimum, IncompatibilityKind kind, string what)
    {
        if (Count(r, keyword) is not { } rv || (isMinimum && rv == 0)) return;
        var wv = Count(w, keyword);
        string at = r.Keywords[keyword].Pointer;
        string wAt = w.TryGet(keyword, out var wl) ? wl.Pointer : Located.Append(w.Pointer, keyword);
        if (isMinimum && (wv ?? 0) < rv)
            Report(kind, at, wAt, $"the reader requires at least {rv} {what} ({keyword}) but the writer allows {wv ?? 0}");
        else if (!isMinimum && (wv is null || wv > rv))
            Report(kind, at, wAt, $"the reader allows at most {rv} {what} ({keyword}) but the writer allows " +
                                  (wv is null ? "any number" : wv.Value.ToString(CultureInfo.InvariantCulture)));
    }

    private void CheckStrings(SchemaView r, SchemaView w)
    {
        CheckCount(r, w, "minLength", isMinimum: true, IncompatibilityKind.LengthNarrowed, "characters");
        CheckCount(r, w, "maxLength", isMinimum: false, IncompatibilityKind.LengthNarrowed, "characters");
        if (r.TryGet("pattern", out var rp) && !(w.TryGet("pattern", out var wp) && wp.Value.GetRawText() == rp.Value.GetRawText()))
            Report(IncompatibilityKind.PatternChanged, rp.Pointer, Located.Append(w.Pointer, "pattern"),
                $"the reader requires pattern {rp.Value.GetRawText()} and the writer's strings are not known to match it " +
                (w.TryGet("pattern", out var other) ? $"(writer pattern {other.Value.GetRawText()}; patterns are compared as text)" : "(the writer has no pattern)"));
        if (r.TryGet("format", out var rf) && rf.Value.ValueKind == JsonValueKind.String)
        {
            string? wFormat = w.TryGet("format", out var wf) && wf.Value.ValueKind == JsonValueKind.String ? wf.Value.GetString() : null;
            if (!FormatImplies(wFormat, rf.Value.GetString()!))
                Report(IncompatibilityKind.FormatChanged, rf.Pointer, Located.Append(w.Pointer, "format"),
                    $"the reader requires format '{rf.Value.GetString()}' but the writer's strings " +
                    (wFormat is null ? "have no format" : $"have format '{wFormat}'"));
        }
    }

    /// <summary>Whether every string of format <paramref name="writer"/> is also of format <paramref name="reader"/>.</summary>
    private static bool FormatImplies(string? writer, string reader) => writer == reader || (writer, reader) switch
    {
        ("uri", "uri-reference") or ("uri", "iri") or ("uri", "iri-reference") => true,
        ("uri-reference", "iri-reference") or ("iri", "iri-reference") => true,
        ("email", "idn-email") or ("hostname", "idn-hostname") => true,
        _ => false,
    };
}
