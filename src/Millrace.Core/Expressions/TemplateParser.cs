using System.Text;

namespace Millrace.Core.Expressions;

/// <summary>
/// Splits a text template such as <c>Order {data.order} confirmed: {data.confirmed} {upper(data.unit)}</c> into literal
/// text and expression holes. <c>{{</c> and <c>}}</c> are literal braces; braces inside quoted strings of a hole do not
/// end it. Errors in a hole are reported at their column in the whole template.
/// </summary>
internal static class TemplateParser
{
    /// <summary>A literal run (<see cref="Expression"/> null) or a hole: its text, parsed expression and 0-based start in the template.</summary>
    public readonly record struct Part(string? Literal, SyntaxNode? Expression, string? HoleText, int HoleStart = 0);

    public static List<Part> Parse(string template, ExpressionOptions options)
    {
        if (template.Length > options.MaxLength)
            throw new ExpressionException(options.MaxLength + 1, template.Length - options.MaxLength,
                $"template is too long ({template.Length} characters; the limit is {options.MaxLength})");
        var parts = new List<Part>();
        var literal = new StringBuilder();
        var i = 0;
        while (i < template.Length)
        {
            var c = template[i];
            if (c == '{' && i + 1 < template.Length && template[i + 1] == '{') { literal.Append('{'); i += 2; continue; }
            if (c == '}' && i + 1 < template.Length && template[i + 1] == '}') { literal.Append('}'); i += 2; continue; }
            if (c == '}') throw new ExpressionException(i + 1, 1, "unmatched '}' in template (write '}}' for a literal brace)");
            if (c != '{') { literal.Append(c); i++; continue; }

            var open = i;
            var close = FindClose(template, open + 1);
            if (close < 0) throw new ExpressionException(open + 1, template.Length - open, "'{' is not closed in template (write '{{' for a literal brace)");
            var hole = template.Substring(open + 1, close - open - 1);
            SyntaxNode node;
            try
            {
                node = Parser.Parse(hole, options);
            }
            catch (ExpressionException e)
            {
                throw new ExpressionException(e.Column + open + 1, e.Length, e.Reason);
            }
            if (literal.Length > 0) parts.Add(new Part(literal.ToString(), null, null));
            literal.Clear();
            parts.Add(new Part(null, node, hole, open + 1));
            i = close + 1;
        }
        if (literal.Length > 0) parts.Add(new Part(literal.ToString(), null, null));
        return parts;
    }

    // The '}' ending a hole, skipping quoted strings (with escapes); -1 when there is none.
    private static int FindClose(string text, int i)
    {
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '}') return i;
            if (c is '\'' or '"')
            {
                var quote = c;
                i++;
                while (i < text.Length && text[i] != quote) i += text[i] == '\\' ? 2 : 1;
            }
            i++;
        }
        return -1;
    }
}
