using System.Text.Json;

namespace Millrace.IntegrationTests.Cli;

/// <summary><c>millrace schema validate|check|register</c> through the real binary.</summary>
public sealed class SchemaCommandTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "millrace-schema-cli", Guid.NewGuid().ToString("n"));

    private const string V1 = """{"type":"object","properties":{"order":{"type":"string"},"unit":{"enum":["PCS","KG"]}},"required":["order"]}""";
    private const string V2Compatible = """{"type":"object","properties":{"order":{"type":"string"},"unit":{"enum":["PCS","KG","M"]},"lot":{"type":"string"}},"required":["order"]}""";
    private const string V2Breaking = """{"type":"object","properties":{"order":{"type":"string"},"unit":{"enum":["PCS"]}},"required":["order","lot"]}""";

    public SchemaCommandTests() => Directory.CreateDirectory(_dir);

    [Fact]
    public async Task Validate_prints_the_basic_output_and_exits_0_when_valid()
    {
        var (code, stdout, stderr) = await RunAsync("schema", "validate", Write("s.json", V1), Write("ok.json", """{"order":"1000004711","unit":"KG"}"""));
        Assert.True(code == 0, stderr);
        Assert.True(JsonDocument.Parse(stdout).RootElement.GetProperty("valid").GetBoolean());
    }

    [Fact]
    public async Task Validate_exits_1_and_lists_every_error_by_instance_location_when_invalid()
    {
        var (code, stdout, _) = await RunAsync("schema", "validate", Write("s.json", V1), Write("bad.json", """{"unit":"pieces"}"""));
        Assert.Equal(1, code);
        var output = JsonDocument.Parse(stdout).RootElement;
        Assert.False(output.GetProperty("valid").GetBoolean());
        var locations = output.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("instanceLocation").GetString()).ToList();
        Assert.Contains("/unit", locations);
        Assert.Contains("", locations); // the missing required 'order'
    }

    [Fact]
    public async Task Validate_with_a_missing_file_is_a_usage_error_not_a_crash()
    {
        var (code, _, stderr) = await RunAsync("schema", "validate", Path.Combine(_dir, "nope.json"), Write("i.json", "{}"));
        Assert.Equal(2, code);
        Assert.Contains("no such file", stderr);
    }

    [Fact]
    public async Task Register_then_check_against_the_registry_file_of_a_data_folder()
    {
        string data = Path.Combine(_dir, "data");
        var first = await RunAsync("schema", "register", "com.acme.production.completed.v1", Write("v1.json", V1), "--data", data);
        Assert.True(first.ExitCode == 0, first.Stderr);
        Assert.Contains("registered: com.acme.production.completed.v1 version 1", first.Stdout);

        var breaking = await RunAsync("schema", "check", "com.acme.production.completed.v1", Write("v2b.json", V2Breaking), "--data", data);
        Assert.Equal(1, breaking.ExitCode);
        Assert.Contains("/properties/unit/enum: backward:", breaking.Stdout);
        Assert.Contains("/required: backward:", breaking.Stdout);

        var refused = await RunAsync("schema", "register", "com.acme.production.completed.v1", Path.Combine(_dir, "v2b.json"), "--data", data);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("refused: the schema breaks subject 'com.acme.production.completed.v1' compatibility BACKWARD", refused.Stdout);

        var compatible = await RunAsync("schema", "check", "com.acme.production.completed.v1", Write("v2.json", V2Compatible), "--data", data);
        Assert.True(compatible.ExitCode == 0, compatible.Stdout + compatible.Stderr);
        var full = await RunAsync("schema", "check", "com.acme.production.completed.v1", Path.Combine(_dir, "v2.json"), "--data", data, "--compatibility", "FULL");
        Assert.Equal(1, full.ExitCode); // the added enum value breaks forward
        Assert.Contains("/properties/unit/enum/2: forward:", full.Stdout);

        var second = await RunAsync("schema", "register", "com.acme.production.completed.v1", Path.Combine(_dir, "v2.json"), "--data", data);
        Assert.Contains("version 2", second.Stdout);
        var again = await RunAsync("schema", "register", "com.acme.production.completed.v1", Path.Combine(_dir, "v1.json"), "--data", data);
        Assert.Equal(0, again.ExitCode);
        Assert.Contains("already registered: com.acme.production.completed.v1 version 1", again.Stdout);
    }

    private Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] args) => MillraceProcess.RunAsync(Timeout, args);

    private string Write(string name, string text)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
