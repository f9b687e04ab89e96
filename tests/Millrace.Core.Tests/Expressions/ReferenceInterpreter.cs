using System.Globalization;
using System.Text;

namespace Millrace.Core.Tests.Expressions;

/// <summary>
/// A tiny tree-walking model of the numeric and boolean core of the language: random trees are rendered to text
/// with only the parentheses precedence requires, and the compiled delegate must agree with <see cref="Evaluate"/>.
/// Written from the documented semantics, independently of the compiler.
/// </summary>
internal abstract record RefNode
{
    /// <summary>Binding strength when rendered: 1 ?:, 2 or, 3 and, 4 not, 5 == !=, 6 relational, 7 + -, 8 * / %, 9 prefix -, 10 atom.</summary>
    public abstract int Level { get; }
}

internal sealed record RefNumber(double Value) : RefNode { public override int Level => Value < 0 ? 9 : 10; }
internal sealed record RefBool(bool Value) : RefNode { public override int Level => 10; }
internal sealed record RefVariable(int Index) : RefNode { public override int Level => 10; }
internal sealed record RefBinary(string Op, RefNode Left, RefNode Right) : RefNode
{
    public override int Level => Op switch
    {
        "or" => 2, "and" => 3, "==" or "!=" => 5, "<" or "<=" or ">" or ">=" => 6, "+" or "-" => 7, _ => 8,
    };
}
internal sealed record RefNegate(RefNode Operand) : RefNode { public override int Level => 9; }
internal sealed record RefNot(RefNode Operand) : RefNode { public override int Level => 4; }
internal sealed record RefCall(string Name, RefNode[] Arguments) : RefNode { public override int Level => 10; }
internal sealed record RefConditional(RefNode Condition, RefNode WhenTrue, RefNode WhenFalse) : RefNode { public override int Level => 1; }

internal static class ReferenceInterpreter
{
    public static readonly string[] Variables = ["x", "y", "z"];

    public static double Number(RefNode node, double[] vars) => node switch
    {
        RefNumber n => n.Value,
        RefVariable v => vars[v.Index],
        RefNegate n => -Number(n.Operand, vars),
        RefConditional c => Bool(c.Condition, vars) ? Number(c.WhenTrue, vars) : Number(c.WhenFalse, vars),
        RefBinary b => b.Op switch
        {
            "+" => Number(b.Left, vars) + Number(b.Right, vars),
            "-" => Number(b.Left, vars) - Number(b.Right, vars),
            "*" => Number(b.Left, vars) * Number(b.Right, vars),
            "/" => Number(b.Right, vars) is var d && d == 0 ? double.NaN : Number(b.Left, vars) / d,
            "%" => Number(b.Left, vars) % Number(b.Right, vars),
            _ => throw new InvalidOperationException(b.Op),
        },
        RefCall c => Call(c, c.Arguments.Select(a => Number(a, vars)).ToArray()),
        _ => throw new InvalidOperationException(node.ToString()),
    };

    public static bool Bool(RefNode node, double[] vars)
    {
        switch (node)
        {
            case RefBool b: return b.Value;
            case RefNot n: return !Bool(n.Operand, vars);
            case RefConditional c: return Bool(c.Condition, vars) ? Bool(c.WhenTrue, vars) : Bool(c.WhenFalse, vars);
            case RefBinary { Op: "and" } a: return Bool(a.Left, vars) && Bool(a.Right, vars);
            case RefBinary { Op: "or" } o: return Bool(o.Left, vars) || Bool(o.Right, vars);
            case RefBinary b:
                var l = Number(b.Left, vars);
                var r = Number(b.Right, vars);
                var equal = l == r || (double.IsNaN(l) && double.IsNaN(r)); // missing equals missing
                return b.Op switch
                {
                    "==" => equal,
                    "!=" => !equal,
                    "<" => l < r,
                    "<=" => l <= r,
                    ">" => l > r,
                    _ => l >= r,
                };
            default: throw new InvalidOperationException(node.ToString());
        }
    }

    private static double Call(RefCall c, double[] a) => c.Name switch
    {
        "abs" => Math.Abs(a[0]),
        "floor" => Math.Floor(a[0]),
        "ceil" => Math.Ceiling(a[0]),
        "sqrt" => Math.Sqrt(a[0]),
        "pow" => Math.Pow(a[0], a[1]),
        "min" => a.Skip(1).Aggregate(a[0], Math.Min),
        "max" => a.Skip(1).Aggregate(a[0], Math.Max),
        "round" when a.Length == 1 => Math.Round(a[0], MidpointRounding.AwayFromZero),
        "round" => RoundTo(a[0], a[1]),
        "clamp" => double.IsNaN(a[0]) || double.IsNaN(a[1]) || double.IsNaN(a[2]) || a[1] > a[2] ? double.NaN : Math.Min(Math.Max(a[0], a[1]), a[2]),
        _ => throw new InvalidOperationException(c.Name),
    };

