namespace Millrace.Schema.Internal;

/// <summary>
/// RFC 3986 reference resolution, written out because System.Uri normalises too eagerly for
/// schema identifiers (URNs, empty fragments, file URIs) and JSON Schema needs exact string keys.
/// </summary>
internal static class UriReference
{
    /// <summary>Splits a URI into the part before '#' and the (raw) fragment, or null when there is no '#'.</summary>
    public static (string Uri, string? Fragment) SplitFragment(string uri)
    {
        int hash = uri.IndexOf('#');
        return hash < 0 ? (uri, null) : (uri[..hash], uri[(hash + 1)..]);
    }

    /// <summary>True when the reference has a scheme, i.e. is an absolute URI.</summary>
    public static bool HasScheme(string reference)
    {
        if (reference.Length == 0 || !char.IsAsciiLetter(reference[0])) return false;
        for (int i = 1; i < reference.Length; i++)
        {
            char c = reference[i];
            if (c == ':') return true;
            if (!(char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.')) return false;
        }
        return false;
    }

    /// <summary>Resolves <paramref name="reference"/> against <paramref name="baseUri"/> (RFC 3986 section 5.2).</summary>
    public static string Resolve(string baseUri, string reference)
    {
        var r = Parse(reference);
        if (r.Scheme is not null)
            return Compose(r.Scheme, r.Authority, RemoveDotSegments(r.Path), r.Query, r.Fragment);
        var b = Parse(baseUri);
        string? authority, path, query;
        if (r.Authority is not null)
        {
            authority = r.Authority; path = RemoveDotSegments(r.Path); query = r.Query;
        }
        else
        {
            authority = b.Authority;
            if (r.Path.Length == 0)
            {
                path = b.Path; query = r.Query ?? b.Query;
            }
            else
            {
                path = r.Path.StartsWith('/') ? RemoveDotSegments(r.Path) : RemoveDotSegments(Merge(b, r.Path));
                query = r.Query;
            }
        }
        return Compose(b.Scheme, authority, path, query, r.Fragment);
    }

    private readonly record struct Parts(string? Scheme, string? Authority, string Path, string? Query, string? Fragment);

    private static Parts Parse(string s)
    {
        string? scheme = null, authority = null, query = null, fragment = null;
        int hash = s.IndexOf('#');
        if (hash >= 0) { fragment = s[(hash + 1)..]; s = s[..hash]; }
        int q = s.IndexOf('?');
        if (q >= 0) { query = s[(q + 1)..]; s = s[..q]; }
        if (HasScheme(s))
        {
            int colon = s.IndexOf(':');
            scheme = s[..colon]; s = s[(colon + 1)..];
        }
        if (s.StartsWith("//", StringComparison.Ordinal))
        {
            int slash = s.IndexOf('/', 2);
            authority = slash < 0 ? s[2..] : s[2..slash];
            s = slash < 0 ? "" : s[slash..];
        }
        return new Parts(scheme, authority, s, query, fragment);
    }

    private static string Merge(Parts b, string relPath)
    {
        if (b.Authority is not null && b.Path.Length == 0) return "/" + relPath;
        int last = b.Path.LastIndexOf('/');
        return last < 0 ? relPath : b.Path[..(last + 1)] + relPath;
    }

    private static string RemoveDotSegments(string path)
    {
        if (!path.Contains('.')) return path;
        var output = new List<string>();
        var input = path;
        var sb = new System.Text.StringBuilder();
        while (input.Length > 0)
        {
            if (input.StartsWith("../", StringComparison.Ordinal)) input = input[3..];
            else if (input.StartsWith("./", StringComparison.Ordinal)) input = input[2..];
            else if (input.StartsWith("/./", StringComparison.Ordinal)) input = input[2..];
            else if (input == "/.") input = "/";
            else if (input.StartsWith("/../", StringComparison.Ordinal) || input == "/..")
            {
                input = input.Length == 3 ? "/" : input[3..];
                if (output.Count > 0) output.RemoveAt(output.Count - 1);
            }
            else if (input is "." or "..") input = "";
            else
            {
                int start = input.StartsWith('/') ? 1 : 0;
                int next = input.IndexOf('/', start);
                string seg = next < 0 ? input : input[..next];
                output.Add(seg);
                input = next < 0 ? "" : input[next..];
            }
        }
        foreach (var seg in output) sb.Append(seg);
        return sb.ToString();
    }

    private static string Compose(string? scheme, string? authority, string path, string? query, string? fragment)
    {
        var sb = new System.Text.StringBuilder();
        if (scheme is not null) sb.Append(scheme).Append(':');
        if (authority is not null) sb.Append("//").Append(authority);
        sb.Append(path);
        if (query is not null) sb.Append('?').Append(query);
        if (fragment is not null) sb.Append('#').Append(fragment);
        return sb.ToString();
    }
}
