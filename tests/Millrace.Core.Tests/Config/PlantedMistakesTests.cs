using Millrace.Core.Config;

namespace Millrace.Core.Tests.Config;

/// <summary>
/// The acceptance check of the issue: a copy of samples/acme with three planted mistakes reports exactly those
/// three, each at its exact file:line:col, and is invalid. Positions are computed from the planted text itself,
/// so the test keeps holding when the sample is edited.
/// </summary>
public sealed class PlantedMistakesTests
{
    [Fact]
    public void Three_planted_mistakes_in_acme_are_reported_exactly_at_their_positions()
    {
        using var dir = new TempConfig();
        RepoPaths.Copy(RepoPaths.Acme, dir.Directory);

        var typo = Plant(dir, "plants/plant-03.yaml", "class: cnc-mill", "clas: cnc-mill");
        var dangling = Plant(dir, "sources.yaml", "plant-01/pack-2]", "plant-01/pack-9]");
        var badUnit = Plant(dir, "asset-classes.yaml", "unit: mm/s\n", "unit: mm/sec\n");

        var result = AcmeLoader.Load(dir.Directory);

        Assert.True(result.HasErrors);
        Assert.Equal(
            [
                $"asset-classes.yaml:{badUnit.Line}:{badUnit.Column + "unit: ".Length}: unknown unit 'mm/sec'; did you mean 'mm/s'?",
                $"plants/plant-03.yaml:{typo.Line}:{typo.Column}: unknown key 'clas' in asset 'plant-03/cnc-1/cnc-01'; did you mean 'class'?",
                $"sources.yaml:{dangling.Line}:{dangling.Column}: unknown line 'plant-01/pack-9'; did you mean 'plant-01/pack-1'?",
            ],
            result.Diagnostics.Select(d => d.ToString()));
    }

    [Fact]
    public void The_unmodified_copy_is_valid_so_the_three_errors_come_from_the_planted_mistakes()
    {
        using var dir = new TempConfig();
        RepoPaths.Copy(RepoPaths.Acme, dir.Directory);
        Assert.Empty(AcmeLoader.Load(dir.Directory).Diagnostics);
    }

    /// <summary>Replaces the first occurrence of <paramref name="find"/> and returns its 1-based line and column.</summary>
    private static (int Line, int Column) Plant(TempConfig dir, string file, string find, string replacement)
    {
        var path = Path.Combine(dir.Directory, file);
        var text = File.ReadAllText(path);
        var at = text.IndexOf(find, StringComparison.Ordinal);
        Assert.True(at >= 0, $"'{find}' not found in {file}");
        File.WriteAllText(path, string.Concat(text.AsSpan(0, at), replacement, text.AsSpan(at + find.Length)));
        var line = 1 + text.AsSpan(0, at).Count('\n');
        var column = at - (text.LastIndexOf('\n', Math.Max(at - 1, 0)) + 1) + 1;
        return (line, column);
    }
}
