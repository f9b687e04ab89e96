using System.Linq.Expressions;

namespace Millrace.Core.Expressions;

internal sealed partial class Binder
{
    private Bound BindUnary(UnaryNode node)
    {
        var operand = Bind(node.Operand);
        var op = Spelling(node.OperatorStart, node.OperatorLength);
        if (node.Operator == Operator.Not)
        {
            if (!TryCoerce(operand, ExpressionValueType.Boolean, out var b))
                throw Error(node.OperatorStart, node.OperatorLength, $"the operand of '{op}' must be boolean, found {operand.Type.Name()}");
            return Bound.Boolean(Expression.Not(b.Expression));
        }
        if (operand.IsDynamic) Coerce(ref operand, ExpressionValueType.Number, node.Operand);
        return operand.Type switch
        {
            ExpressionValueType.Number => Bound.Number(Expression.Negate(operand.Expression)),
            ExpressionValueType.Duration => Bound.Duration(Expression.Call(Methods.Runtime(nameof(ExpressionRuntime.NegateDuration), typeof(TimeSpan?)), operand.Expression)),
            _ => throw Error(node.OperatorStart, node.OperatorLength, $"cannot negate a {operand.Type.Name()}"),
        };
    }

    private Bound BindBinary(BinaryNode node)
    {
        var left = Bind(node.Left);
        var right = Bind(node.Right);
        switch (node.Operator)
        {
            case Operator.And or Operator.Or:
            {
                var op = Spelling(node.OperatorStart, node.OperatorLength);
                if (!TryCoerce(left, ExpressionValueType.Boolean, out var l))
                    throw node.Left.Error($"the operands of '{op}' must be boolean, found {left.Type.Name()}");
                if (!TryCoerce(right, ExpressionValueType.Boolean, out var r))
                    throw node.Right.Error($"the operands of '{op}' must be boolean, found {right.Type.Name()}");
                return Bound.Boolean(node.Operator == Operator.And
                    ? Expression.AndAlso(l.Expression, r.Expression)
                    : Expression.OrElse(l.Expression, r.Expression));
            }
            case Operator.Equal:
                ResolveEnumLiteral(left, ref right, node.Right);
                ResolveEnumLiteral(right, ref left, node.Left);
                return Bound.Boolean(BuildEquals(left, right, node));
            case Operator.NotEqual:
                ResolveEnumLiteral(left, ref right, node.Right);
                ResolveEnumLiteral(right, ref left, node.Left);
                return Bound.Boolean(Expression.Not(BuildEquals(left, right, node)));
            case Operator.Less or Operator.LessEqual or Operator.Greater or Operator.GreaterEqual:
                return Bound.Boolean(BuildOrder(left, right, node));
            default:
                return BindArithmetic(left, right, node);
        }
    }

    /// <summary>Equality: missing equals missing (null == null), never anything else; json compares without allocating.</summary>
    private Expression BuildEquals(Bound left, Bound right, SyntaxNode at)
    {
        if (left.Type == ExpressionValueType.Null && right.Type == ExpressionValueType.Null) return Expression.Constant(true);
        if (right.Type == ExpressionValueType.Json && left.Type != ExpressionValueType.Json) (left, right) = (right, left);
        if (left.Type == ExpressionValueType.Json)
        {
            switch (right.Type)
            {
                case ExpressionValueType.String:
                    if (right.Expression is ConstantExpression { Value: string literal })
                        return Expression.Call(Methods.Json(nameof(JsonRuntime.EqualsUtf8)), left.Expression,
                            Expression.Constant(System.Text.Encoding.UTF8.GetBytes(literal)));
                    return Expression.Call(Methods.Json(nameof(JsonRuntime.EqualsString)), left.Expression, right.Expression);
                case ExpressionValueType.Boolean:
                    return Expression.Call(Methods.Json(nameof(JsonRuntime.EqualsBoolean)), left.Expression, right.Expression);
                case ExpressionValueType.Null:
                    return Expression.Call(Methods.Json(nameof(JsonRuntime.IsMissing)), left.Expression);
                case ExpressionValueType.Json:
                    return Expression.Call(Methods.Json(nameof(JsonRuntime.Equal)), left.Expression, right.Expression);
            }
        }
        var type = Unify(left.Type, right.Type) ?? throw TypeError(at, $"cannot compare {left.Type.Name()} with {right.Type.Name()}");
        Coerce(ref left, type, at);
        Coerce(ref right, type, at);
        switch (type)
        {
            case ExpressionValueType.Number:
                // Against a literal number the plain IL comparison is exact; NaN-aware equality is only needed otherwise.
                if (IsOrdinaryConstant(left.Expression) || IsOrdinaryConstant(right.Expression))
                    return Expression.Equal(left.Expression, right.Expression);
                return Expression.Call(Methods.Runtime(nameof(ExpressionRuntime.NumberEquals), typeof(double), typeof(double)), left.Expression, right.Expression);
            case ExpressionValueType.Boolean:
                return Expression.Equal(left.Expression, right.Expression);
            case ExpressionValueType.String:
                return Expression.Call(Methods.Runtime(nameof(ExpressionRuntime.StringEquals), typeof(string), typeof(string)), left.Expression, right.Expression);
            case ExpressionValueType.Timestamp:
                return Expression.Call(Methods.Runtime(nameof(ExpressionRuntime.TimestampEquals), typeof(DateTimeOffset?), typeof(DateTimeOffset?)), left.Expression, right.Expression);
            case ExpressionValueType.Duration:
                return Expression.Call(Methods.Runtime(nameof(ExpressionRuntime.DurationEquals), typeof(TimeSpan?), typeof(TimeSpan?)), left.Expression, right.Expression);
            default:
                throw TypeError(at, $"cannot compare {left.Type.Name()} with {right.Type.Name()}");
        }
    }

