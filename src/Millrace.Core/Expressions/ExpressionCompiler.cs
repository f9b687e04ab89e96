using System.Linq.Expressions;

namespace Millrace.Core.Expressions;

/// <summary>
/// Parses expressions and compiles them to delegates over a caller's context type. Compilation type-checks against
/// the <see cref="ExpressionScope{TContext}"/>; every error in the text is an <see cref="ExpressionException"/> with a
/// column. The delegates never throw for any input data and, for number and boolean results over a struct or class
/// context (json and text aside), allocate nothing.
/// </summary>
public static class ExpressionCompiler
{
    /// <summary>Parses <paramref name="text"/> (syntax and limits only; fields and types are checked at compile time).</summary>
    /// <exception cref="ExpressionException">A syntax error, or the text is too long or too deeply nested.</exception>
    public static ParsedExpression Parse(string text, ExpressionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        options ??= ExpressionOptions.Default;
        return new ParsedExpression(text, Parser.Parse(text, options), options);
    }

    /// <summary>Type-checks without generating code (for <c>millrace validate</c>) and tells the result type.</summary>
    /// <exception cref="ExpressionException">A type error, unknown field or unknown function.</exception>
    public static ExpressionValueType Check<TContext>(ParsedExpression expression, ExpressionScope<TContext> scope) =>
        Bind(expression, scope).Type;

    /// <summary>Compiles a condition; the expression must be boolean (or json, where only JSON true is true).</summary>
    public static Func<TContext, bool> CompilePredicate<TContext>(string text, ExpressionScope<TContext> scope, ExpressionOptions? options = null) =>
        CompilePredicate(Parse(text, options), scope);

    /// <inheritdoc cref="CompilePredicate{TContext}(string, ExpressionScope{TContext}, ExpressionOptions?)"/>
    public static Func<TContext, bool> CompilePredicate<TContext>(ParsedExpression expression, ExpressionScope<TContext> scope)
    {
        var bound = Bind(expression, scope);
        if (bound.Type == ExpressionValueType.Null) bound = Bound.Boolean(Expression.Constant(false));
        if (bound.Type == ExpressionValueType.Json)
            bound = Bound.Boolean(Expression.Call(Methods.Json(nameof(JsonRuntime.ToBoolean)), bound.Expression));
        if (bound.Type != ExpressionValueType.Boolean)
            throw expression.Root.Error($"a condition must be boolean, but this expression is {bound.Type.Name()}");
        return Expression.Lambda<Func<TContext, bool>>(bound.Expression, scope.Context).Compile();
    }

    /// <summary>Compiles a numeric computed field; missing results are NaN.</summary>
    public static Func<TContext, double> CompileNumber<TContext>(string text, ExpressionScope<TContext> scope, ExpressionOptions? options = null) =>
        CompileNumber(Parse(text, options), scope);

    /// <inheritdoc cref="CompileNumber{TContext}(string, ExpressionScope{TContext}, ExpressionOptions?)"/>
    public static Func<TContext, double> CompileNumber<TContext>(ParsedExpression expression, ExpressionScope<TContext> scope)
    {
        var bound = Bind(expression, scope);
        if (bound.Type == ExpressionValueType.Null) bound = Bound.Number(Expression.Constant(double.NaN));
        if (bound.Type == ExpressionValueType.Json)
            bound = Bound.Number(Expression.Call(Methods.Json(nameof(JsonRuntime.ToNumber)), bound.Expression));
        if (bound.Type != ExpressionValueType.Number)
        {
            var hint = bound.Type == ExpressionValueType.Duration ? " (use duration_seconds())" : "";
            throw expression.Root.Error($"expected a number, but this expression is {bound.Type.Name()}{hint}");
        }
        return Expression.Lambda<Func<TContext, double>>(bound.Expression, scope.Context).Compile();
    }

