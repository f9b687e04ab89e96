using System.Linq.Expressions;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using Millrace.Core.Expressions;

namespace Millrace.Expressions.Benchmarks;

/// <summary>
/// Evaluation cost of compiled expressions. The per-sample benchmarks run over 1,024 varied samples per invocation
/// (OperationsPerInvoke), so Mean is the time of one evaluation and evaluations/s = 1 / Mean.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
[Config(typeof(ShortConfig))]
public class ExpressionBenchmarks
{
    private const int Samples = 1024;
    private const string ConditionText = "value > 7.1 and quality == 0";
    private const string ComputedText = "round(value * 1.0, 2)";
    private const string SignalText = "signal.spindle_temp - ambient > 20";
    private const string BusinessRule = "data.confirmed <= data.order_quantity * 1.05 and data.severity in ['high', 'critical']";

    private readonly Sample[] _samples = new Sample[Samples];
    private ExpressionScope<Sample> _scope = null!;
    private Func<Sample, bool> _condition = null!;
    private Func<Sample, bool> _handWritten = null!;
    private Func<Sample, bool> _handBuiltTree = null!;
    private Func<Sample, double> _computed = null!;
    private Func<Sample, bool> _signal = null!;
    private Func<JsonElement, bool> _businessRule = null!;
    private Func<JsonElement, string> _template = null!;
    private JsonElement _data;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        for (var i = 0; i < Samples; i++)
            _samples[i] = new Sample
            {
                Value = 5 + random.NextDouble() * 5,
                Quality = random.Next(4) == 0 ? 192 : 0,
                Ambient = 20 + random.NextDouble() * 4,
                Signals = [30 + random.NextDouble() * 30, 1200],
            };
        _scope = ExpressionScope.For<Sample>()
            .Field("value", s => s.Value)
            .Field("quality", s => s.Quality)
            .Field("ambient", s => s.Ambient)
            .Field("signal.spindle_temp", ctx => Expression.ArrayIndex(Expression.Field(ctx, nameof(Sample.Signals)), Expression.Constant(0)));
        _condition = ExpressionCompiler.CompilePredicate(ConditionText, _scope);
        _handWritten = s => s.Value > 7.1 && s.Quality == 0;
        // The same tree written by hand and compiled by System.Linq.Expressions: the floor for any compiled expression.
        System.Linq.Expressions.Expression<Func<Sample, bool>> tree = s => s.Value > 7.1 && s.Quality == 0;
        _handBuiltTree = tree.Compile();
        _computed = ExpressionCompiler.CompileNumber(ComputedText, _scope);
        _signal = ExpressionCompiler.CompilePredicate(SignalText, _scope);
        _data = JsonDocument.Parse("""
            { "order": "PO-4711", "order_quantity": 1000, "confirmed": 1040, "unit": "pcs", "severity": "high",
              "lines": [ { "sku": "A-1", "qty": 2 } ], "completed_at": "2026-11-22T10:15:00Z" }
            """).RootElement;
        _businessRule = ExpressionCompiler.CompilePredicate(BusinessRule, ExpressionScope.ForJson());
        _template = ExpressionCompiler.CompileTemplate("Order {data.order}: {data.confirmed} {upper(data.unit)}", ExpressionScope.ForJson());
    }

    [Benchmark(Description = "condition 'value > 7.1 and quality == 0' (struct)", OperationsPerInvoke = Samples)]
    public int Condition()
    {
        var hits = 0;
        var f = _condition;
        foreach (var s in _samples) if (f(s)) hits++;
        return hits;
    }

    [Benchmark(Baseline = true, Description = "same condition as a hand-written C# lambda", OperationsPerInvoke = Samples)]
    public int HandWritten()
    {
        var hits = 0;
        var f = _handWritten;
        foreach (var s in _samples) if (f(s)) hits++;
        return hits;
    }

    [Benchmark(Description = "same condition as a C# expression tree, Compile()", OperationsPerInvoke = Samples)]
    public int HandBuiltTree()
    {
        var hits = 0;
        var f = _handBuiltTree;
        foreach (var s in _samples) if (f(s)) hits++;
        return hits;
    }

    [Benchmark(Description = "computed 'round(value * 1.0, 2)' (struct)", OperationsPerInvoke = Samples)]
    public double Computed()
    {
        var sum = 0.0;
        var f = _computed;
        foreach (var s in _samples) sum += f(s);
        return sum;
    }

    [Benchmark(Description = "condition 'signal.spindle_temp - ambient > 20' (array element)", OperationsPerInvoke = Samples)]
    public int SignalCondition()
    {
        var hits = 0;
        var f = _signal;
        foreach (var s in _samples) if (f(s)) hits++;
        return hits;
    }

    [Benchmark(Description = "business rule over CloudEvent data (JsonElement)")]
    public bool JsonBusinessRule() => _businessRule(_data);

    [Benchmark(Description = "mapping template 'Order {data.order}: {data.confirmed} {upper(data.unit)}'")]
    public string Template() => _template(_data);

    [Benchmark(Description = "parse + type-check + compile a condition")]
    public Func<Sample, bool> Compile() => ExpressionCompiler.CompilePredicate(ConditionText, _scope);

    private sealed class ShortConfig : ManualConfig
    {
        public ShortConfig() => AddJob(Job.ShortRun);
    }
}
