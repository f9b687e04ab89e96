using System.Linq.Expressions;

namespace Millrace.Core.Expressions;

/// <summary>A bound sub-expression: the LINQ expression computing it and its static type.</summary>
/// <param name="Enum">For a number read from an enum field: the enum type, so string literals can name its members.</param>
internal readonly record struct Bound(Expression Expression, ExpressionValueType Type, Type? Enum = null)
{
    public static Bound Number(Expression e) => new(e, ExpressionValueType.Number);
    public static Bound Boolean(Expression e) => new(e, ExpressionValueType.Boolean);
    public static Bound String(Expression e) => new(e, ExpressionValueType.String);
    public static Bound Timestamp(Expression e) => new(e, ExpressionValueType.Timestamp);
    public static Bound Duration(Expression e) => new(e, ExpressionValueType.Duration);
    public static Bound Json(Expression e) => new(e, ExpressionValueType.Json);

    public bool IsDynamic => Type is ExpressionValueType.Json or ExpressionValueType.Null;
}
