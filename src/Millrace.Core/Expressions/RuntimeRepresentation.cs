using System.Linq.Expressions;
using System.Text.Json;

namespace Millrace.Core.Expressions;

/// <summary>
/// Maps CLR types of context members to the language's types and their runtime representation:
/// number = double (NaN when missing), boolean = bool, string = string, timestamp = DateTimeOffset?,
/// duration = TimeSpan?, json = JsonElement.
/// </summary>
internal static class RuntimeRepresentation
{
    /// <summary>The CLR type that carries values of <paramref name="type"/> inside compiled expressions.</summary>
    public static Type ClrType(ExpressionValueType type) => type switch
    {
        ExpressionValueType.Number => typeof(double),
        ExpressionValueType.Boolean => typeof(bool),
        ExpressionValueType.String => typeof(string),
        ExpressionValueType.Timestamp => typeof(DateTimeOffset?),
        ExpressionValueType.Duration => typeof(TimeSpan?),
        ExpressionValueType.Json => typeof(JsonElement),
        _ => typeof(object),
    };

    /// <summary>
    /// Converts <paramref name="read"/> to the runtime representation and tells its language type, or throws
    /// <see cref="ArgumentException"/> for a CLR type the language has no type for.
    /// </summary>
    public static Expression Normalize(Expression read, string fieldName, out ExpressionValueType type)
    {
        var clr = read.Type;
        var underlying = Nullable.GetUnderlyingType(clr);
        var core = underlying ?? clr;
        if (core.IsEnum) core = Enum.GetUnderlyingType(core);

        if (IsNumeric(core))
        {
            type = ExpressionValueType.Number;
            if (underlying is null) return clr == typeof(double) ? read : Expression.Convert(read, typeof(double));
            // A null nullable number reads as missing (NaN).
            return Expression.Coalesce(Expression.Convert(read, typeof(double?)), Expression.Constant(double.NaN));
        }
        if (core == typeof(bool))
        {
            type = ExpressionValueType.Boolean;
            return underlying is null ? read : Expression.Coalesce(read, Expression.Constant(false));
        }
        if (core == typeof(string))
        {
            type = ExpressionValueType.String;
            return read;
        }
        if (core == typeof(DateTimeOffset))
        {
            type = ExpressionValueType.Timestamp;
            return underlying is null ? Expression.Convert(read, typeof(DateTimeOffset?)) : read;
        }
        if (core == typeof(TimeSpan))
        {
            type = ExpressionValueType.Duration;
            return underlying is null ? Expression.Convert(read, typeof(TimeSpan?)) : read;
        }
        if (core == typeof(JsonElement))
        {
            type = ExpressionValueType.Json;
            return underlying is null ? read : Expression.Coalesce(read, Expression.Constant(default(JsonElement)));
        }
        throw new ArgumentException(
            $"field '{fieldName}' has type {clr.Name}, which expressions cannot use (use a number type, an enum, bool, string, DateTimeOffset, TimeSpan or JsonElement)",
            nameof(read));
    }

    private static bool IsNumeric(Type t) =>
        t == typeof(double) || t == typeof(float) || t == typeof(int) || t == typeof(long) || t == typeof(short) ||
        t == typeof(byte) || t == typeof(sbyte) || t == typeof(uint) || t == typeof(ulong) || t == typeof(ushort) ||
        t == typeof(decimal);
}
