using Millrace.Hub.Processing.Rules;

namespace Millrace.Hub.Tests.Processing.Rules;

/// <summary><c>kind: counter-quantity</c>: counter deltas with resets and rollovers, reported per production order.</summary>
public sealed class CounterQuantityRuleSpecs
{
    private const string Completed = "com.acme.production.completed.v1";
    private const string Filler = "plant-01/line-1/filler-01";
    private const string Line = "plant-01/line-1";

    private static string Rules(string reporting) => $$"""
        rules:
          - id: production
            kind: counter-quantity
            class: filler
            good: good-count
            scrap: scrap-count
            {{reporting}}
            event: com.acme.production.completed.v1
        """;

    [Fact]
    public void Quantities_are_reported_per_order_at_order_change_with_counter_resets_counted_from_zero()
    {
        var h = new RuleHarness(Rules("window: 1h"));
        h.Context.Release(Line, "PO-1", 0);
        h.Context.Release(Line, "PO-2", 10_000);
        h.Feed(Filler, "good-count", 1000, 1_000);   // baseline
        h.Feed(Filler, "scrap-count", 50, 1_000);    // baseline
        h.Feed(Filler, "good-count", 1040, 2_000);   // +40
        h.Feed(Filler, "scrap-count", 52, 2_000);    // +2
        h.Feed(Filler, "good-count", 12, 3_000);     // reset to 0, then 12 counted: +12
        h.Feed(Filler, "good-count", 30, 11_000);    // PO-2: +18, and PO-1 is reported
        var first = Assert.Single(h.Sink.OfType(Completed));
        Assert.Equal(("PO-1", 52.0, 2.0), (first.Data["orderId"]!.GetValue<string>(), first.Data["good"]!.GetValue<double>(), first.Data["scrap"]!.GetValue<double>()));
        Assert.Equal("production/plant-01/line-1/filler-01/PO-1/2000", first.FactKey);
        Assert.Equal("PO-1", first.PartitionKey);
        h.Engine.AdvanceWatermark(3_600_000, h.Sink); // the hour closes: PO-2's count so far is reported
        var second = h.Sink.OfType(Completed).Last();
        Assert.Equal(("PO-2", 18.0, 0.0), (second.Data["orderId"]!.GetValue<string>(), second.Data["good"]!.GetValue<double>(), second.Data["scrap"]!.GetValue<double>()));
    }

    [Fact]
    public void A_counter_that_wraps_at_its_rollover_is_counted_across_the_wrap()
    {
        var h = new RuleHarness(Rules("window: 1h\n    rollover: 65536"));
        h.Context.Release(Line, "PO-1", 0);
        h.Feed(Filler, "good-count", 65_500, 1_000);
        h.Feed(Filler, "good-count", 65_530, 2_000); // +30
        h.Feed(Filler, "good-count", 14, 3_000);     // wrapped: +6 to 65535, +1 to 0, +14 = +20
        h.Engine.AdvanceWatermark(3_600_000, h.Sink);
        Assert.Equal(50.0, Assert.Single(h.Sink.Events).Data["good"]!.GetValue<double>());
    }

    [Fact]
    public void Every_n_units_reports_a_chunk_as_soon_as_it_is_full()
    {
        var h = new RuleHarness(Rules("every: 100"));
        h.Context.Release(Line, "PO-7", 0);
        long t = 0;
        h.Feed(Filler, "good-count", 0, t += 1000);
        for (int i = 1; i <= 25; i++) h.Feed(Filler, "good-count", i * 10, t += 1000);
        Assert.Equal([100.0, 100.0], h.Sink.Events.Select(e => e.Data["good"]!.GetValue<double>()));
        Assert.Equal(2, h.Sink.Events.Select(e => e.FactKey).Distinct().Count());
    }

    [Fact]
    public void The_chunk_reported_because_the_order_changed_is_the_orders_final_confirmation()
    {
        var h = new RuleHarness(Rules("window: 1h"));
        h.Context.Release(Line, "PO-1", 0);
        h.Context.Release(Line, "PO-2", 10_000);
        h.Feed(Filler, "good-count", 0, 1_000);
        h.Feed(Filler, "good-count", 40, 2_000);     // PO-1: +40
        h.Feed(Filler, "good-count", 55, 11_000);    // PO-2: +15; PO-1 is over
        h.Engine.AdvanceWatermark(3_600_000, h.Sink); // PO-2 is still running when its window closes
        var facts = h.Sink.OfType(Completed).Select(e => (e.Data["orderId"]!.GetValue<string>(), e.Data["final"]!.GetValue<bool>())).ToList();
        Assert.Equal([("PO-1", true), ("PO-2", false)], facts);
    }

    [Fact]
    public void An_order_whose_last_chunk_went_out_before_the_change_is_closed_by_a_zero_final_confirmation()
    {
        var h = new RuleHarness(Rules("every: 100"));
        h.Context.Release(Line, "PO-7", 0);
        h.Context.Release(Line, "PO-8", 20_000);
        h.Feed(Filler, "good-count", 0, 1_000);
        h.Feed(Filler, "good-count", 100, 2_000);    // PO-7's chunk is full: reported, not final
        h.Feed(Filler, "good-count", 100, 21_000);   // PO-8 active, nothing counted: PO-7 is closed
        h.Feed(Filler, "good-count", 130, 22_000);   // PO-8: +30, not reported yet; no second closing for PO-7
        var facts = h.Sink.OfType(Completed).ToList();
        Assert.Equal(2, facts.Count);
        Assert.Equal(("PO-7", 100.0, false), (facts[0].Data["orderId"]!.GetValue<string>(), facts[0].Data["good"]!.GetValue<double>(), facts[0].Data["final"]!.GetValue<bool>()));
        Assert.Equal(("PO-7", 0.0, 0.0, true), (facts[1].Data["orderId"]!.GetValue<string>(), facts[1].Data["good"]!.GetValue<double>(),
            facts[1].Data["scrap"]!.GetValue<double>(), facts[1].Data["final"]!.GetValue<bool>()));
        Assert.Equal("production/plant-01/line-1/filler-01/PO-7/2000/final", facts[1].FactKey);
    }

    [Fact]
    public void Quantity_counted_without_an_active_order_is_counted_as_unattributed_not_lost_silently()
    {
        var h = new RuleHarness(Rules("window: 1h"));
        h.Feed(Filler, "good-count", 10, 1_000);
        h.Feed(Filler, "good-count", 25, 2_000);
        h.Engine.AdvanceWatermark(3_600_000, h.Sink);
        Assert.Empty(h.Sink.Events);
        Assert.Equal(15.0, h.Engine.Counters.UnattributedQuantity);
    }
}
