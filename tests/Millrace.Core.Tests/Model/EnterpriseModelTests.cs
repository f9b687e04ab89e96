using Millrace.Core.Model;
using Millrace.Core.Units;

namespace Millrace.Core.Tests.Model;

public sealed class EnterpriseModelTests
{
    private static readonly Unit MmPerS = UnitCatalog.Default.Parse("mm/s");
    private static readonly Unit Celsius = UnitCatalog.Default.Parse("°C");
    private static readonly Unit Count = UnitCatalog.Default.Parse("count");

    private static readonly AssetClass Cnc = new("cnc-mill", "CNC mill",
    [
        new SignalDefinition("spindle-vibration", SignalKind.Gauge, MmPerS),
        new SignalDefinition("good-count", SignalKind.Counter, Count),
    ]);

    private static readonly AssetClass Sensor = new("temperature-sensor", "Sensor", [new SignalDefinition("temperature", SignalKind.Gauge, Celsius)]);

    private static EnterpriseModel Build()
    {
        var site = new Site("plant-03", "Detroit");
        var machining = new Area("plant-03/machining", "machining", "plant-03", "Machining");
        var cold = new Area("plant-03/cold-store", "cold-store", "plant-03", "Cold store");
        var line = new ProductionLine("plant-03/line-2", "line-2", "plant-03", "plant-03/machining", "Line 2");
        var cell = new WorkCell("plant-03/line-2/cell-a", "cell-a", "plant-03", "plant-03/machining", "plant-03/line-2", "Cell A");
        var bay = new StorageLocation("plant-03/cold-store/bay-a", "bay-a", "plant-03", "plant-03/cold-store", "Bay A");
        Equipment[] assets =
        [
            new("plant-03/line-2/cnc-07", "cnc-07", "CNC 7", Cnc, "plant-03", "plant-03/machining", "plant-03/line-2", "plant-03/line-2/cell-a"),
            new("plant-03/line-2/cnc-08", "cnc-08", "CNC 8", Cnc, "plant-03", "plant-03/machining", "plant-03/line-2", null)
            {
                Signals = [.. Cnc.Signals, new SignalDefinition("coolant-temperature", SignalKind.Gauge, Celsius)],
            },
            new("plant-03/cold-store/ts-01", "ts-01", "Sensor 1", Sensor, "plant-03", "plant-03/cold-store", null, null)
            {
                StorageLocationId = "plant-03/cold-store/bay-a",
            },
        ];
        return EnterpriseModel.Create(new Enterprise("acme", "Acme"), [site], [machining, cold], [line], [cell], assets, [bay]);
    }

    [Fact]
    public void Asset_lookup_by_full_id_gives_its_plant_area_line_and_cell()
    {
        var model = Build();
        Assert.True(model.TryGetAsset("plant-03/line-2/cnc-07", out var cnc));
        Assert.Equal("plant-03", model.GetSite(cnc).Id);
        Assert.Equal("plant-03/machining", model.GetArea(cnc).Id);
        Assert.Equal("plant-03/line-2", model.GetLine(cnc)!.Id);
        Assert.Equal("plant-03/line-2/cell-a", model.GetCell(cnc)!.Id);
        Assert.Null(model.GetStorageLocation(cnc));
        Assert.False(model.TryGetAsset("plant-03/line-2/cnc-99", out _));
    }

    [Fact]
    public void Cold_chain_sensor_leads_to_its_storage_location_and_back()
    {
        var model = Build();
        Assert.True(model.TryGetAsset("plant-03/cold-store/ts-01", out var sensor));
        var bay = model.GetStorageLocation(sensor);
        Assert.Equal("plant-03/cold-store/bay-a", bay!.Id);
        Assert.Null(model.GetLine(sensor));
        Assert.Equal([sensor], model.GetSensors(bay).ToArray());
    }

    [Fact]
    public void Assets_and_signals_get_dense_indices_with_each_assets_signals_consecutive()
    {
        var model = Build();
        Assert.Equal([0, 1, 2], model.Assets.Select(a => a.Index));
        Assert.Equal(6, model.SignalCount);
        Assert.Equal(Enumerable.Range(0, 6), model.Signals.Select(s => s.Index));
        var cnc8 = model.GetAsset(1);
        Assert.Equal([2, 3, 4], model.GetSignals(cnc8).ToArray().Select(s => s.Index));
        Assert.Equal(["spindle-vibration", "good-count", "coolant-temperature"], model.GetSignals(cnc8).ToArray().Select(s => s.Name));
        Assert.All(model.Signals, s => Assert.Same(model.GetAsset(s.Asset.Index), s.Asset));
    }

    [Fact]
    public void Names_intern_to_integers_once_then_lookups_are_array_reads()
    {
        var model = Build();
        const string message = "plant-03/line-2/cnc-08:coolant-temperature";
        Assert.True(model.TryGetAssetIndex(message.AsSpan(0, 22), out var asset));
        Assert.True(model.TryGetSignalNameId(message.AsSpan(23), out var name));
        Assert.True(model.TryGetSignalIndex(asset, name, out var signal));
        Assert.Equal(message, model.GetSignal(signal).Key);
        Assert.True(model.TryGetSignalNameId("coolant-temperature", out var coolant));
        Assert.False(model.TryGetSignalIndex(0, coolant, out _)); // cnc-07 has no coolant sensor
        Assert.False(model.TryGetSignalIndex(99, coolant, out _));
    }

    [Fact]
    public void Signal_key_lookup_splits_at_the_colon()
    {
        var model = Build();
        Assert.True(model.TryGetSignal("plant-03/cold-store/ts-01:temperature", out var signal));
        Assert.Same(Celsius, signal.Definition.Unit);
        Assert.False(model.TryGetSignal("plant-03/cold-store/ts-01:humidity", out _));
        Assert.False(model.TryGetSignal("no-colon-here", out _));
    }

    [Fact]
    public void Containers_list_everything_beneath_them()
    {
        var model = Build();
        Assert.Equal(3, model.GetAssetsUnder("plant-03").Length);
        Assert.Equal(2, model.GetAssetsUnder("plant-03/line-2").Length);
        Assert.Single(model.GetAssetsUnder("plant-03/line-2/cell-a"));
        Assert.Single(model.GetLinesUnder("plant-03/machining"));
        Assert.Empty(model.GetLinesUnder("plant-03/cold-store"));
    }

    [Fact]
    public void Inconsistent_input_is_refused_with_a_clear_message()
    {
        var site = new Site("plant-01", "Lyon");
        var area = new Area("plant-01/a", "a", "plant-01", "A");
        var orphan = new Equipment("plant-01/line-9/x", "x", "X", Cnc, "plant-01", "plant-01/a", "plant-01/line-9", null);
        var error = Assert.Throws<ArgumentException>(() => EnterpriseModel.Create(new Enterprise("acme", "Acme"), [site], [area], [], [], [orphan]));
        Assert.Equal("asset 'plant-01/line-9/x' names unknown line 'plant-01/line-9' in area 'plant-01/a'", error.Message);
        var twin = new Area("plant-01", "plant-01", "plant-01", "twin");
        Assert.Equal("duplicate id 'plant-01' (area)",
            Assert.Throws<ArgumentException>(() => EnterpriseModel.Create(new Enterprise("acme", "Acme"), [site], [twin], [], [], [])).Message);
    }
}
