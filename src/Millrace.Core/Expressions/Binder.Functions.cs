using System.Linq.Expressions;
using Millrace.Core.Units;

namespace Millrace.Core.Expressions;

internal sealed partial class Binder
{
    private Bound BindCall(CallNode call)
    {
        var name = call.Name;
        if (!FunctionCatalog.IsFunction(name))
        {
            var suggestion = NameSuggester.Suggest(name, FunctionCatalog.Signatures.Keys);
            if (fields.TryGetField(name, out _))
                throw new ExpressionException(call.Start + 1, call.NameLength, $"'{name}' is a field, not a function");
            throw new ExpressionException(call.Start + 1, call.NameLength,
                suggestion is null ? $"unknown function '{name}'" : $"unknown function '{name}' (did you mean '{suggestion}'?)");
        }
        var args = call.Arguments;
        switch (name)
        {
            case "abs" or "floor" or "ceil" or "sqrt":
                Arity(call, 1, 1);
                var method = name switch { "abs" => "Abs", "floor" => "Floor", "ceil" => "Ceiling", _ => "Sqrt" };
                return Bound.Number(Expression.Call(Methods.Math(method, 1), Argument(call, 0, ExpressionValueType.Number)));
            case "pow":
                Arity(call, 2, 2);
                return Bound.Number(Expression.Call(Methods.Math("Pow", 2), Argument(call, 0, ExpressionValueType.Number), Argument(call, 1, ExpressionValueType.Number)));
            case "min" or "max":
            {
                Arity(call, 2, int.MaxValue);
                var m = Methods.Math(name == "min" ? "Min" : "Max", 2);
                var acc = Argument(call, 0, ExpressionValueType.Number);
                for (var i = 1; i < args.Count; i++) acc = Expression.Call(m, acc, Argument(call, i, ExpressionValueType.Number));
                return Bound.Number(acc);
            }
            case "round":
                Arity(call, 1, 2);
                return Bound.Number(args.Count == 1
                    ? Expression.Call(Methods.Runtime(nameof(ExpressionRuntime.Round), typeof(double)), Argument(call, 0, ExpressionValueType.Number))
                    : Expression.Call(Methods.Runtime(nameof(ExpressionRuntime.Round), typeof(double), typeof(double)),
                        Argument(call, 0, ExpressionValueType.Number), Argument(call, 1, ExpressionValueType.Number)));
            case "clamp":
                Arity(call, 3, 3);
                return Bound.Number(Expression.Call(Methods.Runtime(nameof(ExpressionRuntime.Clamp), typeof(double), typeof(double), typeof(double)),
                    Argument(call, 0, ExpressionValueType.Number), Argument(call, 1, ExpressionValueType.Number), Argument(call, 2, ExpressionValueType.Number)));
            case "len":
            {
                Arity(call, 1, 1);
                var value = Bind(args[0]);
                return value.Type switch
                {
                    ExpressionValueType.Json => Bound.Number(Expression.Call(Methods.Json(nameof(JsonRuntime.Length)), value.Expression)),
                    ExpressionValueType.String => Bound.Number(Expression.Call(Methods.Runtime(nameof(ExpressionRuntime.Length), typeof(string)), value.Expression)),
                    ExpressionValueType.Null => Bound.Number(Missing(ExpressionValueType.Number)),
                    _ => throw ArgumentError(call, 0, "string or json", value.Type),
                };
            }
            case "lower" or "upper":
                Arity(call, 1, 1);
                return Bound.String(Expression.Call(Methods.Runtime(name == "lower" ? nameof(ExpressionRuntime.Lower) : nameof(ExpressionRuntime.Upper), typeof(string)),
                    Argument(call, 0, ExpressionValueType.String)));
            case "starts_with" or "ends_with":
                Arity(call, 2, 2);
                return Bound.Boolean(Expression.Call(Methods.Runtime(name == "starts_with" ? nameof(ExpressionRuntime.StartsWith) : nameof(ExpressionRuntime.EndsWith), typeof(string), typeof(string)),
                    Argument(call, 0, ExpressionValueType.String), Argument(call, 1, ExpressionValueType.String)));
            case "contains":
                return BindContains(call);
            case "coalesce":
                return BindCoalesce(call);
            case "now":
                Arity(call, 0, 0);
                var clock = Expression.Constant(options.TimeProvider, typeof(TimeProvider));
                return Bound.Timestamp(Expression.Convert(Expression.Call(clock, typeof(TimeProvider).GetMethod(nameof(TimeProvider.GetUtcNow))!), typeof(DateTimeOffset?)));
            case "duration_seconds":
                Arity(call, 1, 1);
                return Bound.Number(Expression.Call(Methods.Runtime(nameof(ExpressionRuntime.DurationSeconds), typeof(TimeSpan?)), Argument(call, 0, ExpressionValueType.Duration)));
            case "timestamp":
                Arity(call, 1, 1);
                var source = Bind(args[0]);
                return source.Type switch
                {
                    ExpressionValueType.Timestamp => source,
                    ExpressionValueType.Null => Bound.Timestamp(Missing(ExpressionValueType.Timestamp)),
                    ExpressionValueType.Json => Bound.Timestamp(Expression.Call(Methods.Json(nameof(JsonRuntime.ToTimestamp)), source.Expression)),
                    ExpressionValueType.String => Bound.Timestamp(Expression.Call(Methods.Runtime(nameof(ExpressionRuntime.ParseTimestamp), typeof(string)), source.Expression)),
                    _ => throw ArgumentError(call, 0, "string or json", source.Type),
                };
            case "to_number":
                Arity(call, 1, 1);
                return ToNumber(Bind(args[0]), call);
            case "to_string":
                Arity(call, 1, 1);
                return Bound.String(ToText(Bind(args[0])));
            case "exists":
                Arity(call, 1, 1);
                if (args[0] is not (IdentifierNode or MemberNode or IndexNode))
                    throw args[0].Error("exists() takes a field, as in exists(data.order_id)");
                return Bound.Boolean(IsPresent(Bind(args[0])));
            default: // "if"
                Arity(call, 3, 3);
                return BindConditional(args[0], args[1], args[2], "'if'");
        }
    }

