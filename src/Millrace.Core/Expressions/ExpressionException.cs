namespace Millrace.Core.Expressions;

/// <summary>
/// A syntax, type or limit error in an expression's text. <see cref="Column"/> and <see cref="Length"/> locate the
/// offending text so the caller can turn them into <c>file:line:col</c> of the YAML scalar the expression came from;
/// <see cref="Reason"/> is the message without the position.
/// </summary>
public sealed class ExpressionException : Exception
{
    /// <summary>Creates an error at a 1-based column.</summary>
    public ExpressionException(int column, int length, string reason)
        : base($"{reason} at column {column}")
    {
        Column = column;
        Length = Math.Max(0, length);
        Reason = reason;
    }

    /// <summary>
    /// 1-based column of the first offending character, counted in UTF-16 code units from the start of the text
    /// (a line break counts as one character). One past the end for "unexpected end of expression".
    /// </summary>
    public int Column { get; }

    /// <summary>How many characters the error covers (0 at the end of the text).</summary>
    public int Length { get; }

    /// <summary>What is wrong, without the position, e.g. <c>expected ')', found end of expression</c>.</summary>
    public string Reason { get; }
}
