using Millrace.Hub.Processing.Rules;
using Millrace.Hub.Processing.Telemetry;

namespace Millrace.Hub.Tests.Processing.Rules;

/// <summary>
/// Property-based exactness: for 200 seeded random telemetry streams with counter resets and rollovers, duplicates,
/// reordering within the allowed lateness and a crash with a restore from an earlier checkpoint into a fresh engine,
/// the produced quantities reported per order add up exactly to the counters' truth and every cold-chain excursion
/// yields exactly one alert. Facts emitted before the crash are emitted again after the restore with the same fact
/// key (and the same data), as the durable log then stores them once; so facts are de-duplicated by key here.
/// </summary>
public sealed class ExactnessProperties
{
    private const long Lateness = 5_000;
    private const double Rollover = 1_000;
    private const string Filler = "plant-01/line-1/filler-01";
    private const string Sensor = "plant-01/cold-store/ts-a1";
    private const string Line = "plant-01/line-1";

    private const string Rules = """
        rule-settings:
          allowed-lateness: 5s
          reorder-capacity: 32
        rules:
          - id: production
            kind: counter-quantity
            class: filler
            good: good-count
            scrap: scrap-count
            every: 50
            window: 1m
            rollover: 1000
            event: com.acme.production.completed.v1
          - id: excursion
            kind: threshold
            class: temperature-sensor
            signal: temperature
            limits: storage-location
            hysteresis: 0.5
            consecutive: 2
            event: com.acme.coldchain.excursion.detected.v1
        """;

    private static readonly RuleSet Set = RulePlant.Compile(Rules);

    private sealed record Arrival(TelemetrySample Sample, long Key);

    [Fact]
    public void Quantities_per_order_sum_exactly_to_the_counters_and_every_excursion_alerts_once_despite_resets_duplicates_reordering_and_restarts()
    {
        for (int seed = 1; seed <= 200; seed++)
        {
            try
            {
                RunOne(seed);
            }
            catch (Exception ex)
            {
                throw new Xunit.Sdk.XunitException($"exactness property failed for seed {seed}: {ex.Message}");
            }
        }
    }

