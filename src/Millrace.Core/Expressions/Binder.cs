using System.Linq.Expressions;
using System.Text.Json;
using Millrace.Core.Units;

namespace Millrace.Core.Expressions;

/// <summary>
/// Type-checks a syntax tree against a scope and turns it into a LINQ expression over the scope's context parameter.
/// Every rule of the static type system lives here and in its partial files; errors point at the offending text.
/// </summary>
internal sealed partial class Binder(string text, IFieldTable fields, ExpressionOptions options)
{
    public Bound Bind(SyntaxNode node) => node switch
    {
        LiteralNode literal => BindLiteral(literal),
        IdentifierNode or MemberNode or IndexNode => BindAccess(node),
        UnaryNode unary => BindUnary(unary),
        BinaryNode binary => BindBinary(binary),
        InNode inNode => BindIn(inNode),
        ConditionalNode conditional => BindConditional(conditional.Condition, conditional.WhenTrue, conditional.WhenFalse, "'?:'"),
        CallNode call => BindCall(call),
        _ => throw node.Error("unsupported expression"),
    };

    private static Bound BindLiteral(LiteralNode literal) => literal.Type switch
    {
        ExpressionValueType.Number => Bound.Number(Expression.Constant((double)literal.Value!)),
        ExpressionValueType.String => Bound.String(Expression.Constant((string)literal.Value!)),
        ExpressionValueType.Boolean => Bound.Boolean(Expression.Constant((bool)literal.Value!)),
        ExpressionValueType.Duration => Bound.Duration(Expression.Constant((TimeSpan?)(TimeSpan)literal.Value!, typeof(TimeSpan?))),
        _ => new Bound(Expression.Constant(null, typeof(object)), ExpressionValueType.Null),
    };

    // ---- field access -------------------------------------------------------------------------------------------

    private Bound BindAccess(SyntaxNode node)
    {
        var path = new List<(string Segment, SyntaxNode Node)>();
        if (TryCollectPath(node, path)) return BindPath(path);
        switch (node)
        {
            case MemberNode member:
            {
                var target = RequireJson(Bind(member.Target), member.Target, member.Name);
                return Bound.Json(JsonMember(target.Expression, member.Name));
            }
            case IndexNode index:
            {
                var target = RequireJson(Bind(index.Target), index.Target, null);
                return ApplyIndex(target, index.Index);
            }
            default:
                throw node.Error("expected a field");
        }
    }

    // A path is a name followed by .member and ['literal'] segments: it may name a declared (dotted) field.
    private static bool TryCollectPath(SyntaxNode node, List<(string, SyntaxNode)> path)
    {
        switch (node)
        {
            case IdentifierNode id:
                path.Add((id.Name, id));
                return true;
            case MemberNode member when TryCollectPath(member.Target, path):
                path.Add((member.Name, member));
                return true;
            case IndexNode { Index: LiteralNode { Type: ExpressionValueType.String, Value: string key } } index
                when TryCollectPath(index.Target, path):
                path.Add((key, index));
                return true;
            default:
                return false;
        }
    }

