using System.Buffers;
using Millrace.Hub.Processing.Rules;
using Millrace.Hub.Processing.Telemetry;

namespace Millrace.Hub.Tests.Processing.Rules;

/// <summary>De-duplication, allowed lateness and watermarks, and checkpoints.</summary>
public sealed class OrderingAndCheckpointSpecs
{
    private const string Filler = "plant-01/line-1/filler-01";

    private const string Counting = """
        rule-settings:
          allowed-lateness: 10s
        rules:
          - id: production
            kind: counter-quantity
            class: filler
            good: good-count
            window: 1m
            event: com.acme.production.completed.v1
        """;

    private static RuleHarness Counter()
    {
        var h = new RuleHarness(Counting);
        h.Context.Release("plant-01/line-1", "PO-1", 0);
        return h;
    }

    private static double Reported(RuleHarness h) => h.Sink.Events.Sum(e => e.Data["good"]!.GetValue<double>());

    [Fact]
    public void Samples_out_of_order_within_the_lateness_are_put_back_in_order_and_later_ones_are_reported_late()
    {
        var h = Counter();
        foreach (var (t, v) in new[] { (1L, 100.0), (4L, 130.0), (2L, 110.0), (3L, 120.0), (20L, 200.0) })
            h.Feed(Filler, "good-count", v, t * 1000);
        h.Feed(Filler, "good-count", 150, 5_000); // 15 s behind the newest: beyond the 10 s lateness
        h.Engine.AdvanceWatermark(120_000, h.Sink);
        Assert.Equal(100.0, Reported(h)); // in order: 100, 110, 120, 130, 200; a reset would have been counted if order were lost
        var late = Assert.Single(h.Sink.LateSamples);
        Assert.Equal(5_000, late.TimestampMs);
        Assert.Equal(1, h.Engine.Counters.Late);
    }

    [Fact]
    public void Duplicates_by_timestamp_and_by_message_id_are_dropped_and_counted()
    {
        var h = Counter();
        h.Feed(Filler, "good-count", 100, 1_000);
        h.Feed(Filler, "good-count", 100, 1_000);                    // same signal and timestamp
        var resent = h.Sample(Filler, "good-count", 120, 2_000);
        resent.MessageId = 0xABCDEF;
        h.Feed(resent);
        resent.TimestampMs = 2_500;                                    // a re-send with a new time but the same message id
        h.Feed(resent);
        h.Engine.AdvanceWatermark(120_000, h.Sink);
        Assert.Equal(20.0, Reported(h));
        Assert.Equal(2, h.Engine.Counters.Duplicates);
    }

    [Fact]
    public void Bad_quality_samples_update_no_rule()
    {
        var h = Counter();
        h.Feed(Filler, "good-count", 100, 1_000);
        h.Feed(Filler, "good-count", 999_999, 2_000, SampleQuality.Bad);
        h.Feed(Filler, "good-count", 110, 3_000);
        h.Engine.AdvanceWatermark(120_000, h.Sink);
        Assert.Equal(10.0, Reported(h));
        Assert.Equal(1, h.Engine.Counters.BadQuality);
    }

    [Fact]
    public void A_checkpoint_restores_counters_held_samples_and_open_chunks_into_a_fresh_engine()
    {
        var h = Counter();
        foreach (var (t, v) in new[] { (1L, 100.0), (3L, 130.0), (2L, 110.0) })
            h.Feed(Filler, "good-count", v, t * 1000);
        var buffer = new ArrayBufferWriter<byte>();
        h.Engine.WriteCheckpoint(buffer);
        h.Engine = h.Set.CreateShard(0, 1, h.Context);
        h.Engine.RestoreCheckpoint(buffer.WrittenSpan);
        h.Feed(Filler, "good-count", 140, 4_000);
        h.Feed(Filler, "good-count", 140, 3_000); // still recognised as a duplicate after the restore
        h.Engine.AdvanceWatermark(120_000, h.Sink);
        Assert.Equal(40.0, Reported(h));
        Assert.Equal("production/plant-01/line-1/filler-01/PO-1/2000", Assert.Single(h.Sink.Events).FactKey);
    }

    [Fact]
    public void Corrupt_truncated_and_foreign_checkpoints_are_rejected_with_a_reason()
    {
        var h = Counter();
        h.Feed(Filler, "good-count", 100, 1_000);
        var buffer = new ArrayBufferWriter<byte>();
        h.Engine.WriteCheckpoint(buffer);
        var good = buffer.WrittenSpan.ToArray();

        var flipped = (byte[])good.Clone();
        flipped[^12] ^= 0x40;
        Assert.Contains("checksum", Assert.Throws<InvalidDataException>(() => h.Engine.RestoreCheckpoint(flipped)).Message);
        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => h.Engine.RestoreCheckpoint(good.AsSpan(0, 10))).Message);
        Assert.Contains("header announces", Assert.Throws<InvalidDataException>(() => h.Engine.RestoreCheckpoint(good.AsSpan(0, good.Length - 1))).Message);
        Assert.Contains("bad magic", Assert.Throws<InvalidDataException>(() => h.Engine.RestoreCheckpoint(new byte[64])).Message);
        var otherShard = h.Set.CreateShard(1, 2, h.Context);
        Assert.Contains("shard 0 of 1", Assert.Throws<InvalidDataException>(() => otherShard.RestoreCheckpoint(good)).Message);
        var otherRules = new RuleHarness(Counting.Replace("id: production", "id: output"));
        Assert.Contains("another rule set", Assert.Throws<InvalidDataException>(() => otherRules.Engine.RestoreCheckpoint(good)).Message);
        var version = (byte[])good.Clone();
        version[4] = 9;
        Assert.Contains("version 9 is not supported", Assert.Throws<InvalidDataException>(() => h.Engine.RestoreCheckpoint(version)).Message);
    }

    [Fact]
    public void Each_shard_runs_the_rules_of_the_assets_it_owns_only()
    {
        var set = RulePlant.Compile(Counting);
        Assert.True(set.Model.TryGetAssetIndex(Filler, out int filler));
        var context = new ScheduledContext(set.Model);
        context.Release("plant-01/line-1", "PO-1", 0);
        var sinks = new[] { new CollectingSink(), new CollectingSink() };
        var shards = new[] { set.CreateShard(0, 2, context), set.CreateShard(1, 2, context) };
        Assert.True(set.Model.TryGetSignalIndex(filler, "good-count", out int signal));
        for (int s = 0; s < 2; s++)
        {
            foreach (var (t, v) in new[] { (1L, 10.0), (2L, 30.0) })
            {
                var sample = new TelemetrySample { Asset = filler, Signal = signal, Value = v, TimestampMs = t * 1000 };
                shards[s].OnSample(in sample, sinks[s]);
            }
            shards[s].AdvanceWatermark(120_000, sinks[s]);
        }
        Assert.Single(sinks[filler % 2].Events);
        Assert.Empty(sinks[1 - filler % 2].Events);
    }
}
