using Millrace.Core.Config;

namespace Millrace.Core.Tests.Config;

/// <summary>Each kind of mistake is reported once, at its exact file:line:col, and loading goes on.</summary>
public sealed class DiagnosticPositionTests
{
    // A plant whose asset sits at a known place: line 9 is "- id: cnc-01" (the key 'id' at column 17, its value at 21).
    private const string PlantHead = """
        plants:
          - id: plant-01
            name: Lyon
            areas:
              - id: machining
                lines:
                  - id: cnc-1
                    assets:
                      - id: cnc-01
        """;

    private static string[] Messages(ConfigLoadResult result) => result.Diagnostics.Select(d => d.ToString()).ToArray();

    [Fact]
    public void Misspelt_key_is_one_error_at_the_key_with_a_suggestion()
    {
        using var dir = new TempConfig().WithBasics().Write("plants/plant-01.yaml", PlantHead + "\n                clas: cnc-mill\n");
        Assert.Equal(
            ["plants/plant-01.yaml:10:17: unknown key 'clas' in asset 'plant-01/cnc-1/cnc-01'; did you mean 'class'?"],
            Messages(dir.Load()));
    }

    [Fact]
    public void Unknown_key_without_a_near_match_lists_the_expected_keys()
    {
        using var dir = new TempConfig().Write("enterprise.yaml", "enterprise:\n  id: acme\n  name: Acme\n  colour: red\n");
        Assert.Equal(
            ["enterprise.yaml:4:3: unknown key 'colour' in enterprise (expected one of: description, id, name)"],
            Messages(dir.Load()));
    }

    [Fact]
    public void Missing_required_key_is_reported_at_the_start_of_its_mapping()
    {
        using var dir = new TempConfig().WithBasics().Write("plants/plant-01.yaml", PlantHead + "\n                name: CNC 1\n");
        Assert.Equal(
            ["plants/plant-01.yaml:9:17: missing required key 'class' in asset 'plant-01/cnc-1/cnc-01'"],
            Messages(dir.Load()));
    }

    [Fact]
    public void Wrong_type_is_reported_at_the_value()
    {
        using var dir = new TempConfig().WithBasics().Write("sources.yaml", """
            sources:
              - id: sim
                kind: simulator
                rate: fast
              - id: web
                kind: http
                enabled: yes
                plants: plant-01
            """);
        Assert.Equal(
            [
                "sources.yaml:4:11: 'rate' of simulator source 'sim' must be a number, got a string ('fast')",
                "sources.yaml:7:14: 'enabled' of source 'web' must be true or false, got a string ('yes')",
                "sources.yaml:8:13: 'plants' of source 'web' must be a list, got a string",
            ],
            Messages(dir.Load()));
    }

    [Fact]
    public void Duplicate_id_is_reported_at_the_second_occurrence_naming_the_first()
    {
        using var dir = new TempConfig().WithBasics().Write("plants/plant-01.yaml", PlantHead + """

                            class: cnc-mill
                          - id: cnc-01
                            class: cnc-mill
            """);
        Assert.Equal(
            ["plants/plant-01.yaml:11:21: duplicate asset id 'plant-01/cnc-1/cnc-01' (first defined at plants/plant-01.yaml:9:21)"],
            Messages(dir.Load()));
    }

    [Fact]
    public void Duplicate_plant_across_files_names_the_other_file()
    {
        using var dir = new TempConfig().WithBasics()
            .Write("plants/a.yaml", "plants:\n  - id: plant-01\n    name: Lyon\n")
            .Write("plants/b.yaml", "plants:\n  - id: plant-01\n    name: Lyon again\n");
        Assert.Equal(
            ["plants/b.yaml:2:9: duplicate plant id 'plant-01' (first defined at plants/a.yaml:2:9)"],
            Messages(dir.Load()));
    }