    private Bound BindPath(List<(string Segment, SyntaxNode Node)> path)
    {
        // The longest declared prefix wins; the rest of the path walks into a json field.
        for (var k = path.Count; k >= 1; k--)
        {
            var name = JoinPath(path, k);
            if (!fields.TryGetField(name, out var field)) continue;
            var bound = new Bound(field.Read, field.Type, field.EnumType);
            for (var i = k; i < path.Count; i++)
            {
                if (bound.Type != ExpressionValueType.Json)
                {
                    // Point at the member name ('x' in value.x, ['x'] in value['x']).
                    var (start, length) = path[i].Node switch
                    {
                        MemberNode m => (m.End - m.Name.Length, m.Name.Length),
                        IndexNode ix => (ix.Index.Start - 1, ix.End - ix.Index.Start + 1),
                        var other => (other.Start, other.Length),
                    };
                    throw Error(start, length, $"'{JoinPath(path, i)}' is a {bound.Type.Name()} and has no field '{path[i].Segment}'");
                }
                bound = Bound.Json(JsonMember(bound.Expression, path[i].Segment));
            }
            return bound;
        }
        if (path.Count == 1 && FunctionCatalog.IsFunction(path[0].Segment))
            throw path[0].Node.Error($"'{path[0].Segment}' is a function; call it as {path[0].Segment}(…)");
        // Unknown: suggest for the prefix closest to a declared name (event.dta.x -> 'event.dta', did you mean 'event.data').
        (int K, string Name, int Distance)? best = null;
        for (var k = path.Count; k >= 1; k--)
        {
            var name = JoinPath(path, k);
            var suggestion = NameSuggester.Suggest(name, fields.FieldNames);
            if (suggestion is null) continue;
            var distance = NameSuggester.Distance(name, suggestion);
            if (best is null || distance < best.Value.Distance) best = (k, suggestion, distance);
        }
        if (best is { } b)
            throw Error(path[0].Node.Start, path[b.K - 1].Node.End - path[0].Node.Start,
                $"unknown field '{JoinPath(path, b.K)}' (did you mean '{b.Name}'?)");
        var full = path[^1].Node;
        throw full.Error($"unknown field '{JoinPath(path, path.Count)}'");
    }

    private static string JoinPath(List<(string Segment, SyntaxNode Node)> path, int count) =>
        count == 1 ? path[0].Segment : string.Join('.', path.Take(count).Select(p => p.Segment));

    private Bound ApplyIndex(Bound target, SyntaxNode indexNode)
    {
        var index = Bind(indexNode);
        var method = index.Type switch
        {
            ExpressionValueType.Number => nameof(JsonRuntime.Item),
            ExpressionValueType.String => nameof(JsonRuntime.Property),
            ExpressionValueType.Json => nameof(JsonRuntime.Index),
            _ => throw indexNode.Error($"an index must be a number or a string, found {index.Type.Name()}"),
        };
        return Bound.Json(Expression.Call(JsonMethod(method), target.Expression, index.Expression));
    }

    private static Bound RequireJson(Bound target, SyntaxNode node, string? member) =>
        target.Type switch
        {
            ExpressionValueType.Json => target,
            ExpressionValueType.Null => Bound.Json(Expression.Constant(default(JsonElement))),
            _ => throw node.Error(member is null
                ? $"a {target.Type.Name()} cannot be indexed"
                : $"a {target.Type.Name()} has no field '{member}'"),
        };

    // ---- conditional and 'in' ---------------------------------------------------------------------------------

    private Bound BindConditional(SyntaxNode conditionNode, SyntaxNode whenTrueNode, SyntaxNode whenFalseNode, string what)
    {
        var condition = Bind(conditionNode);
        if (!TryCoerce(condition, ExpressionValueType.Boolean, out var test))
            throw conditionNode.Error($"the condition of {what} must be boolean, found {condition.Type.Name()}");
        var whenTrue = Bind(whenTrueNode);
        var whenFalse = Bind(whenFalseNode);
        var type = Unify(whenTrue.Type, whenFalse.Type)
                   ?? throw whenFalseNode.Error($"the branches of {what} have different types: {whenTrue.Type.Name()} and {whenFalse.Type.Name()}");
        if (type == ExpressionValueType.Null) return whenTrue;
        Coerce(ref whenTrue, type, whenTrueNode);
        Coerce(ref whenFalse, type, whenFalseNode);
        return new Bound(Expression.Condition(test.Expression, whenTrue.Expression, whenFalse.Expression), type);
    }

