using Millrace.Core.Config;
using Millrace.Core.Model;

namespace Millrace.Core.Tests.Config;

public sealed class AcmeSampleTests
{
    private static readonly Lazy<ConfigLoadResult> Acme = new(() => AcmeLoader.Load(RepoPaths.Acme));

    [Fact]
    public void Acme_loads_without_any_diagnostic()
    {
        Assert.Empty(Acme.Value.Diagnostics.Select(d => d.ToString()));
        Assert.False(Acme.Value.HasErrors);
    }

    [Fact]
    public void Acme_has_eight_plants_forty_lines_and_at_least_500_assets()
    {
        var model = Acme.Value.Config.Model;
        Assert.Equal(8, model.Sites.Length);
        Assert.Equal(Enumerable.Range(1, 8).Select(i => $"plant-{i:00}"), model.Sites.Select(s => s.Id));
        Assert.Equal(40, model.Lines.Length);
        Assert.True(model.AssetCount >= 500, $"only {model.AssetCount} assets");
        Assert.Equal("acme", Acme.Value.Config.Enterprise.Id);
    }

    [Fact]
    public void Summary_line_counts_plants_lines_assets_and_signals()
    {
        var summary = Acme.Value.Summary;
        Assert.Equal($"8 plants, 40 lines, {summary.Assets} assets, {summary.Signals} signals", summary.ToString());
        Assert.Equal(Acme.Value.Config.Model.SignalCount, summary.Signals);
        Assert.Equal(3, Acme.Value.Config.Sources.All.Count(s => s.Kind == "http" || s.Kind == "simulator"));
    }

    [Fact]
    public void Every_plant_has_packaging_and_assembly_lines_cnc_machines_and_a_cold_store()
    {
        var model = Acme.Value.Config.Model;
        foreach (var site in model.Sites)
        {
            var lines = model.GetLinesUnder(site.Id).Select(l => l.LocalId).ToList();
            Assert.Contains("pack-1", lines);
            Assert.Contains("asm-1", lines);
            var cncs = model.GetAssetsUnder(site.Id + "/cnc-1").Where(a => a.Class.Id.StartsWith("cnc-")).ToList();
            Assert.NotEmpty(cncs);
            Assert.All(cncs, cnc => Assert.Contains(model.GetSignals(cnc).ToArray(), s => s.Name == "spindle-vibration"));
            var sensors = model.GetAssetsUnder(site.Id + "/cold-store").Where(a => a.Class.Id == "temperature-sensor").ToList();
            Assert.NotEmpty(sensors);
            Assert.All(sensors, s => Assert.NotNull(model.GetStorageLocation(s)));
        }
    }

    [Fact]
    public void Us_plants_override_vibration_to_inches_per_second_and_the_class_range_follows()
    {
        var model = Acme.Value.Config.Model;
        Assert.True(model.TryGetSignal("plant-03/cnc-1/cnc-07", "spindle-vibration", out var signal));
        Assert.Equal("in/s", signal.Definition.Unit!.Symbol);
        Assert.Equal(50 / 25.4, signal.Definition.Range!.Value.Max!.Value, 12);
        Assert.True(model.TryGetSignal("plant-01/cnc-1/cnc-07", "spindle-vibration", out var metric));
        Assert.Equal("mm/s", metric.Definition.Unit!.Symbol);
    }

    [Fact]
    public void Line_machines_report_cumulative_good_and_scrap_counters_and_a_state()
    {
        var model = Acme.Value.Config.Model;
        Assert.True(model.TryGetAsset("plant-05/pack-2/filler-01", out var filler));
        var signals = model.GetSignals(filler).ToArray().ToDictionary(s => s.Name, s => s.Definition);
        Assert.Equal(SignalKind.Counter, signals["good-count"].Kind);
        Assert.Equal(SignalKind.Counter, signals["scrap-count"].Kind);
        Assert.Equal(SignalKind.State, signals["state"].Kind);
        Assert.Contains("running", signals["state"].States);
    }
}
