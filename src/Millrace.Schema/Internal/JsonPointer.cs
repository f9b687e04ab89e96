using System.Text;
using System.Text.Json;

namespace Millrace.Schema.Internal;

/// <summary>RFC 6901 JSON Pointer helpers: escaping tokens, parsing, and walking a JsonElement.</summary>
internal static class JsonPointer
{
    /// <summary>Escapes one reference token ('~' to '~0', '/' to '~1').</summary>
    public static string Escape(string token) =>
        token.IndexOfAny(['~', '/']) < 0 ? token : token.Replace("~", "~0").Replace("/", "~1");

    /// <summary>Appends an escaped token to a pointer.</summary>
    public static string Append(string pointer, string token) => pointer + "/" + Escape(token);

    /// <summary>Decodes %XX escapes of a URI fragment (UTF-8), leaving malformed escapes as they are.</summary>
    public static string PercentDecode(string s)
    {
        if (!s.Contains('%')) return s;
        var bytes = new List<byte>(s.Length);
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] == '%' && i + 2 < s.Length && Uri.IsHexDigit(s[i + 1]) && Uri.IsHexDigit(s[i + 2]))
            {
                bytes.Add(Convert.ToByte(s.Substring(i + 1, 2), 16));
                i += 2;
            }
            else bytes.AddRange(Encoding.UTF8.GetBytes(s[i].ToString()));
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    /// <summary>Splits a pointer into unescaped tokens; null when the text is not a pointer.</summary>
    public static string[]? Parse(string pointer)
    {
        if (pointer.Length == 0) return [];
        if (pointer[0] != '/') return null;
        var parts = pointer[1..].Split('/');
        for (int i = 0; i < parts.Length; i++) parts[i] = parts[i].Replace("~1", "/").Replace("~0", "~");
        return parts;
    }

    /// <summary>Walks <paramref name="root"/> along the tokens; false when a token does not exist.</summary>
    public static bool TryNavigate(JsonElement root, IEnumerable<string> tokens, out JsonElement result)
    {
        result = root;
        foreach (var token in tokens)
        {
            if (result.ValueKind == JsonValueKind.Object)
            {
                if (!result.TryGetProperty(token, out result)) return false;
            }
            else if (result.ValueKind == JsonValueKind.Array)
            {
                if (!int.TryParse(token, System.Globalization.NumberStyles.None, null, out int index)
                    || index >= result.GetArrayLength() || (token.Length > 1 && token[0] == '0')) return false;
                result = result[index];
            }
            else return false;
        }
        return true;
    }
}
