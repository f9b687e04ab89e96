using System.Linq.Expressions;
using System.Text.Json;

namespace Millrace.Core.Expressions;

/// <summary>
/// The fields an expression may read from a context of type <typeparamref name="TContext"/>, each with its type and
/// the code that reads it. Reads are inlined into the compiled delegate, so a field bound to a struct member or an
/// array element costs a load: no dictionary lookup and no allocation at evaluation.
/// Build a scope once (not thread-safe while being built), then compile any number of expressions against it,
/// concurrently if need be.
/// </summary>
/// <typeparam name="TContext">What the compiled delegate takes: a struct or class the caller owns.</typeparam>
public sealed class ExpressionScope<TContext> : IFieldTable
{
    private readonly Dictionary<string, ExpressionField> _fields = new(StringComparer.Ordinal);

    /// <summary>The context parameter every field read is written over (use it in <see cref="Field(string, Func{ParameterExpression, Expression})"/>).</summary>
    public ParameterExpression Context { get; } = Expression.Parameter(typeof(TContext), "ctx");

    /// <summary>The declared fields, by name.</summary>
    public IReadOnlyCollection<ExpressionField> Fields => _fields.Values;

    /// <summary>
    /// Declares a field read by an ordinary lambda, e.g. <c>.Field("value", s =&gt; s.Value)</c>. The CLR type picks the
    /// language type: numbers and enums are number, bool boolean, string string, DateTimeOffset timestamp, TimeSpan
    /// duration, JsonElement json; nullable forms read null as missing.
    /// </summary>
    /// <param name="name">The name in expressions; dots make paths (<c>signal.spindle_temp</c>).</param>
    /// <param name="read">The read; it is inlined, not invoked.</param>
    public ExpressionScope<TContext> Field<TValue>(string name, Expression<Func<TContext, TValue>> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        var body = new ParameterReplacer(read.Parameters[0], Context).Visit(read.Body);
        return Add(name, body);
    }

    /// <summary>
    /// Declares a field by building its read over <see cref="Context"/> directly, for reads a lambda cannot express
    /// conveniently (an element of a signal array at an index known when the rule is compiled, say).
    /// </summary>
    public ExpressionScope<TContext> Field(string name, Func<ParameterExpression, Expression> build)
    {
        ArgumentNullException.ThrowIfNull(build);
        return Add(name, build(Context) ?? throw new ArgumentException("the builder returned null", nameof(build)));
    }

    /// <summary>Declares a field whose value is fixed when the expression is compiled (an asset's limit, say).</summary>
    public ExpressionScope<TContext> Constant<TValue>(string name, TValue value) =>
        Add(name, Expression.Constant(value, typeof(TValue)));

    /// <summary>Whether a field of this exact name is declared.</summary>
    public bool Contains(string name) => _fields.ContainsKey(name);

    /// <summary>Finds a declared field.</summary>
    public bool TryGetField(string name, out ExpressionField field) => _fields.TryGetValue(name, out field!);

    IEnumerable<string> IFieldTable.FieldNames => _fields.Keys;

    private ExpressionScope<TContext> Add(string name, Expression read)
    {
        ValidateName(name);
        var normalized = RuntimeRepresentation.Normalize(read, name, out var type);
        var enumType = Nullable.GetUnderlyingType(read.Type) ?? read.Type;
        if (!_fields.TryAdd(name, new ExpressionField(name, type, normalized, enumType.IsEnum ? enumType : null)))
            throw new ArgumentException($"field '{name}' is declared twice", nameof(name));
        return this;
    }

    private static void ValidateName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        foreach (var segment in name.Split('.'))
            if (segment.Length == 0)
                throw new ArgumentException($"field name '{name}' has an empty segment", nameof(name));
    }

    private sealed class ParameterReplacer(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : node;
    }
}

/// <summary>Ready-made scopes.</summary>
public static class ExpressionScope
{
    /// <summary>
    /// A timestamp from Unix milliseconds for use in field reads (<c>.Field("ts", s =&gt; ExpressionScope.FromUnixMilliseconds(s.TimestampMs))</c>):
    /// unlike <see cref="DateTimeOffset.FromUnixTimeMilliseconds"/> it never throws; out of range is missing.
    /// </summary>
    public static DateTimeOffset? FromUnixMilliseconds(long milliseconds) =>
        milliseconds is >= -62_135_596_800_000 and <= 253_402_300_799_999 ? DateTimeOffset.FromUnixTimeMilliseconds(milliseconds) : null;

    /// <summary>A new, empty scope over <typeparamref name="TContext"/>.</summary>
    public static ExpressionScope<TContext> For<TContext>() => new();

    /// <summary>
    /// A scope over a JSON document (a CloudEvent's <c>data</c>, say) where <paramref name="name"/> is the whole
    /// element: <c>data.order.quantity</c>, <c>data.lines[0].sku</c>, <c>data['odd-name']</c>.
    /// </summary>
    public static ExpressionScope<JsonElement> ForJson(string name = "data") =>
        new ExpressionScope<JsonElement>().Field(name, e => e);
}
