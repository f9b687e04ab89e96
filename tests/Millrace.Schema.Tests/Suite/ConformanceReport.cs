using System.Text;

namespace Millrace.Schema.Tests.Suite;

/// <summary>
/// Counts suite passes per file and renders the "Validator conformance" tables of docs/governance.md.
/// Set MILLRACE_CONFORMANCE_REPORT to a file path to have the markdown written there.
/// </summary>
public sealed class ConformanceReport
{
    [Fact]
    public void Every_required_suite_file_passes_completely_and_the_report_says_so()
    {
        var required = SuiteFiles.RequiredFileNames().Select(f => Count(f, SuiteFiles.Required(f), false)).ToList();
        var formats = SuiteFiles.FormatFileNames().Select(f => Count("optional/" + f, SuiteFiles.Optional(f), true)).ToList();
        var optional = SuiteFiles.OptionalFileNames().Select(f => Count("optional/" + f, SuiteFiles.Optional(f), false)).ToList();
        var otherFormats = (SuiteFiles.HasOptional ? Directory.GetFiles(Path.Combine(SuiteFiles.OptionalDir, "format"), "*.json") : [])
            .Select(p => "format/" + Path.GetFileName(p))
            .Where(f => !SuiteFiles.FormatFileNames().Contains(f)).Order(StringComparer.Ordinal)
            .Select(f => Count("optional/" + f, SuiteFiles.Optional(f), true)).ToList();

        var markdown = Render(required, formats, optional, otherFormats);
        if (Environment.GetEnvironmentVariable("MILLRACE_CONFORMANCE_REPORT") is { Length: > 0 } path)
            File.WriteAllText(path, markdown);

        Assert.Equal(46, required.Count);
        Assert.All(required, r => Assert.True(r.Passed == r.Total, $"{r.File}: {r.Passed}/{r.Total}"));
    }

    private sealed record FileCount(string File, int Passed, int Total);

    private static FileCount Count(string name, IReadOnlyList<SuiteTest> tests, bool assertFormats) =>
        new(name, tests.Count(t => SuiteRunner.Run(t, assertFormats).Passed), tests.Count);

    private static string Render(List<FileCount> required, List<FileCount> formats, List<FileCount> optional,
        List<FileCount> otherFormats)
    {
        var sb = new StringBuilder();
        Table(sb, "Required: tests/draft2020-12/*.json (formats as annotations)", required);
        Table(sb, "Optional formats Millrace asserts: optional/format/*.json with format assertion on", formats);
        Table(sb, "Other optional files (format annotation only)", optional);
        Table(sb, "Optional formats Millrace does not assert (informational: unknown formats pass)", otherFormats);
        return sb.ToString();
    }

    private static void Table(StringBuilder sb, string title, List<FileCount> rows)
    {
        sb.AppendLine($"#### {title}").AppendLine();
        sb.AppendLine("| File | Passed | Total |").AppendLine("| --- | ---: | ---: |");
        foreach (var r in rows) sb.AppendLine($"| {r.File} | {r.Passed} | {r.Total} |");
        sb.AppendLine($"| **Total** | **{rows.Sum(r => r.Passed)}** | **{rows.Sum(r => r.Total)}** |").AppendLine();
    }
}
