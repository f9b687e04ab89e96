namespace Millrace.Core.Expressions;

/// <summary>
/// A node of the syntax tree with its source span (0-based <see cref="Start"/>, <see cref="Length"/>) and its depth
/// (1 for a leaf), so every later error can point at the text it is about.
/// </summary>
internal abstract class SyntaxNode(int start, int length, int depth)
{
    public int Start { get; } = start;
    public int Length { get; } = length;
    public int Depth { get; } = depth;
    public int End => Start + Length;

    /// <summary>An error about this whole node.</summary>
    public ExpressionException Error(string reason) => new(Start + 1, Length, reason);
}

/// <summary>The operators of the language (binary and unary).</summary>
internal enum Operator
{
    Add, Subtract, Multiply, Divide, Modulo,
    Less, LessEqual, Greater, GreaterEqual, Equal, NotEqual,
    And, Or, Not, Negate,
}

/// <summary>A literal: number (double), string, boolean, null or duration (TimeSpan).</summary>
internal sealed class LiteralNode(int start, int length, ExpressionValueType type, object? value)
    : SyntaxNode(start, length, 1)
{
    public ExpressionValueType Type { get; } = type;
    public object? Value { get; } = value;
}

/// <summary>A bare name: the first segment of a field path.</summary>
internal sealed class IdentifierNode(int start, int length, string name) : SyntaxNode(start, length, 1)
{
    public string Name { get; } = name;
}

/// <summary><c>target.name</c>.</summary>
internal sealed class MemberNode(SyntaxNode target, string name, int end)
    : SyntaxNode(target.Start, end - target.Start, target.Depth + 1)
{
    public SyntaxNode Target { get; } = target;
    public string Name { get; } = name;
}

/// <summary><c>target[index]</c>.</summary>
internal sealed class IndexNode(SyntaxNode target, SyntaxNode index, int end)
    : SyntaxNode(target.Start, end - target.Start, Math.Max(target.Depth, index.Depth) + 1)
{
    public SyntaxNode Target { get; } = target;
    public SyntaxNode Index { get; } = index;
}

/// <summary><c>name(arguments)</c>: a call of a whitelisted function.</summary>
internal sealed class CallNode(int start, int nameLength, string name, IReadOnlyList<SyntaxNode> arguments, int end)
    : SyntaxNode(start, end - start, (arguments.Count == 0 ? 0 : arguments.Max(a => a.Depth)) + 1)
{
    public string Name { get; } = name;
    public int NameLength { get; } = nameLength;
    public IReadOnlyList<SyntaxNode> Arguments { get; } = arguments;
}

/// <summary>A prefix operator: <c>-x</c>, <c>not x</c>, <c>!x</c>; <see cref="OperatorStart"/> locates the operator.</summary>
internal sealed class UnaryNode(int operatorStart, int operatorLength, Operator op, SyntaxNode operand)
    : SyntaxNode(operatorStart, operand.End - operatorStart, operand.Depth + 1)
{
    public int OperatorStart { get; } = operatorStart;
    public int OperatorLength { get; } = operatorLength;
    public Operator Operator { get; } = op;
    public SyntaxNode Operand { get; } = operand;
}

/// <summary><c>left op right</c>; <see cref="OperatorStart"/> locates the operator for type errors.</summary>
internal sealed class BinaryNode(SyntaxNode left, int operatorStart, int operatorLength, Operator op, SyntaxNode right)
    : SyntaxNode(left.Start, right.End - left.Start, Math.Max(left.Depth, right.Depth) + 1)
{
    public SyntaxNode Left { get; } = left;
    public int OperatorStart { get; } = operatorStart;
    public int OperatorLength { get; } = operatorLength;
    public Operator Operator { get; } = op;
    public SyntaxNode Right { get; } = right;

    /// <summary>An error located at the operator.</summary>
    public ExpressionException OperatorError(string reason) => new(OperatorStart + 1, OperatorLength, reason);
}

/// <summary><c>value in [items]</c> or <c>value not in [items]</c>.</summary>
internal sealed class InNode(SyntaxNode value, int operatorStart, int operatorLength, bool negated, IReadOnlyList<SyntaxNode> items, int end)
    : SyntaxNode(value.Start, end - value.Start, Math.Max(value.Depth, items.Count == 0 ? 0 : items.Max(a => a.Depth)) + 1)
{
    public SyntaxNode Value { get; } = value;
    public int OperatorStart { get; } = operatorStart;
    public int OperatorLength { get; } = operatorLength;
    public bool Negated { get; } = negated;
    public IReadOnlyList<SyntaxNode> Items { get; } = items;
}

/// <summary><c>condition ? whenTrue : whenFalse</c> (also what <c>if(c, a, b)</c> means).</summary>
internal sealed class ConditionalNode(SyntaxNode condition, SyntaxNode whenTrue, SyntaxNode whenFalse)
    : SyntaxNode(condition.Start, whenFalse.End - condition.Start, Math.Max(condition.Depth, Math.Max(whenTrue.Depth, whenFalse.Depth)) + 1)
{
    public SyntaxNode Condition { get; } = condition;
    public SyntaxNode WhenTrue { get; } = whenTrue;
    public SyntaxNode WhenFalse { get; } = whenFalse;
}
