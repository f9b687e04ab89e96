using Millrace.Core.Config;
using Millrace.Core.Model;

namespace Millrace.Core.Tests.Config;

public sealed class MaterialsAndSignalsTests
{
    private static string[] Messages(ConfigLoadResult result) => result.Diagnostics.Select(d => d.ToString()).ToArray();

    [Fact]
    public void Materials_have_a_base_unit_and_an_optional_storage_temperature()
    {
        using var dir = new TempConfig().WithBasics().Write("materials.yaml", """
            materials:
              - id: RM-3001
                name: Yogurt culture
                unit: kg
                storage-temperature: { min: 2, max: 8, unit: °C }
              - id: bad id
                unit: kg
              - id: RM-3002
                unit: kg
                storage-temperature: { min: 2, max: 8, unit: bar }
            """);
        var result = dir.Load();
        Assert.Equal(
            [
                "materials.yaml:6:9: invalid material id 'bad id': use letters, digits, '-', '_' and '.' (at most 64 characters)",
                "materials.yaml:10:50: 'bar' is not a temperature unit (use °C, °F or K)",
            ],
            Messages(result));
        var culture = result.Config.Materials["RM-3001"];
        Assert.Equal("kg", culture.BaseUnit.Symbol);
        Assert.Equal(8, culture.StorageTemperature!.Max);
    }

    [Fact]
    public void Asset_signals_override_class_signals_by_name_and_add_new_ones()
    {
        using var dir = new TempConfig().WithBasics().Write("plants/plant-01.yaml", """
            plants:
              - id: plant-01
                name: Lyon
                areas:
                  - id: machining
                    lines:
                      - id: cnc-1
                        assets:
                          - id: cnc-01
                            class: cnc-mill
                            signals:
                              - name: spindle-vibration
                                range: { max: 20 }
                              - name: coolant-temperature
                                kind: gauge
                                unit: °C
            """);
        var result = dir.Load();
        Assert.Empty(Messages(result));
        Assert.True(result.Config.Model.TryGetAsset("plant-01/cnc-1/cnc-01", out var cnc));
        Assert.Equal(["spindle-vibration", "good-count", "coolant-temperature"], cnc.Signals.Select(s => s.Name));
        var vibration = cnc.Signals[0];
        Assert.Equal("mm/s", vibration.Unit!.Symbol); // inherited
        Assert.Equal(new ValueRange(null, 20), vibration.Range);
        Assert.Equal("count", cnc.Signals[1].Unit!.Symbol); // counters default to count
    }

    [Fact]
    public void Asset_signal_overrides_must_keep_the_dimension_and_new_signals_need_a_kind()
    {
        using var dir = new TempConfig().WithBasics().Write("plants/plant-01.yaml", """
            plants:
              - id: plant-01
                name: Lyon
                areas:
                  - id: machining
                    assets:
                      - id: cnc-01
                        class: cnc-mill
                        signals:
                          - name: spindle-vibration
                            unit: °C
                          - name: coolant
                            unit: °C
                          - name: coolant
                            kind: gauge
                            unit: °C
                          - name: coolant
                            kind: gauge
                            unit: °F
            """);
        Assert.Equal(
            [
                "plants/plant-01.yaml:11:23: unit '°C' (Temperature) cannot replace 'mm/s' (Velocity) of signal 'spindle-vibration'",
                "plants/plant-01.yaml:12:17: missing required key 'kind' in signal 'coolant' of asset 'plant-01/machining/cnc-01'",
                "plants/plant-01.yaml:17:23: duplicate signal 'coolant' in asset 'plant-01/machining/cnc-01' (first defined at plants/plant-01.yaml:14:23)",
            ],
            Messages(dir.Load()));
    }

    [Fact]
    public void Plant_country_and_time_zone_are_checked()
    {
        using var dir = new TempConfig().WithBasics().Write("plants/plant-01.yaml", """
            plants:
              - id: plant-01
                name: Lyon
                country: France
                timezone: Europe/Pariss
            """);
        var messages = Messages(dir.Load());
        Assert.Equal("plants/plant-01.yaml:4:14: 'country' must be an ISO 3166 two-letter code in capitals (e.g. 'FR'), got 'France'", messages[0]);
        if (TimeZoneInfo.GetSystemTimeZones().Count > 1)
            Assert.Equal("plants/plant-01.yaml:5:15: unknown time zone 'Europe/Pariss'; did you mean 'Europe/Paris'?", messages[1]);
    }
}
