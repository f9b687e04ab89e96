using Millrace.Core.Config;
using Millrace.Hub.Governance;
using Millrace.Schema.Compatibility;

namespace Millrace.Hub.Tests.Governance;

/// <summary>The <c>schemas:</c> configuration section, loaded from a real folder.</summary>
public sealed class SchemasSectionSpecs : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "millrace-schemas-section", Guid.NewGuid().ToString("n"));

    public SchemasSectionSpecs()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "schemas"));
        Write("enterprise.yaml", "enterprise:\n  id: acme\n  name: Acme\n");
    }

    [Fact]
    public void Entries_are_read_with_files_relative_to_their_yaml_file_and_published()
    {
        Write("schemas/completed.json", """{"$id":"https://millrace.dev/schemas/com.acme.production.completed.v1/1","type":"object"}""");
        Write("schemas/schemas.yaml", """
            schemas:
              - subject: com.acme.production.completed.v1
                compatibility: FULL_TRANSITIVE
                file: completed.json
                owner: mes-team
                domain: production
            """);
        var result = Load();
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        var definition = Assert.Single(result.Config.Get<ConfigCatalog<SchemaDefinition>>()!.All);
        Assert.Equal((CompatibilityMode.FullTransitive, "mes-team", "production"), (definition.Mode, definition.Owner, definition.Domain));
        Assert.Equal(Path.Combine(_dir, "schemas", "completed.json"), definition.File);
    }

    [Fact]
    public void Every_problem_is_reported_at_file_line_col()
    {
        Write("schemas/broken.json", """{"type":"object","properties":{"a":{"type":"strin"}}}""");
        Write("schemas/notjson.json", "{ nope");
        Write("schemas/schemas.yaml", """
            schemas:
              - subject: a.v1
                compatibility: BACKWARDS
                file: missing.json
              - subject: b.v1
                file: broken.json
              - subject: c.v1
                file: notjson.json
              - subject: bad subject
                file: broken.json
                colour: red
            """);
        var errors = Load().Errors.Select(e => e.ToString()).ToList();
        Assert.Contains(errors, e => e.StartsWith("schemas/schemas.yaml:3:20: unknown compatibility mode 'BACKWARDS'") && e.Contains("did you mean 'BACKWARD'"));
        Assert.Contains(errors, e => e.StartsWith("schemas/schemas.yaml:4:11: schema file 'missing.json' does not exist"));
        Assert.Contains(errors, e => e.StartsWith("schemas/schemas.yaml:6:11: broken.json at /properties/a/type:"));
        Assert.Contains(errors, e => e.StartsWith("schemas/schemas.yaml:8:11: notjson.json: not valid JSON"));
        Assert.Contains(errors, e => e.StartsWith("schemas/schemas.yaml:9:14: subject 'bad subject' contains ' '"));
        Assert.Contains(errors, e => e.StartsWith("schemas/schemas.yaml:11:5: unknown key 'colour'"));
    }

    [Fact]
    public void A_duplicate_subject_and_a_registry_id_of_another_subject_are_errors()
    {
        Write("schemas/x.json", """{"$id":"https://millrace.dev/schemas/other.v1/1","type":"object"}""");
        Write("schemas/y.json", """{"type":"object"}""");
        Write("schemas/schemas.yaml", """
            schemas:
              - subject: x.v1
                file: x.json
              - subject: y.v1
                file: y.json
              - subject: y.v1
                file: y.json
            """);
        var errors = Load().Errors.Select(e => e.ToString()).ToList();
        Assert.Contains(errors, e => e.Contains("x.json at /$id") && e.Contains("names another subject"));
        Assert.Contains(errors, e => e.StartsWith("schemas/schemas.yaml:6:14: duplicate schema subject id 'y.v1'"));
    }

    [Fact]
    public void The_default_sections_do_not_know_schemas_but_governance_sections_do()
    {
        Write("schemas/y.json", """{"type":"object"}""");
        Write("schemas.yaml", "schemas:\n  - subject: y.v1\n    file: schemas/y.json\n");
        Assert.Contains(ConfigLoader.Load(_dir).Errors, e => e.Message.Contains("unknown top-level section 'schemas'"));
        Assert.DoesNotContain(Load().Errors, e => e.Message.Contains("schemas"));
        Assert.Contains("schemas", GovernanceConfig.Sections().Keys);
    }

    [Fact]
    public void Applied_definitions_register_in_the_registry_with_their_mode()
    {
        Write("schemas/y.json", """{"type":"object","properties":{"a":{"type":"string"}}}""");
        Write("schemas.yaml", "schemas:\n  - subject: y.v1\n    compatibility: NONE\n    file: schemas/y.json\n    owner: qa\n");
        var catalog = Load().Config.Get<ConfigCatalog<SchemaDefinition>>()!;
        using var registry = SchemaRegistry.OpenInDataDirectory(Path.Combine(_dir, ".data"));
        var results = registry.Apply(catalog.All);
        Assert.Equal(RegistrationOutcome.Registered, Assert.Single(results).Outcome);
        Assert.Equal(RegistrationOutcome.AlreadyRegistered, Assert.Single(registry.Apply(catalog.All)).Outcome);
        Assert.Equal(new SubjectInfo("y.v1", CompatibilityMode.None, "qa", null), registry.GetSubject("y.v1"));
    }

    private ConfigLoadResult Load() => new ConfigLoader(GovernanceConfig.Sections()).LoadDirectory(_dir);

    private void Write(string relative, string text)
    {
        var path = Path.Combine(_dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
