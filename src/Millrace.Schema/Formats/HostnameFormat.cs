namespace Millrace.Schema.Formats;

/// <summary>
/// RFC 1123 host names: dot-separated labels of ASCII letters, digits and inner hyphens, 1-63 characters each,
/// at most 253 characters overall. Labels starting "xn--" must also be valid IDNA A-labels.
/// </summary>
internal static class HostnameFormat
{
    public static bool IsHostname(ReadOnlySpan<char> s)
    {
        if (s.Length is 0 or > 253) return false;
        while (true)
        {
            int dot = s.IndexOf('.');
            var label = dot < 0 ? s : s[..dot];
            if (!IsLabel(label)) return false;
            if (dot < 0) return true;
            s = s[(dot + 1)..];
        }
    }

    private static bool IsLabel(ReadOnlySpan<char> label)
    {
        if (label.Length is 0 or > 63) return false;
        if (label[0] == '-' || label[^1] == '-') return false;
        foreach (char c in label)
            if (!char.IsAsciiLetterOrDigit(c) && c != '-') return false;
        // "--" in positions 3-4 is reserved for IDNA: only "xn--" A-labels may use it, and they must decode.
        if (label.Length >= 4 && label[2] == '-' && label[3] == '-')
        {
            if (!label.StartsWith("xn--", StringComparison.OrdinalIgnoreCase)) return false;
            return IdnaLabel.IsValidALabel(label[4..]);
        }
        return true;
    }
}