    /// <summary>
    /// A string literal compared with an enum field names a member: quality == 'good' compiles to a number comparison
    /// (case and underscores ignored: 'in_progress' names InProgress). An unknown name is a compile error.
    /// </summary>
    private static void ResolveEnumLiteral(Bound field, ref Bound other, SyntaxNode otherNode)
    {
        if (field.Enum is not { } enumType || other.Expression is not ConstantExpression { Value: string name }) return;
        static string Key(string s) => s.Replace("_", "").ToLowerInvariant();
        foreach (var member in Enum.GetNames(enumType))
        {
            if (Key(member) != Key(name)) continue;
            var value = Convert.ToDouble(Enum.Parse(enumType, member), System.Globalization.CultureInfo.InvariantCulture);
            other = Bound.Number(Expression.Constant(value));
            return;
        }
        var names = string.Join(", ", Enum.GetNames(enumType).Select(n => n.ToLowerInvariant()));
        throw otherNode.Error($"'{name}' is not a {enumType.Name} (expected one of: {names})");
    }

    private static bool IsOrdinaryConstant(Expression e) => e is ConstantExpression { Value: double d } && !double.IsNaN(d);

    /// <summary>Ordering: false whenever an operand is missing; booleans and json objects have no order.</summary>
    private Expression BuildOrder(Bound left, Bound right, BinaryNode node)
    {
        var op = Spelling(node.OperatorStart, node.OperatorLength);
        if (left.Type == ExpressionValueType.Null || right.Type == ExpressionValueType.Null)
            throw node.OperatorError($"'{op}' cannot compare with null (use '== null', '!= null' or exists())");
        var type = left.Type == ExpressionValueType.Json && right.Type == ExpressionValueType.Json
            ? ExpressionValueType.Number
            : Unify(left.Type, right.Type) ?? throw node.OperatorError($"cannot compare {left.Type.Name()} with {right.Type.Name()}");
        Coerce(ref left, type, node.Left);
        Coerce(ref right, type, node.Right);
        var code = Expression.Constant(node.Operator switch
        {
            Operator.Less => ExpressionRuntime.Less,
            Operator.LessEqual => ExpressionRuntime.LessEqual,
            Operator.Greater => ExpressionRuntime.Greater,
            _ => ExpressionRuntime.GreaterEqual,
        });
        return type switch
        {
            ExpressionValueType.Number => node.Operator switch
            {
                Operator.Less => Expression.LessThan(left.Expression, right.Expression),
                Operator.LessEqual => Expression.LessThanOrEqual(left.Expression, right.Expression),
                Operator.Greater => Expression.GreaterThan(left.Expression, right.Expression),
                _ => Expression.GreaterThanOrEqual(left.Expression, right.Expression),
            },
            ExpressionValueType.String => Expression.Call(Methods.Runtime(nameof(ExpressionRuntime.OrderStrings), typeof(string), typeof(string), typeof(int)), left.Expression, right.Expression, code),
            ExpressionValueType.Timestamp => Expression.Call(Methods.Runtime(nameof(ExpressionRuntime.OrderTimestamps), typeof(DateTimeOffset?), typeof(DateTimeOffset?), typeof(int)), left.Expression, right.Expression, code),
            ExpressionValueType.Duration => Expression.Call(Methods.Runtime(nameof(ExpressionRuntime.OrderDurations), typeof(TimeSpan?), typeof(TimeSpan?), typeof(int)), left.Expression, right.Expression, code),
            _ => throw node.OperatorError($"'{op}' cannot order {type.Name()} values"),
        };
    }