    private static double RoundTo(double x, double digits)
    {
        if (double.IsNaN(x) || double.IsNaN(digits)) return double.NaN;
        var d = (int)Math.Clamp(Math.Round(digits), -15, 15);
        if (d >= 0) return Math.Round(x, d, MidpointRounding.AwayFromZero);
        var scale = Math.Pow(10, -d);
        return Math.Round(x / scale, MidpointRounding.AwayFromZero) * scale;
    }

    /// <summary>Renders with the fewest parentheses precedence and left-associativity need, plus some at random.</summary>
    public static string Render(RefNode node, Random random)
    {
        var sb = new StringBuilder();
        Write(node, 0, sb, random);
        return sb.ToString();
    }

    private static void Write(RefNode node, int required, StringBuilder sb, Random random)
    {
        var parenthesise = node.Level < required || random.Next(12) == 0;
        if (parenthesise) sb.Append('(');
        switch (node)
        {
            case RefNumber n: sb.Append(n.Value.ToString("R", CultureInfo.InvariantCulture)); break;
            case RefBool b: sb.Append(b.Value ? "true" : "false"); break;
            case RefVariable v: sb.Append(Variables[v.Index]); break;
            case RefNegate n:
                sb.Append("- ");
                Write(n.Operand, 9, sb, random);
                break;
            case RefNot n:
                sb.Append(random.Next(2) == 0 ? "not " : "!");
                Write(n.Operand, 4, sb, random);
                break;
            case RefBinary b:
                Write(b.Left, b.Level, sb, random);
                sb.Append(' ').Append(Spell(b.Op, random)).Append(' ');
                Write(b.Right, b.Level + 1, sb, random);
                break;
            case RefCall c:
                sb.Append(c.Name).Append('(');
                for (var i = 0; i < c.Arguments.Length; i++)
                {
                    if (i > 0) sb.Append(", ");
                    Write(c.Arguments[i], 0, sb, random);
                }
                sb.Append(')');
                break;
            case RefConditional c:
                Write(c.Condition, 2, sb, random);
                sb.Append(" ? ");
                Write(c.WhenTrue, 1, sb, random);
                sb.Append(" : ");
                Write(c.WhenFalse, 1, sb, random);
                break;
        }
        if (parenthesise) sb.Append(')');
    }

    private static string Spell(string op, Random random) => op switch
    {
        "and" => random.Next(2) == 0 ? "and" : "&&",
        "or" => random.Next(2) == 0 ? "or" : "||",
        _ => op,
    };
}

/// <summary>Random trees of bounded depth over numbers x, y, z and a few literals (zero included, for division).</summary>
internal sealed class RefGenerator(Random random)
{
    private static readonly double[] Literals = [0, 1, 2, 3, 0.5, 2.5, 7.1, 10, 100, 1e-3, 1.5e3, -4, -0.5];
    private static readonly string[] Arithmetic = ["+", "-", "*", "/", "%"];
    private static readonly string[] Comparisons = ["==", "!=", "<", "<=", ">", ">="];
    private static readonly (string Name, int Min, int Max)[] Functions =
        [("abs", 1, 1), ("floor", 1, 1), ("ceil", 1, 1), ("sqrt", 1, 1), ("pow", 2, 2), ("min", 2, 4), ("max", 2, 4), ("round", 1, 2), ("clamp", 3, 3)];

    public RefNode Number(int depth)
    {
        if (depth <= 0 || random.Next(10) < 2)
            return random.Next(3) == 0 ? new RefNumber(Literals[random.Next(Literals.Length)]) : new RefVariable(random.Next(3));
        switch (random.Next(10))
        {
            case < 5: return new RefBinary(Arithmetic[random.Next(Arithmetic.Length)], Number(depth - 1), Number(depth - 1));
            case 5: return new RefNegate(Number(depth - 1));
            case 6 or 7:
                var (name, min, max) = Functions[random.Next(Functions.Length)];
                var count = random.Next(min, max + 1);
                return new RefCall(name, Enumerable.Range(0, count).Select(_ => Number(depth - 1)).ToArray());
            default: return new RefConditional(Bool(depth - 1), Number(depth - 1), Number(depth - 1));
        }
    }

    public RefNode Bool(int depth)
    {
        if (depth <= 0) return new RefBool(random.Next(2) == 0);
        return random.Next(10) switch
        {
            < 4 => new RefBinary(Comparisons[random.Next(Comparisons.Length)], Number(depth - 1), Number(depth - 1)),
            4 or 5 => new RefBinary("and", Bool(depth - 1), Bool(depth - 1)),
            6 or 7 => new RefBinary("or", Bool(depth - 1), Bool(depth - 1)),
            8 => new RefNot(Bool(depth - 1)),
            _ => random.Next(3) == 0 ? new RefConditional(Bool(depth - 1), Bool(depth - 1), Bool(depth - 1)) : new RefBool(random.Next(2) == 0),
        };
    }
}
