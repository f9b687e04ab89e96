using System.Text;
using Millrace.Core.Config;
using Millrace.Core.Model;
using Millrace.Hub.Governance;
using Millrace.Hub.Processing.Context;
using Millrace.Hub.Processing.Rules;
using Millrace.Hub.Processing.Telemetry;

namespace Millrace.Rules.Benchmarks;

/// <summary>
/// A generated plant of machines (six signals each) with ten rules on the class, loaded through the real
/// configuration loader. <paramref name="windowLength"/> sets the reporting windows: a day for a stream in which no
/// rule emits (the per-sample path alone), a minute for realistic fact rates.
/// </summary>
internal static class BenchPlant
{
    public static RuleSet Build(int assets, string windowLength, string countWindow)
    {
        var plants = new StringBuilder("""
            enterprise: { id: bench, name: Bench }
            asset-classes:
              - id: machine
                signals:
                  - { name: vibration, kind: gauge, unit: mm/s }
                  - { name: temperature, kind: gauge, unit: °C }
                  - { name: good-count, kind: counter, unit: count }
                  - { name: scrap-count, kind: counter, unit: count }
                  - { name: state, kind: state, states: [running, idle, down, setup] }
                  - { name: speed, kind: gauge, unit: count/min }
            plants:
              - id: plant-01
                name: Bench
                timezone: UTC
                areas:
                  - id: hall
                    name: Hall
                    lines:

            """);
        const int perLine = 50;
        for (int line = 0; line * perLine < assets; line++)
        {
            plants.Append("          - id: line-").Append(line).Append("\n            name: Line\n            assets:\n");
            for (int a = line * perLine; a < Math.Min(assets, (line + 1) * perLine); a++)
                plants.Append("              - { id: m-").Append(a).Append(", class: machine }\n");
        }
        string rules = $$"""
            rule-settings:
              allowed-lateness: 2s
            rules:
              - { id: vibration-high, kind: threshold, class: machine, signal: vibration, above: 7.1, clear-below: 4.5, consecutive: 3, event: a.v1 }
              - { id: vibration-severe, kind: threshold, class: machine, signal: vibration, above: 11, hysteresis: 2, when: "quality == 'good'", event: a.v1 }
              - { id: hot, kind: threshold, class: machine, signal: temperature, above: 80, hysteresis: 5, min-duration: 30s, event: a.v1 }
              - { id: slow, kind: threshold, class: machine, signal: speed, below: 10, clear-above: 50, consecutive: 5, event: a.v1 }
              - { id: heating, kind: rate-of-change, class: machine, signal: temperature, per: 1m, span: 2m, above: 5, clear-below: 1, event: a.v1 }
              - { id: production, kind: counter-quantity, class: machine, good: good-count, scrap: scrap-count, window: {{windowLength}}, event: p.v1 }
              - id: downtime
                kind: state-machine
                class: machine
                signal: state
                states: [{ name: down, reason: breakdown }, { name: setup, reason: changeover }]
                event: d.v1
                ended-event: e.v1
              - id: stopped
                kind: state-machine
                class: machine
                states: [{ name: down, reason: other, when: "signal.speed < 1 and signal.state == 0" }]
                event: d.v1
                ended-event: e.v1
              - { id: speed-stats, kind: window, class: machine, signal: speed, tumbling: {{windowLength}}, aggregates: [count, avg, max], event: w.v1 }
              - { id: vibration-stats, kind: window, class: machine, signal: vibration, count: {{countWindow}}, aggregates: [avg, max], event: w.v1 }
            """;
        var result = new ConfigLoader(GovernanceConfig.Sections()).LoadFiles([new ConfigFile("plant.yaml", plants.ToString()), new ConfigFile("rules.yaml", rules)]);
        if (result.HasErrors) throw new InvalidOperationException(string.Join("\n", result.Errors));
        return RuleSet.Compile(result.Config.Get<RuleBook>()!, result.Config.Model);
    }
}

/// <summary>Every asset's line runs one order: contexts built once, looked up without allocation.</summary>
internal sealed class FixedContext : IAssetContextSource
{
    private readonly AssetContext[] _contexts;

    public FixedContext(EnterpriseModel model)
    {
        var order = new ActiveOrder("PO-1", "FG-1", 1000, "pcs", 0);
        _contexts = [.. model.Assets.Select(a => new AssetContext(a.Index, a.Id, a.SiteId, a.LineId, a.CellId, order, "LOT-1", null))];
    }

    public AssetContext At(int asset, long timeMs) => _contexts[asset];
}

/// <summary>Counts facts; keeps none.</summary>
internal sealed class CountingSink : IRuleEventSink
{
    public long Facts;
    public long LateSamples;

    public void Emit(RuleEvent ruleEvent) => Facts++;

    public void Late(in TelemetrySample sample, long watermarkMs) => LateSamples++;
}