    private Bound BindIn(InNode node)
    {
        var value = Bind(node.Value);
        var items = node.Items.Select(Bind).ToList();
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            ResolveEnumLiteral(value, ref item, node.Items[i]);
            items[i] = item;
        }
        var type = value.Type;
        for (var i = 0; i < items.Count; i++)
            type = Unify(type, items[i].Type)
                   ?? throw node.Items[i].Error($"cannot compare {value.Type.Name()} with {items[i].Type.Name()}");
        if (items.Count == 0) return Bound.Boolean(Expression.Constant(node.Negated));
        // json stays json against strings and booleans (allocation-free comparisons); otherwise convert it once.
        if (value.IsDynamic && type is not (ExpressionValueType.String or ExpressionValueType.Boolean or ExpressionValueType.Json or ExpressionValueType.Null))
            Coerce(ref value, type, node.Value);
        var variable = Expression.Variable(value.Expression.Type, "candidate");
        var candidate = value with { Expression = variable };
        Expression? test = null;
        for (var i = 0; i < items.Count; i++)
        {
            var equal = BuildEquals(candidate, items[i], node.Items[i]);
            test = test is null ? equal : Expression.OrElse(test, equal);
        }
        Expression body = Expression.Block(typeof(bool), [variable], Expression.Assign(variable, value.Expression), test!);
        return Bound.Boolean(node.Negated ? Expression.Not(body) : body);
    }

    // ---- types --------------------------------------------------------------------------------------------------

    /// <summary>The common type of two operands: json and null take the other's type; null when incompatible.</summary>
    private static ExpressionValueType? Unify(ExpressionValueType a, ExpressionValueType b)
    {
        if (a == b) return a;
        if (a == ExpressionValueType.Null) return b;
        if (b == ExpressionValueType.Null) return a;
        if (a == ExpressionValueType.Json) return b;
        if (b == ExpressionValueType.Json) return a;
        return null;
    }

    /// <summary>Converts a json or null value to <paramref name="target"/>; false for any other mismatch.</summary>
    private static bool TryCoerce(Bound value, ExpressionValueType target, out Bound result)
    {
        result = value;
        if (value.Type == target) return true;
        if (value.Type == ExpressionValueType.Null)
        {
            result = new Bound(Missing(target), target);
            return true;
        }
        if (value.Type != ExpressionValueType.Json) return false;
        var method = target switch
        {
            ExpressionValueType.Number => nameof(JsonRuntime.ToNumber),
            ExpressionValueType.String => nameof(JsonRuntime.ToText),
            ExpressionValueType.Boolean => nameof(JsonRuntime.ToBoolean),
            ExpressionValueType.Timestamp => nameof(JsonRuntime.ToTimestamp),
            ExpressionValueType.Duration => nameof(JsonRuntime.ToDuration),
            _ => null,
        };
        if (method is null) return false;
        result = new Bound(Expression.Call(JsonMethod(method), value.Expression), target);
        return true;
    }

    private static void Coerce(ref Bound value, ExpressionValueType target, SyntaxNode node)
    {
        if (!TryCoerce(value, target, out var result))
            throw node.Error($"expected {target.Name()}, found {value.Type.Name()}");
        value = result;
    }

    /// <summary>The missing value of a type: NaN, null, false, an undefined json element.</summary>
    internal static Expression Missing(ExpressionValueType type) => type switch
    {
        ExpressionValueType.Number => Expression.Constant(double.NaN),
        ExpressionValueType.Boolean => Expression.Constant(false),
        ExpressionValueType.Json => Expression.Constant(default(JsonElement)),
        _ => Expression.Constant(null, RuntimeRepresentation.ClrType(type)),
    };

    private static System.Reflection.MethodInfo JsonMethod(string name) => Methods.Json(name);

    // Member names known at compile time are encoded to UTF-8 once, so lookups compare bytes without transcoding.
    private static Expression JsonMember(Expression target, string name) =>
        Expression.Call(JsonMethod(nameof(JsonRuntime.Member)), target, Expression.Constant(System.Text.Encoding.UTF8.GetBytes(name)));

    private string Spelling(int start, int length) => text.Substring(start, length);

    private static ExpressionException Error(int start, int length, string reason) => new(start + 1, length, reason);
}
