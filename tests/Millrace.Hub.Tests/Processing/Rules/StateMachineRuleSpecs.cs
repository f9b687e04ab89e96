using Millrace.Hub.Processing.Rules;

namespace Millrace.Hub.Tests.Processing.Rules;

/// <summary><c>kind: state-machine</c>: downtime started and ended with reasons and durations.</summary>
public sealed class StateMachineRuleSpecs
{
    private const string Started = "com.acme.asset.downtime.started.v1";
    private const string Ended = "com.acme.asset.downtime.ended.v1";
    private const string Filler = "plant-01/line-1/filler-01";

    [Fact]
    public void Downtime_from_a_state_signal_starts_and_ends_with_its_reason_and_duration()
    {
        var h = new RuleHarness("""
            rules:
              - id: downtime
                kind: state-machine
                class: filler
                signal: state
                states:
                  - { name: down, reason: breakdown }
                  - { name: setup, reason: changeover, planned: true }
                event: com.acme.asset.downtime.started.v1
                ended-event: com.acme.asset.downtime.ended.v1
                state-event: com.acme.asset.state.changed.v1
            """);
        // running(0) idle(1) down(2) setup(3)
        foreach (var (t, s) in new[] { (0L, 0), (1_000L, 0), (5_000L, 2), (6_000L, 2), (65_000L, 3), (125_000L, 0) })
            h.Feed(Filler, "state", s, t);
        var started = h.Sink.OfType(Started).ToList();
        var ended = h.Sink.OfType(Ended).ToList();
        Assert.Equal(["breakdown", "changeover"], started.Select(e => e.Data["reason"]!.GetValue<string>()));
        Assert.Equal([60.0, 60.0], ended.Select(e => e.Data["durationSeconds"]!.GetValue<double>()));
        Assert.Equal(started[0].Data["downtimeId"]!.GetValue<string>(), ended[0].Data["downtimeId"]!.GetValue<string>());
        Assert.True(started[1].Data["planned"]!.GetValue<bool>());
        Assert.Equal("downtime/plant-01/line-1/filler-01/5000/started", started[0].FactKey);
        Assert.Equal(4, h.Sink.OfType("com.acme.asset.state.changed.v1").Count()); // →running, →down, →setup, →running
    }

    [Fact]
    public void Derived_states_come_from_conditions_and_short_stops_below_the_minimum_duration_are_ignored()
    {
        var h = new RuleHarness("""
            rules:
              - id: stopped
                kind: state-machine
                class: filler
                states:
                  - name: down
                    reason: other
                    when: signal.speed < 1
                  - name: idle
                    when: signal.speed < 100
                min-duration: 30s
                event: com.acme.asset.downtime.started.v1
                ended-event: com.acme.asset.downtime.ended.v1
            """);
        foreach (var (t, v) in new[] { (0L, 300.0), (10_000L, 0.0), (20_000L, 250.0), (30_000L, 0.0), (70_000L, 0.0), (90_000L, 50.0) })
            h.Feed(Filler, "speed", v, t);
        var started = Assert.Single(h.Sink.OfType(Started)); // the 10 s stop is too short
        Assert.Equal("1970-01-01T00:00:30.000Z", started.Data["startedAt"]!.GetValue<string>());
        Assert.Equal(60.0, Assert.Single(h.Sink.OfType(Ended)).Data["durationSeconds"]!.GetValue<double>());
    }
}
