using Millrace.Core.Config;

namespace Millrace.Core.Tests.Config;

/// <summary>Bad input of any shape becomes diagnostics; Load never throws.</summary>
public sealed class RobustnessTests
{
    private static string[] Messages(ConfigLoadResult result) => result.Diagnostics.Select(d => d.ToString()).ToArray();

    [Theory]
    [InlineData("plants: [")]
    [InlineData("plants: {")]
    [InlineData("plants:\n  - id: 'x\n")]
    [InlineData("plants:\n\t- id: x\n")]
    [InlineData("- a\nb: 1\n")]
    [InlineData("a: b: c\n")]
    [InlineData("plants: *nowhere\n")]
    [InlineData("? [a, b]\n: c\n")]
    [InlineData("%YAML 9.9\n---\nplants: []\n")]
    [InlineData("plants: !!binary AAAA\n")]
    [InlineData("\"unterminated\n")]
    [InlineData("plants:\n  - &a\n    id: x\n    <<: *a\n")]
    [InlineData("\u0000\u0001\u0002")]
    [InlineData("plants:\n  - id: plant-01\n    name: [Lyon\n    areas: []\n")]
    public void Malformed_yaml_is_reported_and_never_throws(string text)
    {
        using var dir = new TempConfig().WithBasics().Write("bad.yaml", text);
        var result = dir.Load();
        Assert.True(result.HasErrors);
        Assert.All(result.Diagnostics, d => Assert.True(d.Line >= 1 && d.Column >= 1, d.ToString()));
    }

    [Fact]
    public void Deep_nesting_is_refused_with_a_position()
    {
        var text = "plants: " + new string('[', 10_000) + new string(']', 10_000) + "\n";
        using var dir = new TempConfig().WithBasics().Write("deep.yaml", text);
        var messages = Messages(dir.Load());
        Assert.Contains(messages, m => m.StartsWith("deep.yaml:1:", StringComparison.Ordinal) && m.Contains("nesting deeper than"));
    }

    [Fact]
    public void Random_mutations_of_a_valid_plant_file_never_throw_and_positions_stay_inside_the_file()
    {
        var plant = File.ReadAllText(Path.Combine(RepoPaths.Acme, "plants", "plant-03.yaml"))[..4000];
        var classes = File.ReadAllText(Path.Combine(RepoPaths.Acme, "asset-classes.yaml"));
        const string alphabet = ":-[]{}'\"\t#&*!|>%@` \n,?xX0";
        var random = new Random(20261122);
        for (var i = 0; i < 150; i++)
        {
            var chars = plant.ToCharArray().ToList();
            for (var edit = 0; edit < 1 + i % 4; edit++)
            {
                var at = random.Next(chars.Count);
                switch (random.Next(3))
                {
                    case 0: chars.RemoveAt(at); break;
                    case 1: chars.Insert(at, alphabet[random.Next(alphabet.Length)]); break;
                    default: chars[at] = alphabet[random.Next(alphabet.Length)]; break;
                }
            }
            var mutated = new string([.. chars]);
            var lines = mutated.Split('\n').Length;
            var result = new ConfigLoader().LoadFiles(
            [
                new ConfigFile("enterprise.yaml", TempConfig.Enterprise),
                new ConfigFile("asset-classes.yaml", classes),
                new ConfigFile("plants/plant-03.yaml", mutated),
            ]);
            Assert.All(result.Diagnostics.Where(d => d.File == "plants/plant-03.yaml"),
                d => Assert.True(d.Line >= 1 && d.Line <= lines + 1 && d.Column >= 1, $"mutation {i}: {d}"));
        }
    }

    [Fact]
    public void Missing_directory_is_one_error_naming_it()
    {
        var missing = Path.Combine(Path.GetTempPath(), "millrace-no-such-dir-" + Guid.NewGuid().ToString("N"));
        var result = ConfigLoader.Load(missing);
        Assert.Equal([$"configuration directory '{missing}' does not exist"], Messages(result));
        Assert.Equal($"{missing}: configuration directory '{missing}' does not exist", result.Diagnostics[0].Format(missing));
        Assert.Equal("0 plants, 0 lines, 0 assets, 0 signals", result.Summary.ToString());
    }

