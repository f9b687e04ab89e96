using Millrace.Hub.Processing.Rules;

namespace Millrace.Hub.Tests.Processing.Rules;

/// <summary><c>kind: threshold</c>: episodes with hysteresis, minimum duration and consecutive samples.</summary>
public sealed class ThresholdRuleSpecs
{
    private const string Alert = "com.acme.maintenance.alert.raised.v1";
    private const string Cnc = "plant-01/line-1/cnc-01";

    private const string Vibration = """
        rules:
          - id: spindle-vibration-high
            kind: threshold
            class: cnc-mill
            signal: spindle-vibration
            above: 7.1
            clear-below: 4.5
            consecutive: 2
            event: com.acme.maintenance.alert.raised.v1
            cleared-event: com.acme.maintenance.alert.cleared.v1
            severity: high
            overrides:
              - asset: plant-01/line-1/cnc-02
                enabled: false
        """;

    [Fact]
    public void Vibration_alert_fires_once_per_episode_with_hysteresis()
    {
        var h = new RuleHarness(Vibration);
        double[] values = [3, 7.5, 8.2, 9.4, 6.0, 7.3, 8.8, 5.0, 4.4, 3.0, 7.6, 7.8, 4.0];
        for (int i = 0; i < values.Length; i++) h.Feed(Cnc, "spindle-vibration", values[i], 1_000 * (i + 1));

        var alerts = h.Sink.OfType(Alert).ToList();
        Assert.Equal(2, alerts.Count); // 7.5.. dipping to 6.0 stays inside the hysteresis band: one episode until 4.4
        Assert.Equal("spindle-vibration-high/plant-01/line-1/cnc-01/2000", alerts[0].FactKey);
        Assert.Equal(8.2, alerts[0].Data["value"]!.GetValue<double>()); // peak when raised (second sample)
        Assert.Equal(7.1, alerts[0].Data["threshold"]!.GetValue<double>());
        Assert.Equal("spindle-vibration-high/plant-01/line-1/cnc-01/11000", alerts[1].FactKey);
        var cleared = h.Sink.OfType("com.acme.maintenance.alert.cleared.v1").ToList();
        Assert.Equal(2, cleared.Count);
        Assert.Equal(9.4, cleared[0].Data["value"]!.GetValue<double>()); // final peak of the first episode
        Assert.Equal(7.0, cleared[0].Data["minDurationSeconds"]!.GetValue<double>()); // 2 s .. 9 s
    }

    [Fact]
    public void A_quality_exception_names_the_characteristic_its_spec_limits_and_the_lot_in_production()
    {
        var h = new RuleHarness("""
            rules:
              - id: speed-out-of-spec
                kind: threshold
                class: filler
                signal: speed
                below: 100
                above: 200
                hysteresis: 5
                consecutive: 2
                severity: medium
                payload: quality-exception
                event: com.acme.quality.exception.raised.v1
            """);
        h.Context.Release("plant-01/line-1", "PO-9", 0);
        double[] values = [150, 96, 91, 94, 104, 150];
        for (int i = 0; i < values.Length; i++) h.Feed("plant-01/line-1/filler-01", "speed", values[i], 1_000 * (i + 1));

        var e = Assert.Single(h.Sink.OfType("com.acme.quality.exception.raised.v1")); // 104 is inside the clear limit 105: still one episode
        Assert.Equal("speed-out-of-spec/plant-01/line-1/filler-01/2000", e.FactKey);
        Assert.StartsWith("qe-", e.Data["exceptionId"]!.GetValue<string>());
        Assert.Equal(("plant-01/line-1/filler-01", "speed", 91.0, 100.0, 200.0, "medium"),
            (e.Data["asset"]!.GetValue<string>(), e.Data["characteristic"]!.GetValue<string>(), e.Data["measured"]!.GetValue<double>(),
             e.Data["lowerLimit"]!.GetValue<double>(), e.Data["upperLimit"]!.GetValue<double>(), e.Data["severity"]!.GetValue<string>()));
        Assert.Equal(("PO-9", "FG-1000", "PO-9"), (e.Data["orderId"]!.GetValue<string>(), e.Data["material"]!.GetValue<string>(), e.Data["lot"]!.GetValue<string>()));
    }

