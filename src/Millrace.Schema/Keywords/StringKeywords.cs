using System.Buffers;
using System.Text.Json;
using System.Text.RegularExpressions;
using Millrace.Schema.Internal;

namespace Millrace.Schema.Keywords;

/// <summary>minLength / maxLength, counted in Unicode code points.</summary>
internal sealed class LengthKeyword(string name, string absoluteLocation, long limit) : Keyword(name, absoluteLocation), IStringAssertion
{
    private readonly bool _isMax = name == "maxLength";

    public bool IsValidString(JsonElement instance, ReadOnlySpan<byte> raw, bool escaped)
    {
        if (_isMax && raw.Length <= limit && !escaped) return true;
        int length = escaped ? JsonText.CodePointLength(instance) : JsonText.CodePointLength(raw);
        return _isMax ? length <= limit : length >= limit;
    }

    public override bool Evaluate(JsonElement instance, EvaluationContext ctx, EvaluatedSet? evaluated)
    {
        if (instance.ValueKind != JsonValueKind.String) return true;
        // Code points never exceed UTF-8 bytes: short raw tokens pass maxLength without counting.
        if (_isMax && JsonText.RawContent(instance, out bool escaped).Length <= limit && !escaped) return true;
        int length = JsonText.CodePointLength(instance);
        bool valid = _isMax ? length <= limit : length >= limit;
        if (!valid)
            if (ctx.Collecting) ctx.Fail(this, _isMax ? $"String has {length} characters, more than the maximum {limit}."
                                  : $"String has {length} characters, fewer than the minimum {limit}.");
        return valid;
    }
}

/// <summary>pattern: an ECMA-262 regular expression (translated to .NET once), matched anywhere in the string.</summary>
internal sealed class PatternKeyword(string absoluteLocation, string pattern, Regex regex) : Keyword("pattern", absoluteLocation), IStringAssertion
{
    private readonly SimplePattern? _simple = SimplePattern.TryCreate(pattern);

    public bool IsValidString(JsonElement instance, ReadOnlySpan<byte> raw, bool escaped)
    {
        if (escaped) return Matches(regex, instance);
        if (_simple is not null) return _simple.IsMatch(raw);
        Span<char> buffer = stackalloc char[256];
        var text = JsonText.Decode(raw, buffer, out char[]? rented);
        try { return EcmaRegex.IsMatch(regex, text); }
        finally { if (rented is not null) ArrayPool<char>.Shared.Return(rented); }
    }

    public override bool Evaluate(JsonElement instance, EvaluationContext ctx, EvaluatedSet? evaluated)
    {
        if (instance.ValueKind != JsonValueKind.String) return true;
        bool valid;
        bool escaped = true;
        var raw = _simple is null ? default : JsonText.RawContent(instance, out escaped);
        if (!escaped) valid = _simple!.IsMatch(raw);
        else valid = Matches(regex, instance);
        if (!valid && ctx.Collecting) ctx.Fail(this, $"String does not match the pattern '{pattern}'.");
        return valid;
    }

    internal static bool Matches(Regex regex, JsonElement value)
    {
        Span<char> buffer = stackalloc char[256];
        var text = JsonText.Decode(value, buffer, out char[]? rented);
        try { return EcmaRegex.IsMatch(regex, text); }
        finally { if (rented is not null) ArrayPool<char>.Shared.Return(rented); }
    }
}

/// <summary>format as an assertion, for the formats this library knows.</summary>
internal sealed class FormatKeyword(string absoluteLocation, string format, FormatCheck check, Utf8FormatCheck? utf8Check)
    : Keyword("format", absoluteLocation), IStringAssertion
{
    public bool IsValidString(JsonElement instance, ReadOnlySpan<byte> raw, bool escaped)
    {
        if (!escaped && utf8Check is not null) return utf8Check(raw);
        Span<char> buffer = stackalloc char[256];
        var text = escaped ? JsonText.Decode(instance, buffer, out char[]? rented) : JsonText.Decode(raw, buffer, out rented);
        try { return check(text); }
        finally { if (rented is not null) ArrayPool<char>.Shared.Return(rented); }
    }

    public override bool Evaluate(JsonElement instance, EvaluationContext ctx, EvaluatedSet? evaluated)
    {
        if (instance.ValueKind != JsonValueKind.String) return true;
        Span<char> buffer = stackalloc char[256];
        var text = JsonText.Decode(instance, buffer, out char[]? rented);
        bool valid;
        try { valid = check(text); }
        finally { if (rented is not null) ArrayPool<char>.Shared.Return(rented); }
        if (!valid && ctx.Collecting) ctx.Fail(this, $"String is not a valid '{format}'.");
        return valid;
    }
}

/// <summary>A format checker over the decoded string.</summary>
internal delegate bool FormatCheck(ReadOnlySpan<char> value);

/// <summary>
/// A format checker over unescaped UTF-8 content, for formats whose valid values are ASCII (a non-ASCII byte is then
/// simply not a valid character, exactly as a non-ASCII char is for the <see cref="FormatCheck"/>).
/// </summary>
internal delegate bool Utf8FormatCheck(ReadOnlySpan<byte> value);
