using System.Diagnostics;
using System.Text;
using Millrace.Core.Expressions;
using Xunit.Abstractions;

namespace Millrace.Core.Tests.Expressions;

/// <summary>Seeded random expressions: the compiler agrees with the reference model; garbage only ever gives ExpressionException.</summary>
public class RandomizedSpecs(ITestOutputHelper output)
{
    private const int Seed = 20261122;
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(20);

    private static readonly ExpressionScope<double[]> Scope = ExpressionScope.For<double[]>()
        .Field("x", v => v[0]).Field("y", v => v[1]).Field("z", v => v[2]);

    private static readonly double[][] Inputs =
    [
        [0, 0, 0], [1, 2, 3], [-2.5, 7.1, 0.5], [1e6, -1e-6, 42], [double.NaN, 1, -1], [3, 3, 3],
    ];

    [Fact]
    public void Random_numeric_expressions_agree_with_the_reference_interpreter()
    {
        var random = new Random(Seed);
        var generator = new RefGenerator(random);
        var clock = Stopwatch.StartNew();
        var checkedCount = 0;
        for (var i = 0; i < 1_500 && clock.Elapsed < Budget; i++)
        {
            var tree = generator.Number(random.Next(1, 6));
            var text = ReferenceInterpreter.Render(tree, random);
            var compiled = ExpressionCompiler.CompileNumber(text, Scope);
            foreach (var vars in Inputs)
            {
                var expected = ReferenceInterpreter.Number(tree, vars);
                var actual = compiled(vars);
                Assert.True(Same(expected, actual), $"'{text}' with x={vars[0]}, y={vars[1]}, z={vars[2]}: expected {expected:R}, got {actual:R}");
            }
            checkedCount++;
        }
        output.WriteLine($"{checkedCount} numeric expressions checked");
        Assert.True(checkedCount >= 100, $"only {checkedCount} expressions fit the time budget");
    }

    [Fact]
    public void Random_boolean_expressions_agree_with_the_reference_interpreter()
    {
        var random = new Random(Seed + 1);
        var generator = new RefGenerator(random);
        var clock = Stopwatch.StartNew();
        var checkedCount = 0;
        for (var i = 0; i < 1_500 && clock.Elapsed < Budget; i++)
        {
            var tree = generator.Bool(random.Next(1, 6));
            var text = ReferenceInterpreter.Render(tree, random);
            var compiled = ExpressionCompiler.CompilePredicate(text, Scope);
            foreach (var vars in Inputs)
                Assert.True(ReferenceInterpreter.Bool(tree, vars) == compiled(vars), $"'{text}' with x={vars[0]}, y={vars[1]}, z={vars[2]}");
            checkedCount++;
        }
        output.WriteLine($"{checkedCount} boolean expressions checked");
        Assert.True(checkedCount >= 100, $"only {checkedCount} expressions fit the time budget");
    }

    private static readonly string[] Fragments =
    [
        "value", "quality", "status", "ts", "window", "signal.spindle_temp", "data", ".", "[", "]", "(", ")", ",", "?", ":",
        "+", "-", "*", "/", "%", "<", "<=", ">", ">=", "==", "!=", "!", "=", "&", "|", "&&", "||", "and", "or", "not", "in",
        "true", "false", "null", "1", "0", "7.1", "1e3", "5s", "2m30s", "1h", "'good'", "\"x\"", "'\\n'", "'\\u00e9'", "'", "\"",
        "\\", "abs", "min", "round", "clamp", "len", "lower", "contains", "coalesce", "now", "exists", "if", "to_number",
        "to_string", "duration_seconds", "timestamp", "sqroot", " ", "  ", "\n", "\t", "é", "@", "#", "$", "1.", ".5", "1e",
        "999999999999999999999", "\u0000", "\ud800",
    ];

