using Millrace.Hub.Processing.Rules;

namespace Millrace.Hub.Tests.Processing.Rules;

/// <summary><c>kind: window</c>: tumbling, sliding and count windows with aggregates, early close and watermarks.</summary>
public sealed class WindowRuleSpecs
{
    private const string Filler = "plant-01/line-1/filler-01";

    private static RuleHarness Harness(string shape, string aggregates, string extra = "") => new($$"""
        rules:
          - id: speed-stats
            kind: window
            class: filler
            signal: speed
            {{shape}}
            aggregates: [{{aggregates}}]
            {{extra}}
            event: com.acme.asset.speed.aggregated.v1
        """);

    [Fact]
    public void Tumbling_window_closes_when_a_later_window_starts_and_reports_its_aggregates()
    {
        var h = Harness("tumbling: 1m", "count, sum, min, max, avg, first, last, p50, p90");
        double[] values = [10, 40, 20, 30];
        for (int i = 0; i < values.Length; i++) h.Feed(Filler, "speed", values[i], 10_000 * (i + 1));
        Assert.Empty(h.Sink.Events);
        h.Feed(Filler, "speed", 99, 60_000); // next minute
        var data = Assert.Single(h.Sink.Events).Data;
        Assert.Equal((4L, 100.0, 10.0, 40.0, 25.0, 10.0, 30.0), (data["count"]!.GetValue<long>(), data["sum"]!.GetValue<double>(), data["min"]!.GetValue<double>(),
            data["max"]!.GetValue<double>(), data["avg"]!.GetValue<double>(), data["first"]!.GetValue<double>(), data["last"]!.GetValue<double>()));
        Assert.Equal((20.0, 40.0), (data["p50"]!.GetValue<double>(), data["p90"]!.GetValue<double>()));
        Assert.Equal(("1970-01-01T00:00:00.000Z", "1970-01-01T00:01:00.000Z"), (data["windowStart"]!.GetValue<string>(), data["windowEnd"]!.GetValue<string>()));
        h.Engine.AdvanceWatermark(120_000, h.Sink); // the watermark closes the second minute
        Assert.Equal(2, h.Sink.Events.Count);
    }

    [Fact]
    public void Sliding_window_reports_every_step_over_the_last_size()
    {
        var h = Harness("sliding: { size: 3m, every: 1m }", "count, sum");
        for (int minute = 0; minute < 4; minute++) h.Feed(Filler, "speed", minute + 1, minute * 60_000 + 30_000);
        h.Engine.AdvanceWatermark(4 * 60_000, h.Sink);
        // windows ending at 1, 2, 3, 4 minutes: [1], [1,2], [1,2,3], [2,3,4]
        Assert.Equal([1.0, 3.0, 6.0, 9.0], h.Sink.Events.Select(e => e.Data["sum"]!.GetValue<double>()));
        h.Engine.AdvanceWatermark(10 * 60_000, h.Sink);
        Assert.Equal([1.0, 3.0, 6.0, 9.0, 7.0, 4.0], h.Sink.Events.Select(e => e.Data["sum"]!.GetValue<double>()));
    }

    [Fact]
    public void Count_window_closes_after_n_samples_and_close_when_closes_early()
    {
        var h = Harness("count: 3", "count, last", "close-when: value == 0");
        foreach (var (t, v) in new[] { (1L, 5.0), (2L, 6.0), (3L, 7.0), (4L, 8.0), (5L, 0.0), (6L, 1.0) })
            h.Feed(Filler, "speed", v, t * 1000);
        Assert.Equal([(3L, 7.0), (2L, 0.0)], h.Sink.Events.Select(e => (e.Data["count"]!.GetValue<long>(), e.Data["last"]!.GetValue<double>())));
    }

    [Fact]
    public void Delta_of_a_cumulative_counter_adds_up_across_windows_and_resets()
    {
        var h = new RuleHarness("""
            rules:
              - id: output-per-minute
                kind: window
                class: filler
                signal: good-count
                tumbling: 1m
                aggregates: [delta]
                event: com.acme.asset.output.aggregated.v1
            """);
        foreach (var (t, v) in new[] { (0L, 100.0), (30L, 130.0), (59L, 150.0), (61L, 5.0), (90L, 25.0), (130L, 40.0) })
            h.Feed(Filler, "good-count", v, t * 1000);
        h.Engine.AdvanceWatermark(180_000, h.Sink);
        Assert.Equal([50.0, 25.0, 15.0], h.Sink.Events.Select(e => e.Data["delta"]!.GetValue<double>()));
    }
}
