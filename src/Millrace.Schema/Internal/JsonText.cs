using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Millrace.Schema.Internal;

/// <summary>
/// Allocation-free access to JSON string values: reads the raw UTF-8 token and only falls back to
/// <see cref="JsonElement.GetString"/> when the token contains escapes.
/// </summary>
internal static class JsonText
{
    /// <summary>The raw UTF-8 content between the quotes, and whether it contains escapes.</summary>
    public static ReadOnlySpan<byte> RawContent(JsonElement e, out bool escaped)
    {
        var raw = JsonMarshal.GetRawUtf8Value(e);
        raw = raw[1..^1];
        escaped = raw.IndexOf((byte)'\\') >= 0;
        return raw;
    }

    /// <summary>Number of Unicode code points in a string value (what minLength/maxLength count).</summary>
    public static int CodePointLength(JsonElement e)
    {
        var raw = RawContent(e, out bool escaped);
        if (escaped)
        {
            string s = e.GetString()!;
            int n = 0;
            for (int i = 0; i < s.Length; i++)
            {
                if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])) i++;
                n++;
            }
            return n;
        }
        return CodePointLength(raw);
    }

    /// <summary>Number of code points in unescaped UTF-8 content: lead bytes, not continuation bytes.</summary>
    public static int CodePointLength(ReadOnlySpan<byte> raw)
    {
        int count = 0;
        foreach (byte b in raw)
            if ((b & 0xC0) != 0x80) count++;
        return count;
    }

    /// <summary>
    /// Decodes the string into <paramref name="buffer"/> when it fits, else into a pooled array returned via
    /// <paramref name="rented"/> (caller returns it). Result is the decoded characters.
    /// </summary>
    public static ReadOnlySpan<char> Decode(JsonElement e, Span<char> buffer, out char[]? rented)
    {
        rented = null;
        var raw = RawContent(e, out bool escaped);
        if (escaped) return e.GetString().AsSpan();
        return Decode(raw, buffer, out rented);
    }

    /// <summary>Decodes unescaped UTF-8 content, like <see cref="Decode(JsonElement, Span{char}, out char[])"/>.</summary>
    public static ReadOnlySpan<char> Decode(ReadOnlySpan<byte> raw, Span<char> buffer, out char[]? rented)
    {
        rented = null;
        int max = raw.Length; // UTF-8 never yields more UTF-16 units than bytes
        Span<char> dest = buffer;
        if (max > buffer.Length) dest = rented = ArrayPool<char>.Shared.Rent(max);
        int n = Encoding.UTF8.GetChars(raw, dest);
        return dest[..n];
    }
}
