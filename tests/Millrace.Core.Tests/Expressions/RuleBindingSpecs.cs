using System.Linq.Expressions;
using Millrace.Core.Expressions;

namespace Millrace.Core.Tests.Expressions;

/// <summary>
/// The binding the rules engine is meant to use: the sample being processed plus the asset's latest signal values,
/// with signal slots and per-asset settings resolved when the rule is compiled for an asset class.
/// </summary>
public class RuleBindingSpecs
{
    public enum SampleQuality : byte { Good, Uncertain, Bad }

    /// <summary>Shaped like the hub's canonical sample.</summary>
    public struct Sample
    {
        public int Asset;
        public int Signal;
        public double Value;
        public long TimestampMs;
        public SampleQuality Quality;
    }

    /// <summary>What a shard would pass to a rule: the sample and the asset's last value per signal slot.</summary>
    public readonly struct RuleContext(Sample sample, double[] lastValues)
    {
        public readonly Sample Sample = sample;
        public readonly double[] LastValues = lastValues;
    }

    private static ExpressionScope<RuleContext> ScopeForAssetClass(IReadOnlyDictionary<string, int> signalSlots, double ambientLimit)
    {
        var scope = ExpressionScope.For<RuleContext>()
            .Field("value", c => c.Sample.Value)
            .Field("quality", c => c.Sample.Quality)
            .Field("ts", c => ExpressionScope.FromUnixMilliseconds(c.Sample.TimestampMs))
            .Constant("ambient", ambientLimit);
        foreach (var (name, slot) in signalSlots)
            scope.Field("signal." + name, ctx => Expression.ArrayIndex(
                Expression.Field(ctx, nameof(RuleContext.LastValues)), Expression.Constant(slot)));
        return scope;
    }

    private static readonly Dictionary<string, int> Slots = new() { ["spindle_temp"] = 0, ["feed_rate"] = 1 };

    private static RuleContext Context(double value = 7.5, SampleQuality quality = SampleQuality.Good) => new(
        new Sample { Asset = 3, Signal = 0, Value = value, TimestampMs = 1_795_000_000_000, Quality = quality },
        [45.0, 1200.0]);

    [Theory]
    [InlineData("value > 7.1 and quality == 'good'", true)]
    [InlineData("signal.spindle_temp - ambient > 20", true)]
    [InlineData("signal.feed_rate > 1000 and quality != 'bad'", true)]
    [InlineData("ts < timestamp('2030-01-01T00:00:00Z')", true)]
    public void Rules_read_the_sample_the_asset_state_and_compile_time_settings(string text, bool expected) =>
        Assert.Equal(expected, ExpressionCompiler.CompilePredicate(text, ScopeForAssetClass(Slots, 21.5))(Context()));

    [Fact]
    public void A_signal_the_asset_class_does_not_have_is_a_compile_error()
    {
        var error = Assert.Throws<ExpressionException>(() =>
            ExpressionCompiler.CompilePredicate("signal.spindle_tmp > 1", ScopeForAssetClass(Slots, 21.5)));
        Assert.Equal("unknown field 'signal.spindle_tmp' (did you mean 'signal.spindle_temp'?)", error.Reason);
    }

    [Fact]
    public void Evaluating_a_bound_rule_allocates_nothing()
    {
        var rule = ExpressionCompiler.CompilePredicate(
            "value > 7.1 and quality == 'good' and signal.spindle_temp - ambient > 20 and ts != null", ScopeForAssetClass(Slots, 21.5));
        var context = Context();
        Assert.True(rule(context));
        for (var i = 0; i < 1_000; i++) rule(context);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var hits = 0;
        for (var i = 0; i < 100_000; i++) if (rule(context)) hits++;
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(100_000, hits);
    }
}
