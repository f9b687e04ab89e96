using System.Globalization;

namespace Millrace.Core.Config;

/// <summary>How a scalar was written; quoted scalars are always strings.</summary>
public enum ScalarStyle
{
    /// <summary>Unquoted.</summary>
    Plain,
    /// <summary>'single quoted'.</summary>
    SingleQuoted,
    /// <summary>"double quoted".</summary>
    DoubleQuoted,
    /// <summary>| literal block.</summary>
    Literal,
    /// <summary>&gt; folded block.</summary>
    Folded,
}

/// <summary>A scalar value as written, with its position.</summary>
public sealed class ConfigScalar : ConfigNode
{
    internal ConfigScalar(SourceLocation location, string value, ScalarStyle style, string? tag, string? raw = null)
        : base(location)
    {
        Value = value;
        Style = style;
        Tag = tag;
        _raw = raw;
    }

    private readonly string? _raw; // the source text of a single-line scalar, for column arithmetic

    /// <summary>The value after unquoting.</summary>
    public string Value { get; }

    /// <summary>How the value was written.</summary>
    public ScalarStyle Style { get; }

    /// <summary>Explicit tag such as <c>!!str</c>, if any.</summary>
    public string? Tag { get; }

    /// <summary>
    /// Stands in for a node that could not be built (an alias to an unknown anchor): already reported, so readers
    /// treat it as absent without reporting again.
    /// </summary>
    public bool IsPlaceholder { get; internal init; }

    /// <summary>Whether the scalar is YAML null: an empty plain value, <c>~</c> or <c>null</c>.</summary>
    public bool IsNull => Style == ScalarStyle.Plain && Tag is null && Value is "" or "~" or "null" or "Null" or "NULL";

    /// <summary>Parses the scalar as a finite number (plain scalars only; quoted "5" is a string).</summary>
    public bool TryGetNumber(out double value)
    {
        value = 0;
        if (Style != ScalarStyle.Plain || Value.Length == 0 || Tag is "tag:yaml.org,2002:str") return false;
        var c = Value[0];
        if (!(char.IsAsciiDigit(c) || c is '-' or '+' or '.')) return false;
        return double.TryParse(Value, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
    }

    /// <summary>Parses the scalar as a whole number (plain scalars only).</summary>
    public bool TryGetInteger(out long value)
    {
        value = 0;
        return Style == ScalarStyle.Plain && Tag is not "tag:yaml.org,2002:str"
               && long.TryParse(Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>Parses the scalar as a YAML 1.2 boolean: <c>true</c> or <c>false</c> (any case), plain only.</summary>
    public bool TryGetBoolean(out bool value)
    {
        value = false;
        if (Style != ScalarStyle.Plain) return false;
        if (Value.Equals("true", StringComparison.OrdinalIgnoreCase)) return value = true;
        return Value.Equals("false", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The location of the character at <paramref name="offset"/> within <see cref="Value"/> when it can be mapped
    /// back to the source (single-line plain or quoted scalars without escapes before it); otherwise the start.
    /// </summary>
    public SourceLocation LocationOf(int offset)
    {
        if (_raw is null || offset < 0 || offset > Value.Length) return Location;
        return Style switch
        {
            ScalarStyle.Plain when _raw == Value => Location.Shift(offset),
            ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted when _raw.Length == Value.Length + 2
                                                                     && _raw.AsSpan(1, Value.Length).SequenceEqual(Value) => Location.Shift(offset + 1),
            _ => Location,
        };
    }

    /// <inheritdoc />
    public override string Describe()
    {
        if (IsNull) return "nothing";
        if (TryGetNumber(out _)) return "a number";
        if (TryGetBoolean(out _)) return "a boolean";
        return "a string";
    }

    /// <inheritdoc />
    public override string ToString() => Value;
}