    [Fact]
    public void A_file_given_instead_of_a_directory_is_an_error()
    {
        using var dir = new TempConfig().Write("enterprise.yaml", TempConfig.Enterprise);
        var file = Path.Combine(dir.Directory, "enterprise.yaml");
        Assert.Equal([$"'{file}' is a file; give the configuration directory"], Messages(ConfigLoader.Load(file)));
    }

    [Fact]
    public void Empty_directory_is_an_error()
    {
        using var dir = new TempConfig();
        Assert.Equal([$"no *.yaml or *.yml files in '{dir.Directory}'"], Messages(dir.Load()));
    }

    [Fact]
    public void Yml_files_and_subfolders_load_hidden_ones_and_other_extensions_do_not()
    {
        using var dir = new TempConfig()
            .Write("a/enterprise.yml", TempConfig.Enterprise)
            .Write("classes.YAML", TempConfig.Classes)
            .Write(".git/junk.yaml", "junk: true\n")
            .Write(".hidden.yaml", "junk: true\n")
            .Write("notes.txt", "junk: true\n");
        var result = dir.Load();
        Assert.Empty(Messages(result));
        Assert.Equal(2, result.Config.AssetClasses.Count);
    }

    [Fact]
    public void Empty_files_and_several_documents_per_file_are_fine()
    {
        using var dir = new TempConfig()
            .Write("empty.yaml", "")
            .Write("comments.yaml", "# nothing yet\n")
            .Write("all.yaml", TempConfig.Enterprise + "---\n" + TempConfig.Classes + "\n---\n");
        var result = dir.Load();
        Assert.Empty(Messages(result));
        Assert.Equal(2, result.Config.AssetClasses.Count);
    }

    [Fact]
    public void A_document_that_is_not_a_mapping_of_sections_is_an_error()
    {
        using var dir = new TempConfig().WithBasics().Write("list.yaml", "- plants\n");
        Assert.Equal(
            ["list.yaml:1:1: expected a mapping of top-level sections (enterprise:, asset-classes:, materials:, plants:, sources:), got a list"],
            Messages(dir.Load()));
    }

    [Fact]
    public void Anchors_aliases_and_merge_keys_work_and_explicit_keys_win()
    {
        using var dir = new TempConfig().WithBasics().Write("sources.yaml", """
            sources:
              - &base
                id: sim-a
                kind: simulator
                rate: 10
              - <<: *base
                id: sim-b
                rate: 20
            """);
        var result = dir.Load();
        Assert.Empty(Messages(result));
        Assert.Equal(10, Assert.IsType<SimulatorSourceDefinition>(result.Config.Sources["sim-a"]).Rate);
        Assert.Equal(20, Assert.IsType<SimulatorSourceDefinition>(result.Config.Sources["sim-b"]).Rate);
    }

    [Fact]
    public void A_mistake_inside_an_anchored_node_used_twice_is_reported_once()
    {
        using var dir = new TempConfig().Write("enterprise.yaml", TempConfig.Enterprise).Write("classes.yaml", """
            asset-classes:
              - id: mill
                signals:
                  - &vibration
                    name: spindle-vibration
                    kind: gauge
                    unit: mm/ss
              - id: lathe
                signals: [*vibration]
            """);
        Assert.Equal(["classes.yaml:7:15: unknown unit 'mm/ss'; did you mean 'mm/s'?"], Messages(dir.Load()));
    }

    [Fact]
    public void Alias_to_an_undefined_anchor_is_reported_at_the_alias()
    {
        using var dir = new TempConfig().WithBasics().Write("sources.yaml", "sources:\n  - id: a\n    kind: simulator\n    rate: *rate\n");
        Assert.Equal(["sources.yaml:4:11: alias '*rate' refers to no anchor defined before it"], Messages(dir.Load()));
    }

    [Fact]
    public void Errors_before_a_syntax_error_in_the_same_file_are_still_reported()
    {
        using var dir = new TempConfig().WithBasics().Write("sources.yaml", "sources:\n  - id: a\n    kind: htp\n  - id: b\n    kind: http\n    path: 'x\n");
        var messages = Messages(dir.Load());
        Assert.Equal("sources.yaml:3:11: unknown source kind 'htp' (known: http, mqtt, simulator); did you mean 'http'?", messages[0]);
        Assert.StartsWith("sources.yaml:6:11: YAML syntax error: ", messages[1]);
        Assert.Equal(2, messages.Length);
    }
}
