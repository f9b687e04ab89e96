using System.Text.Json;
using Millrace.Core.Config;
using Millrace.Core.Events;
using Millrace.Hub.Governance;
using Millrace.Hub.Governance.Rules;

namespace Millrace.Hub.Tests.Governance.Enforcement;

/// <summary>The <c>business-rules:</c> section: checked at load with positions, compiled, evaluated over events.</summary>
public sealed class BusinessRulesSectionSpecs : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "millrace-business-rules", Guid.NewGuid().ToString("n"));

    public BusinessRulesSectionSpecs()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "schemas"));
        File.WriteAllText(Path.Combine(_dir, "enterprise.yaml"), "enterprise:\n  id: acme\n  name: Acme\n");
        var samples = Path.Combine(HubFixture.RepositoryRoot, "samples", "acme", "schemas");
        foreach (var file in Directory.EnumerateFiles(samples)) File.Copy(file, Path.Combine(_dir, "schemas", Path.GetFileName(file)));
    }

    private ConfigLoadResult Load(string rules)
    {
        File.WriteAllText(Path.Combine(_dir, "business-rules.yaml"), rules);
        return new ConfigLoader(GovernanceConfig.Sections()).LoadDirectory(_dir);
    }

    private static string[] Errors(ConfigLoadResult result) => result.Diagnostics.Where(d => d.IsError).Select(d => d.ToString()).ToArray();

    [Fact]
    public void The_acme_sample_rules_load_and_hold_on_every_catalogue_example()
    {
        var (schemas, rules) = HubFixture.AcmeGovernance;
        Assert.True(rules.All.Count >= 10);
        foreach (var definition in schemas)
        {
            var example = definition.Schema.GetProperty("examples")[0];
            var e = new CloudEvent { Id = "x", Source = "/test", Type = definition.Subject, DataKind = CloudEventDataKind.Json, Data = JsonSerializer.SerializeToUtf8Bytes(example) };
            Assert.Empty(rules.Violations(e, example));
        }
    }

    [Fact]
    public void A_syntax_error_is_reported_at_the_offending_column_of_the_check()
    {
        var result = Load("""
            business-rules:
              - type: com.acme.production.completed.v1
                rules:
                  - name: scrap-plausible
                    check: data.scrap <= (data.good + data.scrap * 0.2
                    message: too much scrap
            """);
        var error = Assert.Single(Errors(result));
        // the expression ends at column 58; the missing ')' is reported one past it
        Assert.StartsWith("business-rules.yaml:5:59: 'check' of business rule 'scrap-plausible': expected ')'", error);
    }

    [Fact]
    public void Unknown_event_type_is_an_error_with_a_suggestion()
    {
        var result = Load("""
            business-rules:
              - type: com.acme.production.complete.v1
                rules:
                  - name: something
                    check: data.good > 0
            """);
        Assert.Equal(["business-rules.yaml:2:11: unknown event type 'com.acme.production.complete.v1'; did you mean 'com.acme.production.completed.v1'?"], Errors(result));
    }

    [Fact]
    public void A_check_that_is_not_a_condition_and_an_unknown_field_and_a_bad_template_are_each_reported()
    {
        var result = Load("""
            business-rules:
              - type: com.acme.production.completed.v1
                rules:
                  - name: total
                    check: data.good + data.scrap
                  - name: typo
                    check: dta.good > 0
                  - name: template
                    check: data.good > 0
                    message: "good {data.good"
                  - name: total
                    check: data.good >= 0
            """);
        var errors = Errors(result);
        Assert.Equal(4, errors.Length);
        Assert.Contains(errors, e => e.StartsWith("business-rules.yaml:5:16: 'check' of business rule 'total' must be a condition (boolean), but it is a number", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("business-rules.yaml:7:16: 'check' of business rule 'typo': unknown field 'dta", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("business-rules.yaml:10:", StringComparison.Ordinal) && e.Contains("'message' of business rule 'template'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("business-rules.yaml:11:15: duplicate business rule id 'total'", StringComparison.Ordinal));
    }

    [Fact]
    public void Rules_read_the_envelope_as_well_as_the_data()
    {
        var result = Load("""
            business-rules:
              - type: com.acme.production.completed.v1
                rules:
                  - name: plant-matches-envelope
                    check: plant == null or data.plant == plant
                    message: "data.plant {data.plant} differs from the event's plant {plant}"
            """);
        Assert.Empty(Errors(result));
        var rules = result.Config.Get<BusinessRuleSet>()!;
        var data = JsonDocument.Parse("""{"plant":"plant-01"}""").RootElement;
        var e = new CloudEvent { Id = "x", Source = "/t", Type = "com.acme.production.completed.v1", Plant = "plant-02" };
        var (rule, error) = Assert.Single(rules.Violations(e, data));
        Assert.Equal("plant-matches-envelope", rule.Name);
        Assert.Equal("plant-matches-envelope: data.plant plant-01 differs from the event's plant plant-02", error.Message);
        Assert.Empty(rules.Violations(e with { Plant = null }, data));
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
