using Millrace.Core.Config;
using Millrace.Core.Model;
using Millrace.Hub.Governance;
using Millrace.Hub.Processing.Context;
using Millrace.Hub.Processing.Rules;
using Millrace.Hub.Processing.Telemetry;

namespace Millrace.Hub.Tests.Processing.Rules;

/// <summary>
/// A small plant for rule specifications, loaded through the real configuration loader: line-1 with two CNC mills and
/// a filler, a cold store with bay-a (2..8 °C) watched by ts-a1.
/// </summary>
internal static class RulePlant
{
    public const string Classes = """
        asset-classes:
          - id: cnc-mill
            signals:
              - { name: spindle-vibration, kind: gauge, unit: mm/s }
              - { name: spindle-temperature, kind: gauge, unit: °C }
              - { name: good-count, kind: counter, unit: count }
              - { name: scrap-count, kind: counter, unit: count }
              - { name: state, kind: state, states: [running, idle, down, setup] }
          - id: filler
            signals:
              - { name: good-count, kind: counter, unit: count }
              - { name: scrap-count, kind: counter, unit: count }
              - { name: state, kind: state, states: [running, idle, down, setup] }
              - { name: speed, kind: gauge, unit: count/min }
          - id: temperature-sensor
            cold-chain: true
            signals:
              - { name: temperature, kind: gauge, unit: °C }
        """;

    public const string Plants = """
        enterprise:
          id: acme
          name: Acme
        plants:
          - id: plant-01
            name: Lyon
            timezone: Europe/Paris
            areas:
              - id: machining
                name: Machining
                lines:
                  - id: line-1
                    name: Line 1
                    assets:
                      - { id: cnc-01, class: cnc-mill }
                      - { id: cnc-02, class: cnc-mill }
                      - { id: filler-01, class: filler }
              - id: cold-store
                name: Cold store
                storage-locations:
                  - id: bay-a
                    name: Bay A
                    temperature: { min: 2, max: 8, unit: °C }
                assets:
                  - { id: ts-a1, class: temperature-sensor, storage-location: bay-a }
        """;

    /// <summary>Loads the plant with <paramref name="rules"/> as <c>rules.yaml</c>.</summary>
    public static ConfigLoadResult Load(string rules) =>
        new ConfigLoader(GovernanceConfig.Sections()).LoadFiles([new ConfigFile("classes.yaml", Classes), new ConfigFile("plant.yaml", Plants), new ConfigFile("rules.yaml", rules)]);

    /// <summary>Loads and compiles; fails the test on any configuration error.</summary>
    public static RuleSet Compile(string rules)
    {
        var result = Load(rules);
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        return RuleSet.Compile(result.Config.Get<RuleBook>()!, result.Config.Model);
    }
}

/// <summary>Collects emitted facts and late samples.</summary>
internal sealed class CollectingSink : IRuleEventSink
{
    public List<RuleEvent> Events { get; } = [];
    public List<TelemetrySample> LateSamples { get; } = [];

    public void Emit(RuleEvent ruleEvent) => Events.Add(ruleEvent);

    public void Late(in TelemetrySample sample, long watermarkMs) => LateSamples.Add(sample);

    public IEnumerable<RuleEvent> OfType(string type) => Events.Where(e => e.Type == type);
}

/// <summary>
/// Production context from a schedule: per line, the orders released at event times; At() answers the order in
/// effect at a sample's own time.
/// </summary>
internal sealed class ScheduledContext(EnterpriseModel model) : IAssetContextSource
{
    private readonly Dictionary<string, List<ActiveOrder>> _orders = new(StringComparer.Ordinal);
    private readonly AssetContext[] _plain = [.. model.Assets.Select(a =>
        new AssetContext(a.Index, a.Id, a.SiteId, a.LineId, a.CellId, null, null, a.StorageLocationId))];

    public void Release(string lineId, string orderId, long atMs)
    {
        if (!_orders.TryGetValue(lineId, out var list)) _orders[lineId] = list = [];
        list.Add(new ActiveOrder(orderId, "FG-1000", 500, "pcs", atMs));
        list.Sort((a, b) => a.ReleasedAtMs.CompareTo(b.ReleasedAtMs));
    }

    public AssetContext At(int asset, long timeMs)
    {
        var plain = _plain[asset];
        if (plain.LineId is null || !_orders.TryGetValue(plain.LineId, out var list)) return plain;
        ActiveOrder? order = null;
        foreach (var o in list)
            if (o.ReleasedAtMs <= timeMs) order = o;
        return order is null ? plain : plain with { Order = order };
    }
}

/// <summary>An engine over the test plant with helpers to feed samples by name.</summary>
internal sealed class RuleHarness
{
    public RuleHarness(string rules, int shard = 0, int shardCount = 1)
    {
        Set = RulePlant.Compile(rules);
        Context = new ScheduledContext(Set.Model);
        Engine = Set.CreateShard(shard, shardCount, Context);
    }

    public RuleSet Set { get; }
    public ScheduledContext Context { get; }
    public IShardRuleEngine Engine { get; set; }
    public CollectingSink Sink { get; } = new();

    public TelemetrySample Sample(string asset, string signal, double value, long ts, SampleQuality quality = SampleQuality.Good)
    {
        Assert.True(Set.Model.TryGetAssetIndex(asset, out int a), asset);
        Assert.True(Set.Model.TryGetSignalIndex(a, signal, out int s), signal);
        return new TelemetrySample { Asset = a, Signal = s, Value = value, TimestampMs = ts, Quality = quality };
    }

    public void Feed(string asset, string signal, double value, long ts, SampleQuality quality = SampleQuality.Good)
    {
        var sample = Sample(asset, signal, value, ts, quality);
        Engine.OnSample(in sample, Sink);
    }

    public void Feed(in TelemetrySample sample) => Engine.OnSample(in sample, Sink);
}
