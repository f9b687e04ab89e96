namespace Millrace.Schema.Tests.Suite;

/// <summary>
/// The official JSON-Schema-Test-Suite for draft 2020-12: every required test, the optional format tests of the
/// formats Millrace asserts, and the other optional tests. Each case is one theory row named by file and description.
/// </summary>
public sealed class OfficialSuiteTests
{
    public static TheoryData<string, int, string> RequiredCases() => Cases(SuiteFiles.RequiredFileNames(), SuiteFiles.Required);

    public static TheoryData<string, int, string> FormatCases() => Cases(SuiteFiles.FormatFileNames(), SuiteFiles.Optional);

    public static TheoryData<string, int, string> OptionalCases() =>
        Cases(SuiteFiles.OptionalFileNames(), SuiteFiles.Optional);

    [Theory]
    [MemberData(nameof(RequiredCases))]
    public void Required_suite_case_gives_the_expected_verdict(string file, int index, string name)
    {
        var test = SuiteFiles.Required(file)[index];
        var (passed, detail) = SuiteRunner.Run(test, assertFormats: false);
        Assert.True(passed, $"{name}: {detail}");
    }

    [OptionalSuiteTheory]
    [MemberData(nameof(FormatCases))]
    public void Optional_format_case_gives_the_expected_verdict_when_formats_are_asserted(string file, int index, string name)
    {
        var test = SuiteFiles.Optional(file)[index];
        if (SuiteExclusions.Reason(test) is string reason)
        {
            // Listed exclusions must really fail: a fixed case has to leave the list.
            Assert.False(SuiteRunner.Run(test, assertFormats: true).Passed, $"{name} passes now; remove its exclusion ({reason})");
            return;
        }
        var (passed, detail) = SuiteRunner.Run(test, assertFormats: true);
        Assert.True(passed, $"{name}: {detail}");
    }

    [OptionalSuiteTheory]
    [MemberData(nameof(OptionalCases))]
    public void Optional_suite_case_gives_the_expected_verdict(string file, int index, string name)
    {
        var test = SuiteFiles.Optional(file)[index];
        if (SuiteExclusions.Reason(test) is string reason)
        {
            Assert.False(SuiteRunner.Run(test, assertFormats: false).Passed, $"{name} passes now; remove its exclusion ({reason})");
            return;
        }
        var (passed, detail) = SuiteRunner.Run(test, assertFormats: false);
        Assert.True(passed, $"{name}: {detail}");
    }

    private static TheoryData<string, int, string> Cases(IEnumerable<string> files, Func<string, IReadOnlyList<SuiteTest>> load)
    {
        var data = new TheoryData<string, int, string>();
        foreach (var file in files)
        {
            var tests = load(file);
            for (int i = 0; i < tests.Count; i++)
                data.Add(file, i, $"{file}: {tests[i].Group} / {tests[i].Description}");
        }
        return data;
    }
}

/// <summary>A theory over the suite's optional tests: skipped, with the reason, when shared/ does not hold them.</summary>
public sealed class OptionalSuiteTheoryAttribute : TheoryAttribute
{
    public OptionalSuiteTheoryAttribute()
    {
        if (!SuiteFiles.HasOptional)
            Skip = $"the shared copy of the JSON Schema test suite has no optional folder ({SuiteFiles.OptionalDir})";
    }
}