    private Bound BindContains(CallNode call)
    {
        Arity(call, 2, 2);
        var haystack = Bind(call.Arguments[0]);
        if (haystack.Type == ExpressionValueType.Json)
        {
            var needle = Bind(call.Arguments[1]);
            if (needle.Type == ExpressionValueType.Number)
                return Bound.Boolean(Expression.Call(Methods.Json(nameof(JsonRuntime.ContainsNumber)), haystack.Expression, needle.Expression));
            if (!TryCoerce(needle, ExpressionValueType.String, out var text)) throw ArgumentError(call, 1, "string or number", needle.Type);
            return Bound.Boolean(Expression.Call(Methods.Json(nameof(JsonRuntime.Contains)), haystack.Expression, text.Expression));
        }
        return Bound.Boolean(Expression.Call(Methods.Runtime(nameof(ExpressionRuntime.Contains), typeof(string), typeof(string)),
            Argument(call, 0, ExpressionValueType.String), Argument(call, 1, ExpressionValueType.String)));
    }

    private Bound BindCoalesce(CallNode call)
    {
        Arity(call, 2, int.MaxValue);
        var values = call.Arguments.Select(Bind).ToList();
        var type = values[0].Type;
        for (var i = 1; i < values.Count; i++)
            type = Unify(type, values[i].Type)
                   ?? throw call.Arguments[i].Error($"the arguments of 'coalesce' must have one type: {values[0].Type.Name()} and {values[i].Type.Name()}");
        if (type == ExpressionValueType.Null) return values[0];
        for (var i = 0; i < values.Count; i++)
        {
            var v = values[i];
            Coerce(ref v, type, call.Arguments[i]);
            values[i] = v;
        }
        // Right fold: coalesce(a, b, c) = coalesce(a, coalesce(b, c)).
        var acc = values[^1].Expression;
        for (var i = values.Count - 2; i >= 0; i--)
        {
            var v = values[i].Expression;
            acc = type switch
            {
                ExpressionValueType.Number => Expression.Call(Methods.Runtime(nameof(ExpressionRuntime.CoalesceNumber), typeof(double), typeof(double)), v, acc),
                ExpressionValueType.Json => Expression.Call(Methods.Json(nameof(JsonRuntime.Coalesce)), v, acc),
                ExpressionValueType.Boolean => v, // a boolean is never missing
                _ => Expression.Coalesce(v, acc),
            };
        }
        return new Bound(acc, type);
    }

