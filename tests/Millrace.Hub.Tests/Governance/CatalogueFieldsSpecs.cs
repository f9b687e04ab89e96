using Millrace.Core.Config;
using Millrace.Hub.Governance;

namespace Millrace.Hub.Tests.Governance;

/// <summary>The catalogue fields of <c>schemas:</c> entries: lifecycle, sunset, replaced-by, producers, consumers, description.</summary>
public sealed class CatalogueFieldsSpecs : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "millrace-catalogue-fields", Guid.NewGuid().ToString("n"));

    public CatalogueFieldsSpecs()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "schemas"));
        File.WriteAllText(Path.Combine(_dir, "enterprise.yaml"), "enterprise:\n  id: acme\n  name: Acme\n");
        File.WriteAllText(Path.Combine(_dir, "schemas", "a.json"), """{"type":"object","description":"From the schema."}""");
    }

    [Fact]
    public void Lifecycle_sunset_successor_producers_consumers_and_description_are_read()
    {
        var result = Load("""
            schemas:
              - subject: new.v1
                file: a.json
                domain: production
              - subject: old.v0
                file: a.json
                domain: production
                lifecycle: deprecated
                sunset: 2027-03-31
                replaced-by: new.v1
                producers: [lyon-gateway, "rule:counters"]
                consumers: [oee-dashboard]
                description: Legacy counters.
            """);
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        var catalog = result.Config.Get<ConfigCatalog<SchemaDefinition>>()!;
        var old = catalog["old.v0"];
        Assert.Equal((EventLifecycle.Deprecated, new DateOnly(2027, 3, 31), "new.v1", "Legacy counters."),
            (old.Lifecycle, old.Sunset, old.ReplacedBy, old.Description));
        Assert.Equal(["lyon-gateway", "rule:counters"], old.Producers);
        Assert.Equal(["oee-dashboard"], old.Consumers);
        var current = catalog["new.v1"];
        Assert.Equal((EventLifecycle.Active, (DateOnly?)null, "From the schema."), (current.Lifecycle, current.Sunset, current.Description));
        Assert.Empty(current.Producers);
    }

    [Fact]
    public void Every_catalogue_problem_is_reported_at_file_line_col()
    {
        var errors = Load("""
            schemas:
              - subject: a.v1
                file: a.json
                domain: producton
                lifecycle: deprecated
              - subject: b.v1
                file: a.json
                lifecycle: retierd
              - subject: c.v1
                file: a.json
                sunset: 2027-01-01
                replaced-by: a.v1
              - subject: d.v1
                file: a.json
                lifecycle: deprecated
                sunset: 31.03.2027
                replaced-by: nowhere.v1
                producers: [x, x]
            """).Errors.Select(e => e.ToString()).ToList();
        Assert.Contains(errors, e => e.StartsWith("schemas/schemas.yaml:4:13: unknown domain 'producton'") && e.Contains("did you mean 'production'"));
        Assert.Contains(errors, e => e.StartsWith("schemas/schemas.yaml:5:16: a deprecated event type needs 'sunset: YYYY-MM-DD'"));
        Assert.Contains(errors, e => e.StartsWith("schemas/schemas.yaml:8:16: unknown lifecycle 'retierd'") && e.Contains("did you mean 'retired'"));
        Assert.Contains(errors, e => e.StartsWith("schemas/schemas.yaml:11:13: 'sunset' applies to deprecated or retired types, but the lifecycle is active"));
        Assert.Contains(errors, e => e.StartsWith("schemas/schemas.yaml:12:18: 'replaced-by' applies to deprecated or retired types"));
        Assert.Contains(errors, e => e.StartsWith("schemas/schemas.yaml:16:13: sunset '31.03.2027' is not a date; write it as YYYY-MM-DD"));
        Assert.Contains(errors, e => e.StartsWith("schemas/schemas.yaml:18:20: producer 'x' is listed twice"));
    }

    [Fact]
    public void A_successor_must_be_a_declared_subject()
    {
        var errors = Load("""
            schemas:
              - subject: d.v1
                file: a.json
                lifecycle: retired
                replaced-by: nowhere.v1
              - subject: e.v1
                file: a.json
                lifecycle: retired
                replaced-by: e.v1
            """).Errors.Select(e => e.ToString()).ToList();
        Assert.Contains(errors, e => e.StartsWith("schemas/schemas.yaml:5:18:") && e.Contains("nowhere.v1"));
        Assert.Contains(errors, e => e.StartsWith("schemas/schemas.yaml:9:18: schema 'e.v1' cannot be replaced by itself"));
    }

    private ConfigLoadResult Load(string yaml)
    {
        File.WriteAllText(Path.Combine(_dir, "schemas", "schemas.yaml"), yaml);
        return new ConfigLoader(GovernanceConfig.Sections()).LoadDirectory(_dir);
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