    /// <summary>Compiles an expression of any type to its text, as to_string() would give it; missing is null.</summary>
    public static Func<TContext, string?> CompileString<TContext>(string text, ExpressionScope<TContext> scope, ExpressionOptions? options = null) =>
        CompileString(Parse(text, options), scope);

    /// <inheritdoc cref="CompileString{TContext}(string, ExpressionScope{TContext}, ExpressionOptions?)"/>
    public static Func<TContext, string?> CompileString<TContext>(ParsedExpression expression, ExpressionScope<TContext> scope)
    {
        var body = Binder.ToText(Bind(expression, scope));
        return Expression.Lambda<Func<TContext, string?>>(body, scope.Context).Compile();
    }

    /// <summary>
    /// Compiles an expression of any type to a boxed value: double, bool, string, DateTimeOffset, TimeSpan or
    /// JsonElement; null when missing. Boxing allocates for value types: prefer the typed forms on hot paths.
    /// </summary>
    public static Func<TContext, object?> CompileValue<TContext>(string text, ExpressionScope<TContext> scope, ExpressionOptions? options = null) =>
        CompileValue(Parse(text, options), scope);

    /// <inheritdoc cref="CompileValue{TContext}(string, ExpressionScope{TContext}, ExpressionOptions?)"/>
    public static Func<TContext, object?> CompileValue<TContext>(ParsedExpression expression, ExpressionScope<TContext> scope)
    {
        var bound = Bind(expression, scope);
        Expression body = bound.Type switch
        {
            ExpressionValueType.Number => Expression.Call(Methods.Runtime(nameof(ExpressionRuntime.BoxNumber), typeof(double)), bound.Expression),
            ExpressionValueType.Json => Expression.Call(Methods.Json(nameof(JsonRuntime.Box)), bound.Expression),
            ExpressionValueType.Null => Expression.Constant(null, typeof(object)),
            _ => Expression.Convert(bound.Expression, typeof(object)), // nullable timestamps/durations box to null when missing
        };
        return Expression.Lambda<Func<TContext, object?>>(body, scope.Context).Compile();
    }

    /// <summary>
    /// Compiles a text template with expression holes, e.g. <c>Order {data.order}: {round(data.confirmed, 0)} {data.unit}</c>,
    /// for connector bodies and messages. Holes are converted with the to_string() rules; a missing value renders as
    /// nothing. <c>{{</c> and <c>}}</c> are literal braces. Error columns count from the start of the template.
    /// </summary>
    public static Func<TContext, string> CompileTemplate<TContext>(string template, ExpressionScope<TContext> scope, ExpressionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(scope);
        options ??= ExpressionOptions.Default;
        var pieces = new List<Expression>();
        foreach (var part in TemplateParser.Parse(template, options))
        {
            if (part.Literal is not null)
            {
                pieces.Add(Expression.Constant(part.Literal));
                continue;
            }
            try
            {
                pieces.Add(Binder.ToText(new Binder(part.HoleText!, scope, options).Bind(part.Expression!)));
            }
            catch (ExpressionException e)
            {
                throw new ExpressionException(e.Column + part.HoleStart, e.Length, e.Reason);
            }
        }
        Expression body = pieces.Count switch
        {
            0 => Expression.Constant(""),
            1 => Expression.Coalesce(pieces[0], Expression.Constant("")),
            _ => Expression.Call(typeof(string).GetMethod(nameof(string.Concat), [typeof(string[])])!,
                Expression.NewArrayInit(typeof(string), pieces)),
        };
        return Expression.Lambda<Func<TContext, string>>(body, scope.Context).Compile();
    }

    private static Bound Bind<TContext>(ParsedExpression expression, ExpressionScope<TContext> scope)
    {
        ArgumentNullException.ThrowIfNull(expression);
        ArgumentNullException.ThrowIfNull(scope);
        return new Binder(expression.Text, scope, expression.Options).Bind(expression.Root);
    }
}
