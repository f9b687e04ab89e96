using System.Text.RegularExpressions;

namespace Millrace.IntegrationTests.Cli;

public class ValidateCommandTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Acme_sample_is_valid_and_summarised_on_one_line()
    {
        var (code, stdout, stderr) = await MillraceProcess.RunAsync(Timeout, "validate", "samples/acme");
        Assert.True(code == 0, stderr);
        var match = Regex.Match(stdout, @"^valid: 8 plants, (\d+) lines, (\d+) assets, (\d+) signals\s*$", RegexOptions.Multiline);
        Assert.True(match.Success, stdout);
        Assert.True(int.Parse(match.Groups[2].Value) >= 500, stdout);
    }

    [Fact]
    public async Task Copy_with_three_planted_mistakes_reports_each_as_file_line_col_and_exits_1()
    {
        string copy = CopySample();
        try
        {
            var plant = Path.Combine(copy, "plants", "plant-01.yaml");
            var lines = File.ReadAllLines(plant).ToList();
            // 1: a typo'd key
            int nameLine = lines.FindIndex(l => l.TrimStart().StartsWith("name:"));
            lines[nameLine] = lines[nameLine].Replace("name:", "nmae:");
            File.WriteAllLines(plant, lines);
            // 2: a bad unit, 3: a dangling asset-class reference
            var classes = Path.Combine(copy, "asset-classes.yaml");
            var classLines = File.ReadAllLines(classes).ToList();
            int unitLine = classLines.FindIndex(l => l.TrimStart().StartsWith("unit: mm/s"));
            classLines[unitLine] = classLines[unitLine].Replace("mm/s", "furlongs/fortnight");
            File.WriteAllLines(classes, classLines);
            var plant2 = Path.Combine(copy, "plants", "plant-02.yaml");
            var plant2Lines = File.ReadAllLines(plant2).ToList();
            int classLine = plant2Lines.FindIndex(l => l.TrimStart().StartsWith("class:"));
            string cls = plant2Lines[classLine].Split(':', 2)[1].Trim();
            plant2Lines[classLine] = plant2Lines[classLine].Replace(cls, "warp-drive");
            File.WriteAllLines(plant2, plant2Lines);

            var (code, _, stderr) = await MillraceProcess.RunAsync(Timeout, "validate", copy);

            Assert.Equal(1, code);
            var reported = Regex.Matches(stderr, @"^(\S+):(\d+):(\d+): (.+)$", RegexOptions.Multiline)
                .Select(m => (File: m.Groups[1].Value, Line: int.Parse(m.Groups[2].Value), Message: m.Groups[4].Value)).ToList();
            Assert.Contains(reported, r => r.File.EndsWith("plant-01.yaml") && r.Line == nameLine + 1 && r.Message.Contains("nmae"));
            Assert.Contains(reported, r => r.File.EndsWith("asset-classes.yaml") && r.Line == unitLine + 1 && r.Message.Contains("furlongs/fortnight"));
            Assert.Contains(reported, r => r.File.EndsWith("plant-02.yaml") && r.Line == classLine + 1 && r.Message.Contains("warp-drive"));
            // Nothing else, except rules.yaml naming the signal whose unit was broken (that signal is dropped, so the
            // rules that read it report it as unknown at their own position).
            Assert.All(reported.Where(r => !r.File.EndsWith("plant-01.yaml") && !r.File.EndsWith("asset-classes.yaml") && !r.File.EndsWith("plant-02.yaml")),
                r => Assert.True(r.File.EndsWith("rules.yaml") && r.Message.Contains("spindle-vibration"), $"unexpected diagnostic {r}"));
            Assert.Equal(3, reported.Count(r => !r.File.EndsWith("rules.yaml")));
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    [Fact]
    public async Task Missing_folder_is_an_error_not_a_crash()
    {
        var (code, _, stderr) = await MillraceProcess.RunAsync(Timeout, "validate", "no/such/folder");
        Assert.Equal(1, code);
        Assert.Contains("no such configuration folder", stderr);
    }

    private static string CopySample()
    {
        string source = Path.Combine(MillraceProcess.RepositoryRoot, "samples", "acme");
        string target = Path.Combine(Path.GetTempPath(), "millrace-validate-" + Guid.NewGuid().ToString("n"));
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var to = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }
        return target;
    }
}
