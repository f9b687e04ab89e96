using System.Runtime.InteropServices;
using System.Text.Json;

namespace Millrace.Schema.Internal;

/// <summary>
/// A schema-side number (a limit or a divisor) kept in the most exact form available:
/// long, then decimal, then double, so comparisons with instances are exact where possible.
/// </summary>
internal readonly struct SchemaNumber
{
    public readonly bool HasLong;
    public readonly long Long;
    public readonly bool HasDecimal;
    public readonly decimal Decimal;
    public readonly double Double;

    public SchemaNumber(JsonElement e)
    {
        HasLong = e.TryGetInt64(out Long);
        HasDecimal = e.TryGetDecimal(out Decimal);
        Double = JsonNumber.GetDouble(e);
    }

    public override string ToString() =>
        HasDecimal ? Decimal.ToString(System.Globalization.CultureInfo.InvariantCulture)
                   : Double.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>JSON number semantics: mathematical value, not representation (1.0 is an integer).</summary>
internal static class JsonNumber
{
    public static double GetDouble(JsonElement e) => e.TryGetDouble(out var d) ? d : double.NaN;

    /// <summary>Compares an instance number with a schema number: negative, zero or positive.</summary>
    public static int Compare(JsonElement instance, in SchemaNumber limit)
    {
        if (limit.HasLong && instance.TryGetInt64(out long l)) return l.CompareTo(limit.Long);
        if (limit.HasDecimal && instance.TryGetDecimal(out decimal d)) return d.CompareTo(limit.Decimal);
        return GetDouble(instance).CompareTo(limit.Double);
    }

    /// <summary>True when the instance is an integral multiple of the divisor.</summary>
    public static bool IsMultipleOf(JsonElement instance, in SchemaNumber divisor)
    {
        if (divisor.HasLong && instance.TryGetInt64(out long l)) return l % divisor.Long == 0;
        if (divisor.HasDecimal && instance.TryGetDecimal(out decimal d))
        {
            try { return d % divisor.Decimal == 0; }
            catch (OverflowException) { /* fall through to binary floating point */ }
        }
        double x = GetDouble(instance);
        if (double.IsInfinity(x)) return false;
        double q = x / divisor.Double;
        if (double.IsInfinity(q)) return Math.IEEERemainder(x, divisor.Double) == 0;
        return x % divisor.Double == 0 || q == Math.Floor(q) && Math.Abs(q) >= 1e15;
    }

    /// <summary>True when the number's mathematical value is integral, decided on its text so big numbers work.</summary>
    public static bool IsInteger(JsonElement e)
    {
        if (e.TryGetInt64(out _)) return true;
        ReadOnlySpan<byte> raw = JsonMarshal.GetRawUtf8Value(e);
        int i = 0;
        if (raw[i] == '-') i++;
        int intStart = i;
        while (i < raw.Length && raw[i] is >= (byte)'0' and <= (byte)'9') i++;
        int intEnd = i;
        int fracStart = i, fracEnd = i;
        if (i < raw.Length && raw[i] == '.')
        {
            fracStart = ++i;
            while (i < raw.Length && raw[i] is >= (byte)'0' and <= (byte)'9') i++;
            fracEnd = i;
        }
        long exponent = 0;
        if (i < raw.Length && (raw[i] == 'e' || raw[i] == 'E'))
        {
            i++;
            bool neg = false;
            if (raw[i] == '-') { neg = true; i++; } else if (raw[i] == '+') i++;
            while (i < raw.Length) { exponent = Math.Min(exponent * 10 + (raw[i] - '0'), 1_000_000_000); i++; }
            if (neg) exponent = -exponent;
        }
        // Trailing zeros of the fraction never make a number non-integral.
        while (fracEnd > fracStart && raw[fracEnd - 1] == '0') fracEnd--;
        long fracDigits = fracEnd - fracStart;
        if (fracDigits == 0 && exponent >= 0) return true;
        if (fracDigits > 0 && exponent >= fracDigits) return true;
        if (fracDigits == 0)
        {
            // Negative exponent: the integer part must end with at least -exponent zeros (or be zero).
            int zeros = 0;
            for (int k = intEnd - 1; k >= intStart && raw[k] == '0'; k--) zeros++;
            bool allZero = zeros == intEnd - intStart;
            return allZero || zeros >= -exponent;
        }
        return false;
    }
}