    [Fact]
    public void Random_garbage_only_ever_raises_ExpressionException()
    {
        var random = new Random(Seed + 2);
        var scope = Telemetry.Scope();
        var sample = Telemetry.Sample();
        var clock = Stopwatch.StartNew();
        int compiled = 0, rejected = 0;
        for (var i = 0; i < 4_000 && clock.Elapsed < Budget; i++)
        {
            var sb = new StringBuilder();
            var parts = random.Next(1, 14);
            for (var p = 0; p < parts; p++)
            {
                if (random.Next(8) == 0) sb.Append((char)random.Next(0, 0x250));
                else sb.Append(Fragments[random.Next(Fragments.Length)]);
                if (random.Next(2) == 0) sb.Append(' ');
            }
            var text = sb.ToString();
            try
            {
                var value = ExpressionCompiler.CompileValue(text, scope, Telemetry.Options);
                value(sample); // whatever compiles also evaluates without throwing
                compiled++;
            }
            catch (ExpressionException e)
            {
                Assert.InRange(e.Column, 1, text.Length + 1);
                Assert.InRange(e.Column - 1 + e.Length, 0, text.Length);
                rejected++;
            }
            catch (Exception e)
            {
                Assert.Fail($"'{text}' threw {e.GetType().Name}: {e.Message}");
            }
        }
        output.WriteLine($"{compiled} compiled, {rejected} rejected");
        Assert.True(rejected > 100 && compiled > 10, $"{compiled} compiled, {rejected} rejected: the generator is not exercising both paths");
    }

    // Valid expressions over every type and function; mutating them reaches the binder and code generator with
    // near-valid input far more often than random fragments do.
    private static readonly string[] Corpus =
    [
        "value > 7.1 and quality == 0", "signal.spindle_temp - ambient > 20", "round(value * 1.0, 2)",
        "now() - ts > 5m and window <= 5m", "status in ['good', 'uncertain'] ? upper(status) : lower(status)",
        "coalesce(count, 0) + len(status) * clamp(value, 0, 10) % 3", "exists(ts) and exists(window) and exists(count)",
        "to_string(ts + 90s) + to_string(duration_seconds(window)) + to_string(true)", "timestamp('2026-11-22T12:00:00Z') - ts",
        "if(value >= limit, min(value, 1, 2), max(ambient, pow(2, 3), sqrt(abs(-4))))", "not (status != null) || !starts_with(status, 'g')",
        "-window / 2 + 1h30m - 500ms * 3", "to_number('1e3') / 0 == null", "contains(status, 'oo') && ends_with(status, 'd')",
        "floor(value) != ceil(value) and quality not in [64, 192]", "ts - now() < -1d ? 'old' : \"new\"",
    ];

    [Fact]
    public void Mutated_valid_expressions_only_ever_raise_ExpressionException()
    {
        var random = new Random(Seed + 3);
        var scope = Telemetry.Scope();
        var sample = Telemetry.Sample() with { Count = null };
        var clock = Stopwatch.StartNew();
        int compiled = 0, rejected = 0;
        foreach (var text in Corpus) ExpressionCompiler.CompileValue(text, scope, Telemetry.Options)(sample); // the corpus itself is valid
        for (var i = 0; i < 4_000 && clock.Elapsed < Budget; i++)
        {
            var sb = new StringBuilder(Corpus[random.Next(Corpus.Length)]);
            for (var m = random.Next(1, 4); m > 0 && sb.Length > 0; m--)
            {
                var at = random.Next(sb.Length);
                switch (random.Next(4))
                {
                    case 0: sb.Remove(at, Math.Min(random.Next(1, 4), sb.Length - at)); break;
                    case 1: sb.Insert(at, Fragments[random.Next(Fragments.Length)]); break;
                    case 2: sb[at] = sb[random.Next(sb.Length)]; break;
                    default:
                        var other = Corpus[random.Next(Corpus.Length)];
                        var start = random.Next(other.Length);
                        sb.Insert(at, other.AsSpan(start, Math.Min(random.Next(1, 12), other.Length - start)));
                        break;
                }
            }
            var text = sb.ToString();
            try
            {
                ExpressionCompiler.CompileValue(text, scope, Telemetry.Options)(sample);
                compiled++;
            }
            catch (ExpressionException e)
            {
                Assert.InRange(e.Column, 1, text.Length + 1);
                rejected++;
            }
            catch (Exception e)
            {
                Assert.Fail($"'{text}' threw {e.GetType().Name}: {e.Message}");
            }
        }
        output.WriteLine($"{compiled} compiled, {rejected} rejected");
        Assert.True(rejected > 100 && compiled > 100, $"{compiled} compiled, {rejected} rejected: the mutations are not exercising both paths");
    }

    private static bool Same(double a, double b) => a.Equals(b); // bit-level for NaN, exact otherwise
}
