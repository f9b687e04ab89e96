namespace Millrace.Schema.Formats;

/// <summary>
/// RFC 5321 mailbox: a dot-atom or quoted-string local part, '@', and a host name or an address literal
/// ([IPv4] or [IPv6:...]).
/// </summary>
internal static class EmailFormat
{
    private const string AtomSpecials = "!#$%&'*+-/=?^_`{|}~";

    public static bool IsEmail(ReadOnlySpan<char> s)
    {
        int at = s.LastIndexOf('@');
        if (at <= 0 || at == s.Length - 1) return false;
        var local = s[..at];
        var domain = s[(at + 1)..];
        if (local.Length > 64) return false;
        if (!(local[0] == '"' ? IsQuotedString(local) : IsDotAtom(local))) return false;
        if (domain[0] == '[')
        {
            if (domain[^1] != ']') return false;
            var literal = domain[1..^1];
            if (literal.StartsWith("IPv6:", StringComparison.Ordinal)) return SimpleFormats.IsIPv6(literal[5..]);
            return SimpleFormats.IsIPv4(literal);
        }
        return HostnameFormat.IsHostname(domain);
    }

    private static bool IsDotAtom(ReadOnlySpan<char> s)
    {
        if (s[0] == '.' || s[^1] == '.') return false;
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c == '.')
            {
                if (s[i - 1] == '.') return false;
                continue;
            }
            if (!char.IsAsciiLetterOrDigit(c) && !AtomSpecials.Contains(c)) return false;
        }
        return true;
    }

    private static bool IsQuotedString(ReadOnlySpan<char> s)
    {
        if (s.Length < 2 || s[^1] != '"') return false;
        for (int i = 1; i < s.Length - 1; i++)
        {
            char c = s[i];
            if (c == '\\')
            {
                if (++i >= s.Length - 1 || s[i] is < ' ' or > '~') return false;
                continue;
            }
            if (c == '"' || c is < ' ' or > '~') return false;
        }
        return true;
    }
}
