namespace Millrace.Core.Expressions;

/// <summary>The kinds of token the lexer produces.</summary>
internal enum TokenKind
{
    End,
    Number,
    Duration,
    String,
    Identifier,
    True,
    False,
    Null,
    And,
    Or,
    Not,
    In,
    LeftParen,
    RightParen,
    LeftBracket,
    RightBracket,
    Comma,
    Dot,
    Question,
    Colon,
    Plus,
    Minus,
    Star,
    Slash,
    Percent,
    Less,
    LessEqual,
    Greater,
    GreaterEqual,
    EqualEqual,
    BangEqual,
    Bang,
    AmpAmp,
    PipePipe,
}

/// <summary>
/// One token: its kind, where it is (0-based start, length) and its value: <see cref="Text"/> for identifiers and
/// (unescaped) strings, <see cref="Number"/> for numbers, <see cref="Duration"/> for duration literals.
/// </summary>
internal readonly record struct Token(TokenKind Kind, int Start, int Length, string? Text = null, double Number = 0, TimeSpan Duration = default)
{
    /// <summary>Whether this token can name a member after a dot (identifiers and the word keywords).</summary>
    public bool IsWord => Kind is TokenKind.Identifier or TokenKind.True or TokenKind.False or TokenKind.Null
        or TokenKind.And or TokenKind.Or or TokenKind.Not or TokenKind.In;
}
