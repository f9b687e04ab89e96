namespace Millrace.Schema.Formats;

/// <summary>uuid (RFC 4122 textual form) and ipv4 / ipv6 (RFC 2673 dotted quad, RFC 4291 text form).</summary>
internal static class SimpleFormats
{
    public static bool IsUuid(ReadOnlySpan<char> s)
    {
        if (s.Length != 36) return false;
        for (int i = 0; i < 36; i++)
        {
            bool dash = i is 8 or 13 or 18 or 23;
            if (dash ? s[i] != '-' : !char.IsAsciiHexDigit(s[i])) return false;
        }
        return true;
    }

    /// <summary>Four decimal octets 0-255 without leading zeros.</summary>
    public static bool IsIPv4(ReadOnlySpan<char> s)
    {
        int parts = 0;
        while (true)
        {
            int start = 0, value = 0;
            while (start < s.Length && char.IsAsciiDigit(s[start]))
            {
                value = value * 10 + (s[start] - '0');
                if (++start > 3) return false;
            }
            if (start == 0 || value > 255 || (start > 1 && s[0] == '0')) return false;
            parts++;
            s = s[start..];
            if (parts == 4) return s.IsEmpty;
            if (s.IsEmpty || s[0] != '.') return false;
            s = s[1..];
        }
    }

    /// <summary>Eight 16-bit hex groups, at most one "::", optionally ending in a dotted quad; no zone index.</summary>
    public static bool IsIPv6(ReadOnlySpan<char> s)
    {
        if (s.Length < 2) return false;
        int groups = 0;
        bool compressed = false;
        int i = 0;
        if (s[0] == ':')
        {
            if (s[1] != ':') return false;
            compressed = true;
            i = 2;
            if (i == s.Length) return true;
        }
        while (i < s.Length)
        {
            int start = i;
            while (i < s.Length && char.IsAsciiHexDigit(s[i]) && i - start < 5) i++;
            int len = i - start;
            if (i < s.Length && s[i] == '.')
            {
                // Embedded IPv4 takes the last two groups.
                if (!IsIPv4(s[start..])) return false;
                groups += 2;
                break;
            }
            if (len is 0 or > 4) return false;
            groups++;
            if (i == s.Length) break;
            if (s[i] != ':') return false;
            i++;
            if (i < s.Length && s[i] == ':')
            {
                if (compressed) return false;
                compressed = true;
                i++;
                if (i == s.Length) break;
            }
            else if (i == s.Length) return false;
        }
        return compressed ? groups <= 7 : groups == 8;
    }
}