    [Fact]
    public void Duplicate_key_in_one_mapping_is_reported_at_the_second_key()
    {
        using var dir = new TempConfig().Write("enterprise.yaml", "enterprise:\n  id: acme\n  name: Acme\n  name: Acme Corp\n");
        Assert.Equal(
            ["enterprise.yaml:4:3: duplicate key 'name' (first at line 3, column 3)"],
            Messages(dir.Load()));
    }

    [Fact]
    public void Dangling_asset_class_is_reported_at_the_reference_with_a_suggestion()
    {
        using var dir = new TempConfig().WithBasics().Write("plants/plant-01.yaml", PlantHead + "\n                class: cnc-mil\n");
        Assert.Equal(
            ["plants/plant-01.yaml:10:24: unknown asset class 'cnc-mil'; did you mean 'cnc-mill'?"],
            Messages(dir.Load()));
    }

    [Fact]
    public void Dangling_plant_and_line_references_of_a_source_are_reported_at_each_reference()
    {
        using var dir = new TempConfig().WithBasics()
            .Write("plants/plant-01.yaml", PlantHead + "\n                class: cnc-mill\n")
            .Write("sources.yaml", """
                sources:
                  - id: gateway
                    kind: http
                    plants: [plant-01, plant-09]
                    lines:
                      - plant-01/cnc-1
                      - plant-01/cnc-2
                      - cnc-1
                """);
        Assert.Equal(
            [
                "sources.yaml:4:24: unknown plant 'plant-09'; did you mean 'plant-01'?",
                "sources.yaml:7:9: unknown line 'plant-01/cnc-2'; did you mean 'plant-01/cnc-1'?",
                "sources.yaml:8:9: line 'cnc-1': write the full line id, e.g. 'plant-01/cnc-1'",
            ],
            Messages(dir.Load()));
    }

    [Fact]
    public void Cold_chain_sensor_must_name_an_existing_storage_location()
    {
        using var dir = new TempConfig().WithBasics().Write("plants/plant-01.yaml", """
            plants:
              - id: plant-01
                name: Lyon
                areas:
                  - id: cold-store
                    storage-locations:
                      - id: bay-a
                        temperature: { min: 2, max: 8, unit: °C }
                    assets:
                      - id: ts-a1
                        class: temperature-sensor
                        storage-location: bay-a
                      - id: ts-b1
                        class: temperature-sensor
                        storage-location: bay-b
                      - id: ts-c1
                        class: temperature-sensor
            """);
        Assert.Equal(
            [
                "plants/plant-01.yaml:15:31: unknown storage location 'bay-b'; did you mean 'bay-a'?",
                "plants/plant-01.yaml:16:13: asset 'plant-01/cold-store/ts-c1' of cold-chain class 'temperature-sensor' must name its 'storage-location'",
            ],
            Messages(dir.Load()));
    }

    [Fact]
    public void Bad_unit_is_reported_at_the_unit_with_a_suggestion()
    {
        using var dir = new TempConfig().Write("enterprise.yaml", TempConfig.Enterprise).Write("classes.yaml", """
            asset-classes:
              - id: cnc-mill
                signals:
                  - name: spindle-vibration
                    kind: gauge
                    unit: mm/ss
                  - name: spindle-temperature
                    kind: gauge
                    unit: C
            """);
        Assert.Equal(
            [
                "classes.yaml:6:15: unknown unit 'mm/ss'; did you mean 'mm/s'?",
                "classes.yaml:9:15: ambiguous unit 'C' (coulomb or degree Celsius?); write '°C'",
            ],
            Messages(dir.Load()));
    }

    [Fact]
    public void Invalid_id_syntax_is_reported_at_the_id()
    {
        using var dir = new TempConfig().WithBasics().Write("plants/plant-01.yaml", "plants:\n  - id: Plant 01\n    name: Lyon\n");
        Assert.Equal(
            ["plants/plant-01.yaml:2:9: invalid id 'Plant 01': ids use lowercase letters, digits, '-' and '_', starting with a letter or digit (e.g. 'plant-01')"],
            Messages(dir.Load()));
    }

