namespace Millrace.Core.Expressions;

/// <summary>Limits and services for parsing and compiling expressions. The defaults suit configuration files.</summary>
public sealed record ExpressionOptions
{
    /// <summary>The defaults: 4096 characters, depth 64, the system clock.</summary>
    public static ExpressionOptions Default { get; } = new();

    /// <summary>Longest accepted expression text, in characters.</summary>
    public int MaxLength { get; init; } = 4096;

    /// <summary>
    /// Deepest accepted syntax tree. Every operator, function call, index and parenthesised group adds a level,
    /// so a chain like <c>a + b + c</c> is as deep as it has operators.
    /// </summary>
    public int MaxDepth { get; init; } = 64;

    /// <summary>The clock <c>now()</c> reads; nothing else in the language can observe time.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