    private static void RunOne(int seed)
    {
        var random = new SeededRandom((ulong)seed);
        var model = Set.Model;
        Assert.True(model.TryGetAssetIndex(Filler, out int filler));
        Assert.True(model.TryGetAssetIndex(Sensor, out int sensor));
        Assert.True(model.TryGetSignalIndex(filler, "good-count", out int good));
        Assert.True(model.TryGetSignalIndex(filler, "scrap-count", out int scrap));
        Assert.True(model.TryGetSignalIndex(sensor, "temperature", out int temperature));

        long t0 = 1_800_000_000_000 + random.Next(0, 60_000);
        int ticks = random.Next(200, 600);
        var context = new ScheduledContext(model);
        var orderStarts = new List<(string Order, long At)> { ("PO-1", t0) };
        for (int o = 2; o <= random.Next(1, 5); o++) orderStarts.Add(($"PO-{o}", t0 + random.Next(1, ticks) * 1000L + random.Next(0, 1000)));
        orderStarts.Sort((a, b) => a.At.CompareTo(b.At));
        foreach (var (order, at) in orderStarts) context.Release(Line, order, at);
        string OrderAt(long ts) => orderStarts.Last(o => o.At <= ts).Order;

        // truth: the filler's counters and the sensor's excursions
        var truth = new Dictionary<string, (double Good, double Scrap)>();
        var samples = new List<TelemetrySample>();
        double rawGood = random.Next(0, 900), rawScrap = random.Next(0, 50);
        int excursions = 0, inExcursion = 0, calm = 0;
        var excursionStarts = new List<long>();
        for (int k = 0; k < ticks; k++)
        {
            long ts = t0 + k * 1000L;
            double[] raw = [rawGood, rawScrap];
            for (int c = 0; c < 2; c++)
            {
                int units = k == 0 ? 0 : random.Next(0, c == 0 ? 8 : 3);
                // a reset is only recognisable when the counter falls, and a fall from the top half reads as a wrap
                if (k > 0 && random.Chance(0.02) && raw[c] > units && raw[c] < Rollover / 2) raw[c] = units;
                else raw[c] = (raw[c] + units) % Rollover;
                if (k > 0)
                {
                    var (g, s) = truth.GetValueOrDefault(OrderAt(ts));
                    truth[OrderAt(ts)] = c == 0 ? (g + units, s) : (g, s + units);
                }
                samples.Add(new TelemetrySample { Asset = filler, Signal = c == 0 ? good : scrap, Value = raw[c], TimestampMs = ts });
            }
            (rawGood, rawScrap) = (raw[0], raw[1]);

            double temp;
            if (inExcursion > 0) { temp = 8.5 + random.NextDouble() * 4; inExcursion--; if (inExcursion == 0) calm = 0; }
            else if (calm >= 3 && random.Chance(0.05)) { inExcursion = random.Next(2, 8) - 1; excursions++; excursionStarts.Add(ts); temp = 9 + random.NextDouble() * 3; }
            else { temp = calm >= 1 && random.Chance(0.03) ? 9.5 : 3 + random.NextDouble() * 4; calm++; } // a lone spike is not an excursion
            if (inExcursion == 0 && temp > 8 && calm > 0) calm = 0;
            samples.Add(new TelemetrySample { Asset = sensor, Signal = temperature, Value = Math.Round(temp, 2), TimestampMs = ts });
        }
        // the stream ends calm, so the last excursion is complete
        long end = t0 + ticks * 1000L;
        for (; inExcursion > 0; inExcursion--, end += 1000) samples.Add(new TelemetrySample { Asset = sensor, Signal = temperature, Value = 10, TimestampMs = end });
        for (int k = 0; k < 3; k++, end += 1000) samples.Add(new TelemetrySample { Asset = sensor, Signal = temperature, Value = 5, TimestampMs = end });

        // arrival: jitter within the lateness bound, duplicates, message ids on some seeds
        bool messageIds = seed % 2 == 0;
        var arrivals = new List<Arrival>();
        foreach (var s0 in samples)
        {
            var s = s0;
            if (messageIds) s.MessageId = (ulong)s.Signal * 1_000_003UL + (ulong)s.TimestampMs;
            arrivals.Add(new Arrival(s, s.TimestampMs + random.Next(0, (int)Lateness)));
            if (random.Chance(0.05)) arrivals.Add(new Arrival(s, s.TimestampMs + random.Next(0, (int)Lateness)));
        }
        arrivals = [.. arrivals.OrderBy(a => a.Key)];

        // crash and restore: engine 1 checkpoints at c and dies at x; engine 2 restores c and replays from there
        int checkpointAt = random.Next(0, arrivals.Count);
        int crashAt = random.Next(checkpointAt, arrivals.Count + 1);
        var sink = new CollectingSink();
        var first = Set.CreateShard(0, 1, context);
        byte[] checkpoint = [];
        long maxTs = long.MinValue;
        for (int i = 0; i < crashAt; i++)
        {
            if (i == checkpointAt) checkpoint = Checkpoint(first);
            Feed(first, arrivals, i, sink, ref maxTs);
        }
        if (checkpointAt == crashAt) checkpoint = Checkpoint(first);
        var second = Set.CreateShard(0, 1, context);
        second.RestoreCheckpoint(checkpoint);
        maxTs = long.MinValue;
        for (int i = 0; i < checkpointAt; i++) maxTs = Math.Max(maxTs, arrivals[i].Sample.TimestampMs);
        for (int i = checkpointAt; i < arrivals.Count; i++) Feed(second, arrivals, i, sink, ref maxTs);
        second.AdvanceWatermark(long.MaxValue / 2, sink);

        Assert.Empty(sink.LateSamples);
        var facts = new Dictionary<string, RuleEvent>();
        foreach (var e in sink.Events)
        {
            if (facts.TryGetValue(e.FactKey, out var earlier))
                Assert.Equal(earlier.Data.ToJsonString(), e.Data.ToJsonString()); // a re-emitted fact is the same fact
            else facts[e.FactKey] = e;
        }
        var reported = facts.Values.Where(e => e.RuleId == "production")
            .GroupBy(e => e.Data["orderId"]!.GetValue<string>())
            .ToDictionary(g => g.Key, g => (Good: g.Sum(e => e.Data["good"]!.GetValue<double>()), Scrap: g.Sum(e => e.Data["scrap"]!.GetValue<double>())));
        foreach (var (order, expected) in truth.Where(t => t.Value.Good + t.Value.Scrap > 0))
            Assert.True(reported.TryGetValue(order, out var got) && got == expected,
                $"order {order}: counted {expected}, reported {(reported.TryGetValue(order, out var r) ? r.ToString() : "nothing")} (checkpoint at {checkpointAt}, crash at {crashAt} of {arrivals.Count})");
        Assert.Equal(truth.Count(t => t.Value.Good + t.Value.Scrap > 0), reported.Count);
        var alerts = facts.Values.Where(e => e.RuleId == "excursion").Select(e => e.FactKey[(e.FactKey.LastIndexOf('/') + 1)..]).ToList();
        Assert.True(excursions == alerts.Count, $"{excursions} excursions starting at {string.Join(", ", excursionStarts)}; alerts for {string.Join(", ", alerts)}");
    }

    private static void Feed(IShardRuleEngine engine, List<Arrival> arrivals, int i, CollectingSink sink, ref long maxTs)
    {
        var sample = arrivals[i].Sample;
        engine.OnSample(in sample, sink);
        maxTs = Math.Max(maxTs, sample.TimestampMs);
        if (i % 50 == 49) engine.AdvanceWatermark(maxTs - Lateness, sink); // as an idle-asset timer would, never past the bound
    }

    private static byte[] Checkpoint(IShardRuleEngine engine)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        engine.WriteCheckpoint(buffer);
        return buffer.WrittenSpan.ToArray();
    }
}
