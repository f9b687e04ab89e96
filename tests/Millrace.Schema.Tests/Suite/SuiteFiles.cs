using System.Collections.Concurrent;
using System.Text.Json;

namespace Millrace.Schema.Tests.Suite;

/// <summary>One test of the official JSON-Schema-Test-Suite: a schema, an instance and the expected verdict.</summary>
public sealed record SuiteTest(string File, string Group, string Description, JsonElement Schema, JsonElement Data, bool Valid)
{
    public string Key => $"{File}|{Group}|{Description}";
}

/// <summary>
/// Locates and loads the official test suite: required tests and remotes from ../shared/data/json-schema-test-suite
/// (found by walking up to the folder holding Millrace.slnx). The optional tests run only when that copy holds
/// tests/draft2020-12/optional: the suite is data from outside the project, so it lives in shared/, never in this repo.
/// </summary>
public static class SuiteFiles
{
    private static readonly ConcurrentDictionary<string, IReadOnlyList<SuiteTest>> Loaded = new();
    private static readonly Lazy<string> RepoRoot = new(FindRepoRoot);
    private static readonly Lazy<DictionarySchemaResolver> Remotes = new(LoadRemotes);

    public static string SuiteRoot => Path.Combine(RepoRoot.Value, "..", "shared", "data", "json-schema-test-suite");

    public static string RequiredDir => Path.Combine(SuiteRoot, "tests", "draft2020-12");

    public static string OptionalDir => Path.Combine(RequiredDir, "optional");

    /// <summary>True when the shared copy of the suite holds the optional tests.</summary>
    public static bool HasOptional => Directory.Exists(OptionalDir);

    /// <summary>The formats Millrace asserts; their optional/format files form the format theory.</summary>
    public static readonly string[] AssertedFormats =
        ["date-time", "date", "time", "duration", "uuid", "uri", "uri-reference", "email", "ipv4", "ipv6", "hostname"];

    public static IEnumerable<string> RequiredFileNames() =>
        Directory.GetFiles(RequiredDir, "*.json").Select(Path.GetFileName).Order(StringComparer.Ordinal)!;

    public static IEnumerable<string> OptionalFileNames() => !HasOptional ? [] :
        Directory.GetFiles(OptionalDir, "*.json").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal);

    public static IEnumerable<string> FormatFileNames() => !HasOptional ? [] : AssertedFormats.Select(f => "format/" + f + ".json");

    public static IReadOnlyList<SuiteTest> Required(string file) => Load(Path.Combine(RequiredDir, file), file);

    public static IReadOnlyList<SuiteTest> Optional(string file) => Load(Path.Combine(OptionalDir, file), "optional/" + file);

    /// <summary>Options for suite schemas: remotes served from memory, formats asserted when asked.</summary>
    public static JsonSchemaOptions Options(bool assertFormats) =>
        new() { Resolver = Remotes.Value, AssertFormats = assertFormats };

    private static IReadOnlyList<SuiteTest> Load(string path, string name) => Loaded.GetOrAdd(path, _ =>
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var tests = new List<SuiteTest>();
        foreach (var group in doc.RootElement.EnumerateArray())
        {
            var groupName = group.GetProperty("description").GetString()!;
            var schema = group.GetProperty("schema").Clone();
            foreach (var test in group.GetProperty("tests").EnumerateArray())
                tests.Add(new SuiteTest(name, groupName, test.GetProperty("description").GetString()!, schema,
                    test.GetProperty("data").Clone(), test.GetProperty("valid").GetBoolean()));
        }
        return tests;
    });

    private static DictionarySchemaResolver LoadRemotes()
    {
        var resolver = new DictionarySchemaResolver();
        var remotes = Path.Combine(SuiteRoot, "remotes");
        foreach (var file in Directory.GetFiles(remotes, "*.json", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(remotes, file).Replace(Path.DirectorySeparatorChar, '/');
            resolver.Add("http://localhost:1234/" + relative, File.ReadAllText(file));
        }
        return resolver;
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Millrace.slnx"))) return dir.FullName;
        throw new InvalidOperationException("Millrace.slnx not found above " + AppContext.BaseDirectory);
    }
}