    [Fact]
    public void A_single_spike_does_not_raise_when_two_consecutive_samples_are_required()
    {
        var h = new RuleHarness(Vibration);
        h.Feed(Cnc, "spindle-vibration", 9, 1_000);
        h.Feed(Cnc, "spindle-vibration", 3, 2_000);
        h.Feed(Cnc, "spindle-vibration", 9, 3_000);
        h.Feed(Cnc, "spindle-vibration", 3, 4_000);
        Assert.Empty(h.Sink.Events);
    }

    [Fact]
    public void An_override_disables_the_rule_for_one_asset()
    {
        var h = new RuleHarness(Vibration);
        for (int i = 0; i < 5; i++) h.Feed("plant-01/line-1/cnc-02", "spindle-vibration", 12, 1_000 * (i + 1));
        Assert.Empty(h.Sink.Events);
    }

    [Fact]
    public void Minimum_duration_is_measured_in_event_time()
    {
        var h = new RuleHarness("""
            rules:
              - id: hot
                kind: threshold
                class: cnc-mill
                signal: spindle-temperature
                above: 60
                hysteresis: 5
                min-duration: 30s
                event: com.acme.maintenance.alert.raised.v1
                overrides:
                  - asset: plant-01/line-1/cnc-02
                    above: 80
            """);
        foreach (var (t, v) in new[] { (0L, 61.0), (10_000L, 62.0), (29_999L, 63.0), (30_000L, 57.0), (40_000L, 70.0), (70_000L, 71.0) })
            h.Feed(Cnc, "spindle-temperature", v, t);
        var alert = Assert.Single(h.Sink.Events); // the first stretch dipped to 57 (≤ 60) before lasting 30 s
        Assert.Equal("hot/plant-01/line-1/cnc-01/40000", alert.FactKey);
        foreach (var (t, v) in new[] { (0L, 75.0), (40_000L, 79.0) })
            h.Feed("plant-01/line-1/cnc-02", "spindle-temperature", v, t);
        Assert.Single(h.Sink.Events); // cnc-02's limit is 80
    }

    [Fact]
    public void Cold_chain_excursion_uses_the_storage_location_limits_and_reports_its_peak_and_duration()
    {
        var h = new RuleHarness("""
            rules:
              - id: cold-chain-excursion
                kind: threshold
                class: temperature-sensor
                signal: temperature
                limits: storage-location
                hysteresis: 0.5
                min-duration: 1m
                event: com.acme.coldchain.excursion.detected.v1
            """);
        foreach (var (t, v) in new[] { (0L, 5.0), (60_000L, 8.4), (90_000L, 9.6), (120_000L, 9.1), (180_000L, 7.8), (240_000L, 7.4), (300_000L, 1.2), (340_000L, 1.0), (350_000L, 4.0) })
            h.Feed("plant-01/cold-store/ts-a1", "temperature", v, t);
        var excursion = Assert.Single(h.Sink.Events); // 7.8 is inside the hysteresis margin (clears at ≤ 7.5); the later cold stretch is too short
        var data = excursion.Data;
        Assert.Equal((9.6, 2.0, 8.0, 60.0), (data["temperature"]!.GetValue<double>(), data["allowedMin"]!.GetValue<double>(),
            data["allowedMax"]!.GetValue<double>(), data["durationSeconds"]!.GetValue<double>()));
        Assert.Equal("plant-01/cold-store/bay-a", data["storageLocation"]!.GetValue<string>());
        Assert.Equal("1970-01-01T00:01:00.000Z", data["startedAt"]!.GetValue<string>());
    }
}
