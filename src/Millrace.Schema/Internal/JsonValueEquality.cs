using System.Text.Json;

namespace Millrace.Schema.Internal;

/// <summary>JSON Schema equality: numbers by value, objects regardless of member order, arrays by position.</summary>
internal static class JsonValueEquality
{
    public static bool Equal(JsonElement a, JsonElement b)
    {
        var ka = a.ValueKind; var kb = b.ValueKind;
        if (ka != kb) return false;
        switch (ka)
        {
            case JsonValueKind.Null:
            case JsonValueKind.True:
            case JsonValueKind.False:
                return true;
            case JsonValueKind.String:
                return StringEqual(a, b);
            case JsonValueKind.Number:
                return NumberEqual(a, b);
            case JsonValueKind.Array:
            {
                int n = a.GetArrayLength();
                if (n != b.GetArrayLength()) return false;
                var ea = a.EnumerateArray(); var eb = b.EnumerateArray();
                while (ea.MoveNext() && eb.MoveNext())
                    if (!Equal(ea.Current, eb.Current)) return false;
                return true;
            }
            case JsonValueKind.Object:
            {
                int count = 0;
                foreach (var p in a.EnumerateObject())
                {
                    count++;
                    if (!b.TryGetProperty(p.Name, out var other) || !Equal(p.Value, other)) return false;
                }
                int countB = 0;
                foreach (var _ in b.EnumerateObject()) countB++;
                return count == countB;
            }
            default:
                return false;
        }
    }

    private static bool StringEqual(JsonElement a, JsonElement b)
    {
        var ra = System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(a);
        var rb = System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(b);
        if (ra.SequenceEqual(rb)) return true;
        if (ra.IndexOf((byte)'\\') < 0 && rb.IndexOf((byte)'\\') < 0) return false;
        return a.GetString() == b.GetString();
    }

    public static bool NumberEqual(JsonElement a, JsonElement b)
    {
        if (a.TryGetInt64(out long la) && b.TryGetInt64(out long lb)) return la == lb;
        if (a.TryGetDecimal(out decimal da) && b.TryGetDecimal(out decimal db)) return da == db;
        return JsonNumber.GetDouble(a) == JsonNumber.GetDouble(b);
    }

    /// <summary>A hash consistent with <see cref="Equal"/> (equal values hash equally).</summary>
    public static int Hash(JsonElement e)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.String: return e.GetString()!.GetHashCode(StringComparison.Ordinal);
            case JsonValueKind.Number: return JsonNumber.GetDouble(e).GetHashCode();
            case JsonValueKind.Array:
            {
                int h = 17;
                foreach (var item in e.EnumerateArray()) h = h * 31 + Hash(item);
                return h;
            }
            case JsonValueKind.Object:
            {
                int h = 19;
                foreach (var p in e.EnumerateObject())
                    h += p.Name.GetHashCode(StringComparison.Ordinal) ^ Hash(p.Value);
                return h;
            }
            default: return (int)e.ValueKind;
        }
    }
}
