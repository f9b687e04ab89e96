using System.Globalization;
using System.Text.Json;

namespace Millrace.Core.Expressions;

/// <summary>
/// Access to and conversion of dynamic JSON values (<see cref="JsonElement"/>) for compiled expressions. A member of a
/// non-object, an item past the end or of a non-array, and JSON null are all "missing"; nothing here throws.
/// </summary>
internal static class JsonRuntime
{
    public static bool IsMissing(JsonElement e) => e.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null;

    public static JsonElement Property(JsonElement e, string? name) =>
        name is not null && e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) ? v : default;

    /// <summary>A member by its pre-encoded UTF-8 name (compile-time member names).</summary>
    public static JsonElement Member(JsonElement e, byte[] utf8Name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(utf8Name, out var v) ? v : default;

    public static JsonElement Item(JsonElement e, double index)
    {
        if (e.ValueKind != JsonValueKind.Array || !(index >= 0) || index != Math.Floor(index)) return default;
        var length = e.GetArrayLength();
        return index < length ? e[(int)index] : default;
    }

    /// <summary>Indexing with a dynamic key: a number indexes an array, a string names an object member.</summary>
    public static JsonElement Index(JsonElement e, JsonElement key) => key.ValueKind switch
    {
        JsonValueKind.Number => Item(e, ToNumber(key)),
        JsonValueKind.String => Property(e, key.GetString()),
        _ => default,
    };

    public static double ToNumber(JsonElement e) =>
        e.ValueKind == JsonValueKind.Number && e.TryGetDouble(out var d) ? d : double.NaN;

    /// <summary>Strings give their value; numbers, booleans, objects and arrays their JSON text; missing gives null.</summary>
    public static string? ToText(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Undefined or JsonValueKind.Null => null,
        _ => e.GetRawText(),
    };

    /// <summary>to_number(): numbers as they are, numeric strings parsed, true/false as 1/0, anything else NaN.</summary>
    public static double ToNumberLenient(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Number => ToNumber(e),
        JsonValueKind.String => ExpressionRuntime.ToNumber(e.GetString()),
        JsonValueKind.True => 1,
        JsonValueKind.False => 0,
        _ => double.NaN,
    };

    /// <summary>Only JSON <c>true</c> is true.</summary>
    public static bool ToBoolean(JsonElement e) => e.ValueKind == JsonValueKind.True;

    public static DateTimeOffset? ToTimestamp(JsonElement e) =>
        e.ValueKind == JsonValueKind.String && e.TryGetDateTimeOffset(out var t) ? t : null;

    /// <summary>A number is seconds; a string is a TimeSpan in "c" form (<c>00:05:00</c>).</summary>
    public static TimeSpan? ToDuration(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Number => ExpressionRuntime.FromTicks(ToNumber(e) * TimeSpan.TicksPerSecond),
        JsonValueKind.String when TimeSpan.TryParseExact(e.GetString(), "c", CultureInfo.InvariantCulture, out var d) => d,
        _ => null,
    };

    /// <summary>Allocation-free string equality; a null string equals a missing element.</summary>
    public static bool EqualsString(JsonElement e, string? s) =>
        s is null ? IsMissing(e) : e.ValueKind == JsonValueKind.String && e.ValueEquals(s);

    /// <summary>Equality with a string literal pre-encoded to UTF-8: a byte comparison for unescaped JSON strings.</summary>
    public static bool EqualsUtf8(JsonElement e, byte[] utf8) => e.ValueKind == JsonValueKind.String && e.ValueEquals(utf8);

    public static bool EqualsBoolean(JsonElement e, bool b) => e.ValueKind == (b ? JsonValueKind.True : JsonValueKind.False);

    /// <summary>Missing equals missing; numbers compare by value (1 == 1.0); anything else structurally.</summary>
    public static bool Equal(JsonElement a, JsonElement b)
    {
        if (IsMissing(a) || IsMissing(b)) return IsMissing(a) && IsMissing(b);
        if (a.ValueKind == JsonValueKind.Number && b.ValueKind == JsonValueKind.Number) return ToNumber(a) == ToNumber(b);
        return JsonElement.DeepEquals(a, b);
    }

    public static double Length(JsonElement e)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Array: return e.GetArrayLength();
            case JsonValueKind.String: return e.GetString()!.Length;
            case JsonValueKind.Object:
                var n = 0;
                foreach (var _ in e.EnumerateObject()) n++;
                return n;
            default: return double.NaN;
        }
    }

    /// <summary>A string contains a substring; an array contains an equal string item.</summary>
    public static bool Contains(JsonElement e, string? s)
    {
        if (s is null) return false;
        if (e.ValueKind == JsonValueKind.String) return e.GetString()!.Contains(s, StringComparison.Ordinal);
        if (e.ValueKind != JsonValueKind.Array) return false;
        foreach (var item in e.EnumerateArray())
            if (item.ValueKind == JsonValueKind.String && item.ValueEquals(s)) return true;
        return false;
    }

    /// <summary>An array contains a numerically equal item.</summary>
    public static bool ContainsNumber(JsonElement e, double x)
    {
        if (e.ValueKind != JsonValueKind.Array) return false;
        foreach (var item in e.EnumerateArray())
            if (ToNumber(item) == x) return true;
        return false;
    }

    public static JsonElement Coalesce(JsonElement a, JsonElement b) => IsMissing(a) ? b : a;

    /// <summary>The element itself for a value result, or null when missing.</summary>
    public static object? Box(JsonElement e) => IsMissing(e) ? null : e;
}
