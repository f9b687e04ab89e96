namespace Millrace.Core.Expressions;

/// <summary>
/// The static types of the expression language. Every sub-expression has exactly one, decided at compile time,
/// so a type error is a compile error with a column, never a surprise at evaluation.
/// </summary>
public enum ExpressionValueType
{
    /// <summary>A 64-bit floating point number (<see cref="double"/>); integers are promoted to it. Missing is NaN.</summary>
    Number,
    /// <summary><c>true</c> or <c>false</c>; a boolean is never missing.</summary>
    Boolean,
    /// <summary>Text (<see cref="string"/>); missing is <c>null</c>.</summary>
    String,
    /// <summary>A point in time (<see cref="DateTimeOffset"/>); missing is a null <see cref="Nullable{T}"/>.</summary>
    Timestamp,
    /// <summary>A length of time (<see cref="TimeSpan"/>), written <c>500ms</c>, <c>5s</c>, <c>2m</c>, <c>1h</c>, <c>1d</c>.</summary>
    Duration,
    /// <summary>
    /// A value whose type is known only at run time: a <see cref="System.Text.Json.JsonElement"/>. It takes the type the
    /// other operand or the function argument needs; missing is an element of kind Undefined (or JSON null).
    /// </summary>
    Json,
    /// <summary>The type of the literal <c>null</c>: it takes the type of whatever it is combined with, as its missing value.</summary>
    Null,
}

/// <summary>Names of <see cref="ExpressionValueType"/> as error messages and documentation spell them.</summary>
public static class ExpressionValueTypeNames
{
    /// <summary>The lower-case name used in messages: number, boolean, string, timestamp, duration, json, null.</summary>
    public static string Name(this ExpressionValueType type) => type switch
    {
        ExpressionValueType.Number => "number",
        ExpressionValueType.Boolean => "boolean",
        ExpressionValueType.String => "string",
        ExpressionValueType.Timestamp => "timestamp",
        ExpressionValueType.Duration => "duration",
        ExpressionValueType.Json => "json",
        _ => "null",
    };
}
