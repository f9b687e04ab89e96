using System.Text;
using System.Text.Json;
using Millrace.Schema.Internal;

namespace Millrace.Schema.Keywords;

/// <summary><c>const</c>: the instance must equal one value (numbers by value, objects regardless of order).</summary>
internal sealed class ConstKeyword(string absoluteLocation, JsonElement value) : Keyword("const", absoluteLocation)
{
    public override bool Evaluate(JsonElement instance, EvaluationContext ctx, EvaluatedSet? evaluated)
    {
        bool valid = JsonValueEquality.Equal(instance, value);
        if (!valid && ctx.Collecting) ctx.Fail(this, $"Value must be {value.GetRawText()}.");
        return valid;
    }
}

/// <summary><c>enum</c>: the instance must equal one of the values; unescaped strings compare as raw UTF-8.</summary>
internal sealed class EnumKeyword : Keyword
{
    private readonly JsonElement[] _values;
    private readonly byte[][] _plainStrings; // unescaped string members, for the allocation-free fast path
    private readonly bool _onlyPlainStrings;

    public EnumKeyword(string absoluteLocation, JsonElement[] values) : base("enum", absoluteLocation)
    {
        _values = values;
        var plain = new List<byte[]>();
        foreach (var v in values)
        {
            if (v.ValueKind != JsonValueKind.String) continue;
            var raw = JsonText.RawContent(v, out bool escaped);
            if (!escaped) plain.Add(raw.ToArray());
        }
        _plainStrings = plain.ToArray();
        _onlyPlainStrings = _plainStrings.Length == values.Length;
    }

    public override bool Evaluate(JsonElement instance, EvaluationContext ctx, EvaluatedSet? evaluated)
    {
        bool valid = Contains(instance);
        if (!valid)
            if (ctx.Collecting) ctx.Fail(this, $"Value must be one of {string.Join(", ", _values.Select(v => v.GetRawText()))}.");
        return valid;
    }

    private bool Contains(JsonElement instance)
    {
        if (instance.ValueKind == JsonValueKind.String && _onlyPlainStrings)
        {
            var raw = JsonText.RawContent(instance, out bool escaped);
            if (!escaped)
            {
                foreach (var s in _plainStrings)
                    if (raw.SequenceEqual(s)) return true;
                return false;
            }
            var decoded = Encoding.UTF8.GetBytes(instance.GetString()!);
            foreach (var s in _plainStrings)
                if (decoded.AsSpan().SequenceEqual(s)) return true;
            return false;
        }
        foreach (var v in _values)
            if (JsonValueEquality.Equal(instance, v)) return true;
        return false;
    }
}