    private Bound ToNumber(Bound value, CallNode call) => value.Type switch
    {
        ExpressionValueType.Number => value,
        ExpressionValueType.Json or ExpressionValueType.Null => Bound.Number(value.Type == ExpressionValueType.Null
            ? Missing(ExpressionValueType.Number)
            : Expression.Call(Methods.Json(nameof(JsonRuntime.ToNumberLenient)), value.Expression)),
        ExpressionValueType.String => Bound.Number(Expression.Call(Methods.Runtime(nameof(ExpressionRuntime.ToNumber), typeof(string)), value.Expression)),
        ExpressionValueType.Boolean => Bound.Number(Expression.Call(Methods.Runtime(nameof(ExpressionRuntime.ToNumber), typeof(bool)), value.Expression)),
        ExpressionValueType.Timestamp => Bound.Number(Expression.Call(Methods.Runtime(nameof(ExpressionRuntime.ToNumber), typeof(DateTimeOffset?)), value.Expression)),
        _ => Bound.Number(Expression.Call(Methods.Runtime(nameof(ExpressionRuntime.DurationSeconds), typeof(TimeSpan?)), value.Expression)),
    };

    /// <summary>The text of any value, as to_string() produces it (missing gives null).</summary>
    internal static Expression ToText(Bound value) => value.Type switch
    {
        ExpressionValueType.String => value.Expression,
        ExpressionValueType.Null => Expression.Constant(null, typeof(string)),
        ExpressionValueType.Json => Expression.Call(Methods.Json(nameof(JsonRuntime.ToText)), value.Expression),
        _ => Expression.Call(Methods.Runtime(nameof(ExpressionRuntime.ToText), RuntimeRepresentation.ClrType(value.Type)), value.Expression),
    };

    private static Expression IsPresent(Bound value) => value.Type switch
    {
        ExpressionValueType.Json => Expression.Not(Expression.Call(Methods.Json(nameof(JsonRuntime.IsMissing)), value.Expression)),
        ExpressionValueType.Number => Expression.Not(Expression.Call(typeof(double).GetMethod(nameof(double.IsNaN), [typeof(double)])!, value.Expression)),
        ExpressionValueType.Boolean => Expression.Constant(true),
        ExpressionValueType.Null => Expression.Constant(false),
        _ => Expression.NotEqual(value.Expression, Expression.Constant(null, value.Expression.Type)),
    };

    private Expression Argument(CallNode call, int index, ExpressionValueType type)
    {
        var value = Bind(call.Arguments[index]);
        if (!TryCoerce(value, type, out var result)) throw ArgumentError(call, index, type.Name(), value.Type);
        return result.Expression;
    }

    private static ExpressionException ArgumentError(CallNode call, int index, string expected, ExpressionValueType found) =>
        call.Arguments[index].Error($"argument {index + 1} of '{call.Name}' must be {expected}, found {found.Name()}");

    private static void Arity(CallNode call, int min, int max)
    {
        var n = call.Arguments.Count;
        if (n >= min && n <= max) return;
        var expected = min == max
            ? min == 0 ? "no arguments" : min == 1 ? "1 argument" : $"{min} arguments"
            : max == int.MaxValue ? $"at least {min} arguments" : $"{min} or {max} arguments";
        throw call.Error($"'{call.Name}' takes {expected}, found {n}");
    }
}
