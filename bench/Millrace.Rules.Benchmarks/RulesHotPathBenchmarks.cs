using BenchmarkDotNet.Attributes;
using Millrace.Hub.Processing.Rules;
using Millrace.Hub.Processing.Telemetry;

namespace Millrace.Rules.Benchmarks;

/// <summary>
/// One shard (one core) evaluating ten rules per asset: every asset reports its six signals each tick (1 s apart, like the simulator and the acme lateness of 2 s assume),
/// in order with 2 s allowed lateness (samples pass through the reorder run). Each invocation feeds about a million
/// samples, continuing event time and counters from the previous one, so Mean is the cost of one sample.
/// <c>Quiet</c>: values stay normal and windows are a day long, so no rule emits a fact during the run (the pure
/// per-sample path, which must allocate nothing). <c>WithFacts</c>: minute windows, count windows of 100 samples and
/// vibration episodes on one asset in 50, so facts are emitted at a realistic rate (their allocation is amortised).
/// </summary>
[MemoryDiagnoser]
public class RulesHotPathBenchmarks
{
    private const int Signals = 6;
    private TelemetrySample[] _quiet = [];
    private TelemetrySample[] _busy = [];
    private bool[] _isCounter = [];
    private IShardRuleEngine _quietEngine = null!;
    private IShardRuleEngine _busyEngine = null!;
    private readonly CountingSink _quietSink = new();
    private readonly CountingSink _busySink = new();
    private long _quietPass, _busyPass;
    private int _quietCursor, _busyCursor;
    private int _ticks;

    [Params(512, 50_000)]
    public int Assets { get; set; }

    /// <summary>Samples per invocation.</summary>
    public const int Target = 1_000_000;

    [GlobalSetup]
    public void Setup()
    {
        _ticks = Math.Max(1, Target / (Assets * Signals));
        var quietSet = BenchPlant.Build(Assets, "1000d", "1000000000");
        var busySet = BenchPlant.Build(Assets, "1m", "100");
        _quietEngine = quietSet.CreateShard(0, 1, new FixedContext(quietSet.Model));
        _busyEngine = busySet.CreateShard(0, 1, new FixedContext(busySet.Model));
        (_quiet, _isCounter) = Stream(quietSet, episodes: false);
        (_busy, _) = Stream(busySet, episodes: true);
        // warm: the first pass sets baselines and grows nothing afterwards
        Quiet();
        WithFacts();
    }

    private (TelemetrySample[] Samples, bool[] IsCounter) Stream(RuleSet set, bool episodes)
    {
        var model = set.Model;
        var random = new Random(42);
        var samples = new TelemetrySample[_ticks * Assets * Signals];
        var counter = new bool[samples.Length];
        int n = 0;
        for (int tick = 0; tick < _ticks; tick++)
        {
            for (int a = 0; a < Assets; a++)
            {
                var signals = model.GetSignals(a);
                bool degraded = episodes && a % 50 == 0 && (tick / 20) % 2 == 1;
                for (int s = 0; s < Signals; s++)
                {
                    double value = s switch
                    {
                        0 => degraded ? 9 + random.NextDouble() : 2 + random.NextDouble(),
                        1 => 40 + random.NextDouble(),
                        2 => tick,
                        3 => tick / 10,
                        4 => 0,
                        _ => 300 + random.NextDouble() * 10,
                    };
                    counter[n] = s is 2 or 3;
                    samples[n++] = new TelemetrySample { Asset = a, Signal = signals[s].Index, Value = value, TimestampMs = 1_800_000_000_000 + tick * 1000L, Quality = SampleQuality.Good };
                }
            }
        }
        return (samples, counter);
    }

    [Benchmark(OperationsPerInvoke = Target)]
    public long Quiet() => Run(_quietEngine, _quiet, _quietSink, ref _quietPass, ref _quietCursor);

    [Benchmark(OperationsPerInvoke = Target)]
    public long WithFacts() => Run(_busyEngine, _busy, _busySink, ref _busyPass, ref _busyCursor);

    [GlobalCleanup]
    public void Report() =>
        Console.WriteLine($"// facts: quiet {_quietSink.Facts} (late {_quietSink.LateSamples}, duplicates {_quietEngine.Counters.Duplicates}) of {_quietEngine.Counters.Samples} samples; " +
                          $"with facts {_busySink.Facts} (late {_busySink.LateSamples}, duplicates {_busyEngine.Counters.Duplicates}) of {_busyEngine.Counters.Samples} samples");

    // The stream continues exactly where the previous invocation stopped: event time and counters only move forward.
    private long Run(IShardRuleEngine engine, TelemetrySample[] samples, CountingSink sink, ref long pass, ref int cursor)
    {
        var isCounter = _isCounter;
        int i = cursor;
        for (int fed = 0; fed < Target; fed++)
        {
            var s = samples[i];
            s.TimestampMs += pass * _ticks * 1000L;
            if (isCounter[i]) s.Value += pass * _ticks;
            engine.OnSample(in s, sink);
            if (++i == samples.Length)
            {
                i = 0;
                pass++;
            }
        }
        cursor = i;
        return sink.Facts;
    }
}
