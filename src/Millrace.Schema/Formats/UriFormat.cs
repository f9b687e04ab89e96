namespace Millrace.Schema.Formats;

/// <summary>RFC 3986 URI and URI-reference syntax (ASCII only; IRIs are a different format).</summary>
internal static class UriFormat
{
    private const string SubDelims = "!$&'()*+,;=";

    public static bool IsUri(ReadOnlySpan<char> s)
    {
        int colon = SchemeEnd(s);
        return colon > 0 && IsHierPartQueryFragment(s[(colon + 1)..], hasScheme: true);
    }

    public static bool IsUriReference(ReadOnlySpan<char> s)
    {
        int colon = SchemeEnd(s);
        if (colon > 0) return IsHierPartQueryFragment(s[(colon + 1)..], hasScheme: true);
        return IsHierPartQueryFragment(s, hasScheme: false);
    }

    /// <summary>Index of the ':' ending a valid scheme, or -1.</summary>
    private static int SchemeEnd(ReadOnlySpan<char> s)
    {
        if (s.IsEmpty || !char.IsAsciiLetter(s[0])) return -1;
        for (int i = 1; i < s.Length; i++)
        {
            char c = s[i];
            if (c == ':') return i;
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('+' or '-' or '.')) return -1;
        }
        return -1;
    }

    private static bool IsHierPartQueryFragment(ReadOnlySpan<char> s, bool hasScheme)
    {
        int hash = s.IndexOf('#');
        if (hash >= 0)
        {
            if (!AllChars(s[(hash + 1)..], "/?:@")) return false;
            s = s[..hash];
        }
        int q = s.IndexOf('?');
        if (q >= 0)
        {
            if (!AllChars(s[(q + 1)..], "/?:@")) return false;
            s = s[..q];
        }
        if (s.StartsWith("//"))
        {
            var rest = s[2..];
            int slash = rest.IndexOf('/');
            var authority = slash < 0 ? rest : rest[..slash];
            if (!IsAuthority(authority)) return false;
            s = slash < 0 ? [] : rest[slash..];
        }
        else if (!hasScheme)
        {
            // A relative-path reference may not have ':' in its first segment (it would read as a scheme).
            int firstSlash = s.IndexOf('/');
            var first = firstSlash < 0 ? s : s[..firstSlash];
            if (first.Contains(':')) return false;
        }
        return AllChars(s, "/:@");
    }

    private static bool IsAuthority(ReadOnlySpan<char> a)
    {
        int at = a.IndexOf('@');
        if (at >= 0)
        {
            if (!AllChars(a[..at], ":")) return false;
            a = a[(at + 1)..];
        }
        if (a.StartsWith("["))
        {
            int close = a.IndexOf(']');
            if (close < 0) return false;
            var literal = a[1..close];
            bool ok = literal.Length > 0 && (literal[0] is 'v' or 'V'
                ? literal.Length > 3 && literal.IndexOf('.') > 1 && AllChars(literal[1..], ":")
                : SimpleFormats.IsIPv6(literal));
            if (!ok) return false;
            a = a[(close + 1)..];
            if (a.IsEmpty) return true;
            if (a[0] != ':') return false;
            return IsPort(a[1..]);
        }
        int colon = a.LastIndexOf(':');
        if (colon >= 0)
        {
            if (!IsPort(a[(colon + 1)..])) return false;
            a = a[..colon];
        }
        return AllChars(a, "");
    }

    private static bool IsPort(ReadOnlySpan<char> p)
    {
        foreach (char c in p)
            if (!char.IsAsciiDigit(c)) return false;
        return true;
    }

    /// <summary>unreserved / pct-encoded / sub-delims plus the extra characters allowed in this component.</summary>
    private static bool AllChars(ReadOnlySpan<char> s, string extra)
    {
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c == '%')
            {
                if (i + 2 >= s.Length || !char.IsAsciiHexDigit(s[i + 1]) || !char.IsAsciiHexDigit(s[i + 2])) return false;
                i += 2;
                continue;
            }
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~') continue;
            if (SubDelims.Contains(c) || extra.Contains(c)) continue;
            return false;
        }
        return true;
    }
}
