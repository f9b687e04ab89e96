using System.Globalization;
using System.Text;

namespace Millrace.Core.Expressions;

/// <summary>Turns expression text into tokens. Errors carry the 1-based column of the offending character.</summary>
internal static class Lexer
{
    /// <summary>Tokenizes <paramref name="text"/>; the list always ends with one <see cref="TokenKind.End"/> token.</summary>
    public static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>(Math.Min(text.Length / 2 + 1, 512));
        var i = 0;
        while (true)
        {
            while (i < text.Length && text[i] is ' ' or '\t' or '\r' or '\n') i++;
            if (i >= text.Length)
            {
                tokens.Add(new Token(TokenKind.End, text.Length, 0));
                return tokens;
            }
            var c = text[i];
            if (char.IsAsciiDigit(c)) tokens.Add(ReadNumber(text, ref i));
            else if (char.IsAsciiLetter(c) || c == '_') tokens.Add(ReadWord(text, ref i));
            else if (c is '\'' or '"') tokens.Add(ReadString(text, ref i));
            else tokens.Add(ReadSymbol(text, ref i));
        }
    }

    private static Token ReadWord(string text, ref int i)
    {
        var start = i;
        while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_')) i++;
        var word = text[start..i];
        var kind = word switch
        {
            "true" => TokenKind.True,
            "false" => TokenKind.False,
            "null" => TokenKind.Null,
            "and" => TokenKind.And,
            "or" => TokenKind.Or,
            "not" => TokenKind.Not,
            "in" => TokenKind.In,
            _ => TokenKind.Identifier,
        };
        return new Token(kind, start, i - start, word);
    }

    private static Token ReadNumber(string text, ref int i)
    {
        var start = i;
        var value = ReadDecimal(text, ref i);
        if (i >= text.Length || !(char.IsAsciiLetter(text[i]) || text[i] == '_'))
            return new Token(TokenKind.Number, start, i - start, Number: value);

        // A number followed by a unit is a duration; components may repeat: 1h30m, 2m30s500ms.
        double ticks = 0;
        while (true)
        {
            var unitStart = i;
            while (i < text.Length && char.IsAsciiLetter(text[i])) i++;
            var unit = text[unitStart..i];
            double perUnit = unit switch
            {
                "ms" => TimeSpan.TicksPerMillisecond,
                "s" => TimeSpan.TicksPerSecond,
                "m" => TimeSpan.TicksPerMinute,
                "h" => TimeSpan.TicksPerHour,
                "d" => TimeSpan.TicksPerDay,
                _ => 0,
            };
            if (perUnit == 0)
            {
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_')) i++;
                throw new ExpressionException(unitStart + 1, Math.Max(1, i - unitStart),
                    $"invalid number '{text[start..i]}': '{(unit.Length == 0 ? text[unitStart].ToString() : unit)}' is not a duration unit (use ms, s, m, h or d)");
            }
            ticks += value * perUnit;
            if (i >= text.Length || !char.IsAsciiDigit(text[i])) break;
            value = ReadDecimal(text, ref i);
            if (i >= text.Length || !char.IsAsciiLetter(text[i]))
                throw new ExpressionException(start + 1, i - start, $"invalid duration '{text[start..i]}': every part needs a unit (ms, s, m, h or d)");
        }
        if (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '_'))
            throw new ExpressionException(i + 1, 1, $"invalid duration '{text[start..(i + 1)]}'");
        if (!(Math.Abs(ticks) <= TimeSpan.MaxValue.Ticks / 2.0))
            throw new ExpressionException(start + 1, i - start, $"duration '{text[start..i]}' is out of range");
        return new Token(TokenKind.Duration, start, i - start, Duration: TimeSpan.FromTicks((long)Math.Round(ticks)));
    }

    // digits [. digits] [(e|E) [+|-] digits]; a dot not followed by a digit is member access, not a decimal point.
    private static double ReadDecimal(string text, ref int i)
    {
        var start = i;
        while (i < text.Length && char.IsAsciiDigit(text[i])) i++;
        if (i + 1 < text.Length && text[i] == '.' && char.IsAsciiDigit(text[i + 1]))
        {
            i++;
            while (i < text.Length && char.IsAsciiDigit(text[i])) i++;
        }
        if (i < text.Length && text[i] is 'e' or 'E')
        {
            var j = i + 1;
            if (j < text.Length && text[j] is '+' or '-') j++;
            if (j < text.Length && char.IsAsciiDigit(text[j]))
            {
                i = j;
                while (i < text.Length && char.IsAsciiDigit(text[i])) i++;
            }
        }
        var value = double.Parse(text.AsSpan(start, i - start), NumberStyles.Float, CultureInfo.InvariantCulture);
        if (double.IsInfinity(value))
            throw new ExpressionException(start + 1, i - start, $"number '{text[start..i]}' is out of range");
        return value;
    }

    private static Token ReadString(string text, ref int i)
    {
        var start = i;
        var quote = text[i++];
        StringBuilder? sb = null;
        var runStart = i;
        while (true)
        {
            if (i >= text.Length)
                throw new ExpressionException(start + 1, text.Length - start, "unterminated string (missing closing " + (quote == '\'' ? "'\\''" : "'\"'") + ")");
            var c = text[i];
            if (c == quote)
            {
                var value = sb is null ? text[runStart..i] : sb.Append(text, runStart, i - runStart).ToString();
                i++;
                return new Token(TokenKind.String, start, i - start, value);
            }
            if (c != '\\')
            {
                i++;
                continue;
            }
            sb ??= new StringBuilder();
            sb.Append(text, runStart, i - runStart);
            if (i + 1 >= text.Length)
                throw new ExpressionException(start + 1, text.Length - start, "unterminated string (missing closing " + (quote == '\'' ? "'\\''" : "'\"'") + ")");
            var e = text[i + 1];
            switch (e)
            {
                case '\\': sb.Append('\\'); i += 2; break;
                case '\'': sb.Append('\''); i += 2; break;
                case '"': sb.Append('"'); i += 2; break;
                case 'n': sb.Append('\n'); i += 2; break;
                case 'r': sb.Append('\r'); i += 2; break;
                case 't': sb.Append('\t'); i += 2; break;
                case '0': sb.Append('\0'); i += 2; break;
                case 'u':
                    if (i + 6 > text.Length || !ushort.TryParse(text.AsSpan(i + 2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                        throw new ExpressionException(i + 1, Math.Min(6, text.Length - i), "invalid escape: '\\u' needs four hex digits");
                    sb.Append((char)code);
                    i += 6;
                    break;
                default:
                    throw new ExpressionException(i + 1, 2, $"unknown escape '\\{e}' in string (use \\\\, \\', \\\", \\n, \\r, \\t, \\0 or \\uXXXX)");
            }
            runStart = i;
        }
    }

    private static Token ReadSymbol(string text, ref int i)
    {
        var start = i;
        var c = text[i];
        var next = i + 1 < text.Length ? text[i + 1] : '\0';
        (TokenKind kind, int length) = c switch
        {
            '(' => (TokenKind.LeftParen, 1),
            ')' => (TokenKind.RightParen, 1),
            '[' => (TokenKind.LeftBracket, 1),
            ']' => (TokenKind.RightBracket, 1),
            ',' => (TokenKind.Comma, 1),
            '.' => (TokenKind.Dot, 1),
            '?' => (TokenKind.Question, 1),
            ':' => (TokenKind.Colon, 1),
            '+' => (TokenKind.Plus, 1),
            '-' => (TokenKind.Minus, 1),
            '*' => (TokenKind.Star, 1),
            '/' => (TokenKind.Slash, 1),
            '%' => (TokenKind.Percent, 1),
            '<' => next == '=' ? (TokenKind.LessEqual, 2) : (TokenKind.Less, 1),
            '>' => next == '=' ? (TokenKind.GreaterEqual, 2) : (TokenKind.Greater, 1),
            '=' when next == '=' => (TokenKind.EqualEqual, 2),
            '!' => next == '=' ? (TokenKind.BangEqual, 2) : (TokenKind.Bang, 1),
            '&' when next == '&' => (TokenKind.AmpAmp, 2),
            '|' when next == '|' => (TokenKind.PipePipe, 2),
            _ => (TokenKind.End, 0),
        };
        if (length == 0)
        {
            var hint = c switch
            {
                '=' => " (use '==' to compare)",
                '&' => " (use 'and' or '&&')",
                '|' => " (use 'or' or '||')",
                _ => "",
            };
            var shown = char.IsControl(c) || char.IsSurrogate(c) ? $"U+{(int)c:X4}" : c.ToString();
            throw new ExpressionException(start + 1, 1, $"unexpected character '{shown}'{hint}");
        }
        i += length;
        return new Token(kind, start, length);
    }
}