    private Bound BindArithmetic(Bound left, Bound right, BinaryNode node)
    {
        var op = node.Operator;
        // Dynamic operands take the other operand's type; for * / % and between two dynamic operands, number.
        var numericOnly = op is Operator.Multiply or Operator.Divide or Operator.Modulo;
        if (left.IsDynamic && (right.IsDynamic || numericOnly)) Coerce(ref left, ExpressionValueType.Number, node.Left);
        if (right.IsDynamic && (left.IsDynamic || numericOnly)) Coerce(ref right, ExpressionValueType.Number, node.Right);
        if (left.IsDynamic) Coerce(ref left, right.Type, node.Left);
        if (right.IsDynamic) Coerce(ref right, left.Type, node.Right);

        Expression l = left.Expression, r = right.Expression;
        const ExpressionValueType N = ExpressionValueType.Number, S = ExpressionValueType.String,
            T = ExpressionValueType.Timestamp, D = ExpressionValueType.Duration;
        var nullableSpan = typeof(TimeSpan?);
        var nullableTime = typeof(DateTimeOffset?);
        Bound? result = (op, left.Type, right.Type) switch
        {
            (Operator.Add, N, N) => Bound.Number(Expression.Add(l, r)),
            (Operator.Subtract, N, N) => Bound.Number(Expression.Subtract(l, r)),
            (Operator.Multiply, N, N) => Bound.Number(Expression.Multiply(l, r)),
            (Operator.Divide, N, N) => Bound.Number(Expression.Call(Methods.Runtime(nameof(ExpressionRuntime.Divide), typeof(double), typeof(double)), l, r)),
            (Operator.Modulo, N, N) => Bound.Number(Expression.Modulo(l, r)),
            (Operator.Add, S, S) => Bound.String(Expression.Call(Methods.Runtime(nameof(ExpressionRuntime.Concat), typeof(string), typeof(string)), l, r)),
            (Operator.Subtract, T, T) => Bound.Duration(Expression.Call(Methods.Runtime(nameof(ExpressionRuntime.Elapsed), nullableTime, nullableTime), l, r)),
            (Operator.Add, T, D) => Shift(l, r, 1),
            (Operator.Add, D, T) => Shift(r, l, 1),
            (Operator.Subtract, T, D) => Shift(l, r, -1),
            (Operator.Add, D, D) => Bound.Duration(Expression.Call(Methods.Runtime(nameof(ExpressionRuntime.AddDurations), nullableSpan, nullableSpan, typeof(int)), l, r, Expression.Constant(1))),
            (Operator.Subtract, D, D) => Bound.Duration(Expression.Call(Methods.Runtime(nameof(ExpressionRuntime.AddDurations), nullableSpan, nullableSpan, typeof(int)), l, r, Expression.Constant(-1))),
            (Operator.Multiply, D, N) => Bound.Duration(Expression.Call(Methods.Runtime(nameof(ExpressionRuntime.ScaleDuration), nullableSpan, typeof(double)), l, r)),
            (Operator.Multiply, N, D) => Bound.Duration(Expression.Call(Methods.Runtime(nameof(ExpressionRuntime.ScaleDuration), nullableSpan, typeof(double)), r, l)),
            (Operator.Divide, D, N) => Bound.Duration(Expression.Call(Methods.Runtime(nameof(ExpressionRuntime.DivideDuration), nullableSpan, typeof(double)), l, r)),
            (Operator.Divide, D, D) => Bound.Number(Expression.Call(Methods.Runtime(nameof(ExpressionRuntime.DurationRatio), nullableSpan, nullableSpan), l, r)),
            _ => null,
        };
        if (result is { } ok) return ok;
        var spelling = Spelling(node.OperatorStart, node.OperatorLength);
        var hint = op == Operator.Add && (left.Type == S || right.Type == S) ? " (use to_string() to turn a value into text)" : "";
        throw node.OperatorError($"cannot apply '{spelling}' to {left.Type.Name()} and {right.Type.Name()}{hint}");
    }

    private static Bound Shift(Expression time, Expression span, int sign) =>
        Bound.Timestamp(Expression.Call(Methods.Runtime(nameof(ExpressionRuntime.Shift), typeof(DateTimeOffset?), typeof(TimeSpan?), typeof(int)),
            time, span, Expression.Constant(sign)));

    private static ExpressionException TypeError(SyntaxNode at, string reason) =>
        at is BinaryNode b ? b.OperatorError(reason) : at.Error(reason);
}
