namespace Millrace.Core.Expressions;

/// <summary>
/// An expression parsed once and checked against the syntax limits. Compile it against one or more scopes with
/// <see cref="ExpressionCompiler"/>; it holds no reference to any scope.
/// </summary>
public sealed class ParsedExpression
{
    internal ParsedExpression(string text, SyntaxNode root, ExpressionOptions options)
    {
        Text = text;
        Root = root;
        Options = options;
    }

    /// <summary>The source text.</summary>
    public string Text { get; }

    internal SyntaxNode Root { get; }

    /// <summary>The options it was parsed with (and, unless others are given, compiled with).</summary>
    public ExpressionOptions Options { get; }

    /// <inheritdoc />
    public override string ToString() => Text;
}
