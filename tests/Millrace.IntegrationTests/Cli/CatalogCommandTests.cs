using System.Text.Json;

namespace Millrace.IntegrationTests.Cli;

/// <summary><c>millrace catalog</c> through the real binary, on the shipped acme configuration.</summary>
public sealed class CatalogCommandTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "millrace-catalog-cli", Guid.NewGuid().ToString("n"));

    [Fact]
    public async Task Catalog_prints_a_table_with_the_deprecated_and_retired_types_by_default()
    {
        var (code, stdout, stderr) = await MillraceProcess.RunAsync(Timeout, "catalog", "--config", Acme);
        Assert.True(code == 0, stderr);
        Assert.StartsWith("DOMAIN", stdout);
        Assert.Contains(stdout.Split('\n'), l => l.Contains("com.acme.production.count.reported.v0") && l.Contains("deprecated") && l.Contains("2027-03-31"));
        Assert.Contains(stdout.Split('\n'), l => l.Contains("com.acme.quality.inspection.failed.v0") && l.Contains("retired"));
        Assert.Contains("1 deprecated, 1 retired", stdout);
    }

    [Fact]
    public async Task Catalog_format_asyncapi_prints_an_AsyncAPI_3_document_with_a_channel_per_event_type()
    {
        var (code, stdout, stderr) = await MillraceProcess.RunAsync(Timeout, "catalog", "--config", Acme, "--format", "asyncapi");
        Assert.True(code == 0, stderr);
        var root = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal("3.0.0", root.GetProperty("asyncapi").GetString());
        Assert.Equal("retired", root.GetProperty("channels").GetProperty("com.acme.quality.inspection.failed.v0")
            .GetProperty("x-millrace-lifecycle").GetString());
    }

    [Fact]
    public async Task Catalog_of_an_invalid_configuration_exits_1_with_file_line_col()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "schemas"));
        File.WriteAllText(Path.Combine(_dir, "enterprise.yaml"), "enterprise:\n  id: acme\n  name: Acme\n");
        File.WriteAllText(Path.Combine(_dir, "schemas", "a.json"), """{"type":"object"}""");
        File.WriteAllText(Path.Combine(_dir, "schemas", "schemas.yaml"), "schemas:\n  - subject: a.v1\n    file: a.json\n    lifecycle: deprecated\n");
        var (code, _, stderr) = await MillraceProcess.RunAsync(Timeout, "catalog", "--config", _dir);
        Assert.Equal(1, code);
        Assert.Contains("schemas.yaml:4:16", stderr);
        Assert.Contains("needs 'sunset: YYYY-MM-DD'", stderr);
    }

    private static string Acme => Path.Combine(MillraceProcess.RepositoryRoot, "samples", "acme");

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