    [Fact]
    public void Unknown_top_level_section_is_an_error_with_a_suggestion()
    {
        using var dir = new TempConfig().WithBasics().Write("more.yaml", "plantz: []\nworkflows: []\n");
        Assert.Equal(
            [
                "more.yaml:1:1: unknown top-level section 'plantz'; did you mean 'plants'?",
                "more.yaml:2:1: unknown top-level section 'workflows' (known: enterprise, asset-classes, materials, plants, sources)",
            ],
            Messages(dir.Load()));
    }

    [Fact]
    public void Yaml_syntax_error_is_reported_with_its_position_and_other_files_are_still_checked()
    {
        using var dir = new TempConfig().WithBasics()
            .Write("broken.yaml", "sources:\n  - id: a\n    kind: http\n    description: a: b\n")
            .Write("zz.yaml", "sources:\n  - id: b\n    kind: htp\n");
        var messages = Messages(dir.Load());
        Assert.Equal(2, messages.Length);
        Assert.StartsWith("broken.yaml:4:19: YAML syntax error: ", messages[0]);
        Assert.Equal("zz.yaml:3:11: unknown source kind 'htp' (known: http, mqtt, simulator); did you mean 'http'?", messages[1]);
    }

    [Fact]
    public void Missing_enterprise_section_is_reported_at_the_first_file()
    {
        using var dir = new TempConfig().Write("classes.yaml", TempConfig.Classes);
        Assert.Equal(["classes.yaml:1:1: no 'enterprise' section in any file (add one with 'id' and 'name')"], Messages(dir.Load()));
    }

    [Fact]
    public void Signal_kind_rules_state_has_no_unit_counter_accumulates_range_is_ordered()
    {
        using var dir = new TempConfig().Write("enterprise.yaml", TempConfig.Enterprise).Write("classes.yaml", """
            asset-classes:
              - id: oven
                signals:
                  - name: state
                    kind: state
                    unit: count
                  - name: heat
                    kind: counter
                    unit: °C
                  - name: temperature
                    kind: gauge
                    unit: °C
                    range: { min: 300, max: 20 }
                  - name: speed
                    kind: gage
                    unit: m/s
                  - name: belt
                    kind: gauge
            """);
        Assert.Equal(
            [
                "classes.yaml:6:15: state signal 'state' has no unit (list its 'states' instead)",
                "classes.yaml:9:15: counter 'heat' cannot be in '°C' (Temperature); counters accumulate counts, energy, mass, volume, length or time",
                "classes.yaml:13:16: range min 300 is above max 20",
                "classes.yaml:15:15: unknown signal kind 'gage' (expected gauge, counter or state); did you mean 'gauge'?",
                "classes.yaml:17:9: missing required key 'unit' in signal 'belt' of asset class 'oven' (gauges need a unit)",
            ],
            Messages(dir.Load()));
    }

    [Fact]
    public void A_warning_is_formatted_as_such_and_does_not_make_the_configuration_invalid()
    {
        using var dir = new TempConfig().WithBasics().Write("plants/plant-01.yaml", """
            plants:
              - id: plant-01
                name: Lyon
                areas:
                  - id: cold-store
                    storage-locations:
                      - id: bay-a
                        temperature: { min: 2, max: 8, unit: °C }
            """);
        var result = dir.Load();
        Assert.False(result.HasErrors);
        Assert.Equal(
            ["plants/plant-01.yaml:7:17: warning: storage location 'plant-01/cold-store/bay-a' has a required temperature but no sensor names it"],
            Messages(result));
    }

    [Fact]
    public void Format_prefixes_the_directory_the_user_typed()
    {
        var d = new ConfigDiagnostic("plants/plant-03.yaml", 12, 9, DiagnosticSeverity.Error, "unknown unit 'x'");
        Assert.Equal("samples/acme/plants/plant-03.yaml:12:9: unknown unit 'x'", d.Format("samples/acme"));
        Assert.Equal("samples/acme/plants/plant-03.yaml:12:9: unknown unit 'x'", d.Format("samples/acme/"));
        Assert.Equal("plants/plant-03.yaml:12:9: unknown unit 'x'", d.ToString());
    }
}
