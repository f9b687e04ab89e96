using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;

namespace Millrace.Schema.Internal;

/// <summary>
/// ECMA-262 (with the "u" flag) regular expressions on .NET: the pattern is translated once so that \d, \w, \s,
/// '.', '$' and \p{...} mean what JSON Schema authors expect, then compiled and cached.
/// </summary>
internal static class EcmaRegex
{
    private static readonly ConcurrentDictionary<string, Regex> Cache = new(StringComparer.Ordinal);
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(2);

    private const string Space = @"\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff";
    private const string NotWordInClass = @"\u0000-/:-@\[-\^`{-\uffff";
    private const string NotDigitInClass = @"\u0000-/:-\uffff";
    private const string AnyButLineEnd = @"(?:[\ud800-\udbff][\udc00-\udfff]|[^\n\r\u2028\u2029])";

    private static readonly Dictionary<string, string> Categories = new(StringComparer.Ordinal)
    {
        ["Letter"] = "L", ["Cased_Letter"] = "L", ["Uppercase_Letter"] = "Lu", ["Lowercase_Letter"] = "Ll",
        ["Titlecase_Letter"] = "Lt", ["Modifier_Letter"] = "Lm", ["Other_Letter"] = "Lo", ["Mark"] = "M",
        ["Nonspacing_Mark"] = "Mn", ["Spacing_Mark"] = "Mc", ["Enclosing_Mark"] = "Me", ["Number"] = "N",
        ["Decimal_Number"] = "Nd", ["digit"] = "Nd", ["Letter_Number"] = "Nl", ["Other_Number"] = "No",
        ["Punctuation"] = "P", ["punct"] = "P", ["Connector_Punctuation"] = "Pc", ["Dash_Punctuation"] = "Pd",
        ["Open_Punctuation"] = "Ps", ["Close_Punctuation"] = "Pe", ["Initial_Punctuation"] = "Pi",
        ["Final_Punctuation"] = "Pf", ["Other_Punctuation"] = "Po", ["Symbol"] = "S", ["Math_Symbol"] = "Sm",
        ["Currency_Symbol"] = "Sc", ["Modifier_Symbol"] = "Sk", ["Other_Symbol"] = "So", ["Separator"] = "Z",
        ["Space_Separator"] = "Zs", ["Line_Separator"] = "Zl", ["Paragraph_Separator"] = "Zp", ["Other"] = "C",
        ["Control"] = "Cc", ["cntrl"] = "Cc", ["Format"] = "Cf", ["Surrogate"] = "Cs", ["Private_Use"] = "Co",
        ["Unassigned"] = "Cn",
    };

    /// <summary>The compiled .NET regex for an ECMA-262 pattern; throws <see cref="ArgumentException"/> if invalid.</summary>
    public static Regex Get(string pattern) => Cache.GetOrAdd(pattern, static p =>
        new Regex(Translate(p), RegexOptions.CultureInvariant | RegexOptions.Compiled, MatchTimeout));

    /// <summary>Matches, treating a pathological (timed-out) match as no match rather than crashing.</summary>
    public static bool IsMatch(Regex regex, ReadOnlySpan<char> text)
    {
        try { return regex.IsMatch(text); }
        catch (RegexMatchTimeoutException) { return false; }
    }

    /// <summary>Rewrites ECMA-262 syntax whose meaning differs in .NET.</summary>
    public static string Translate(string pattern)
    {
        var sb = new StringBuilder(pattern.Length + 16);
        bool inClass = false;
        for (int i = 0; i < pattern.Length; i++)
        {
            char c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length)
            {
                char e = pattern[++i];
                switch (e)
                {
                    case 'd': sb.Append(inClass ? "0-9" : "[0-9]"); break;
                    case 'D': sb.Append(inClass ? NotDigitInClass : "[^0-9]"); break;
                    case 'w': sb.Append(inClass ? "a-zA-Z0-9_" : "[a-zA-Z0-9_]"); break;
                    case 'W': sb.Append(inClass ? NotWordInClass : "[^a-zA-Z0-9_]"); break;
                    case 's': sb.Append(inClass ? Space : "[" + Space + "]"); break;
                    case 'S': sb.Append(inClass ? @"\S" : "[^" + Space + "]"); break;
                    case 'p' or 'P' when i + 1 < pattern.Length && pattern[i + 1] == '{':
                    {
                        int close = pattern.IndexOf('}', i);
                        if (close < 0) throw new ArgumentException("unterminated \\p{...}");
                        var name = pattern[(i + 2)..close];
                        int eq = name.IndexOf('=');
                        if (eq >= 0 && name[..eq] is "General_Category" or "gc") name = name[(eq + 1)..];
                        string net = Categories.TryGetValue(name, out var shortName) ? shortName
                            : name.StartsWith("Script=", StringComparison.Ordinal) || name.StartsWith("sc=", StringComparison.Ordinal)
                                ? "Is" + name[(name.IndexOf('=') + 1)..]
                                : name;
                        sb.Append('\\').Append(e).Append('{').Append(net).Append('}');
                        i = close;
                        break;
                    }
                    case 'u' when i + 1 < pattern.Length && pattern[i + 1] == '{':
                    {
                        int close = pattern.IndexOf('}', i);
                        if (close < 0) throw new ArgumentException("unterminated \\u{...}");
                        int cp = Convert.ToInt32(pattern[(i + 2)..close], 16);
                        AppendLiteral(sb, char.ConvertFromUtf32(cp), inClass);
                        i = close;
                        break;
                    }
                    default: sb.Append('\\').Append(e); break;
                }
                continue;
            }
            if (inClass)
            {
                if (c == ']') inClass = false;
                if (c == '[') sb.Append('\\');
                sb.Append(c);
                continue;
            }
            switch (c)
            {
                case '[':
                    if (pattern.AsSpan(i).StartsWith("[^]")) { sb.Append(@"[\s\S]"); i += 2; break; }
                    if (pattern.AsSpan(i).StartsWith("[]")) { sb.Append("(?!)"); i += 1; break; }
                    inClass = true;
                    sb.Append(c);
                    if (i + 1 < pattern.Length && pattern[i + 1] == '^') { sb.Append('^'); i++; }
                    // A ']' right after '[' or '[^' is literal in .NET but closes an (empty) class in ECMA-262;
                    // both cases were handled above, so nothing more to do here.
                    break;
                case '.': sb.Append(AnyButLineEnd); break;
                case '$': sb.Append(@"\z"); break;
                default:
                    if (char.IsHighSurrogate(c) && i + 1 < pattern.Length && char.IsLowSurrogate(pattern[i + 1]))
                    {
                        // An astral code point is one atom in ECMA-262 "u" mode: keep a quantifier on both halves.
                        sb.Append("(?:").Append(c).Append(pattern[++i]).Append(')');
                    }
                    else sb.Append(c);
                    break;
            }
        }
        return sb.ToString();
    }

    private static void AppendLiteral(StringBuilder sb, string text, bool inClass)
    {
        if (text.Length == 2 && !inClass) sb.Append("(?:").Append(Regex.Escape(text)).Append(')');
        else sb.Append(Regex.Escape(text));
    }
}
