using System.Text.Json;
using Millrace.Hub.Governance;
using Millrace.Schema.Compatibility;

namespace Millrace.Hub.Tests.Governance;

/// <summary>The registry against a real SQLite file in a temp folder.</summary>
public sealed class SchemaRegistrySpecs : IDisposable
{
    internal const string V1 = """{"type":"object","properties":{"order":{"type":"string"},"unit":{"enum":["PCS","KG"]}},"required":["order"]}""";
    internal const string V2OptionalLot = """{"type":"object","properties":{"order":{"type":"string"},"unit":{"enum":["PCS","KG"]},"lot":{"type":"string"}},"required":["order"]}""";
    internal const string V2RequiredLotFewerUnits = """{"type":"object","properties":{"order":{"type":"string"},"unit":{"enum":["PCS"]},"lot":{"type":"string"}},"required":["order","lot"]}""";

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "millrace-registry-tests", Guid.NewGuid().ToString("n"));
    private SchemaRegistry _registry;

    public SchemaRegistrySpecs() => _registry = SchemaRegistry.OpenInDataDirectory(_dir);

    [Fact]
    public void Versions_are_numbered_from_1_and_served_with_their_registry_uri()
    {
        var first = _registry.Register("com.acme.production.completed.v1", V1);
        var second = _registry.Register("com.acme.production.completed.v1", V2OptionalLot);
        Assert.Equal((RegistrationOutcome.Registered, 1), (first.Outcome, first.Version!.Version));
        Assert.Equal((RegistrationOutcome.Registered, 2), (second.Outcome, second.Version!.Version));
        Assert.Equal("https://millrace.dev/schemas/com.acme.production.completed.v1/2", second.Version.Uri);
        Assert.Equal(2, _registry.GetLatest("com.acme.production.completed.v1")!.Version);
        Assert.Equal([1, 2], _registry.ListVersions("com.acme.production.completed.v1"));
    }

    [Fact]
    public void Registering_an_identical_schema_again_returns_the_existing_version()
    {
        _registry.Register("s", V1);
        _registry.Register("s", V2OptionalLot);
        // same schema, other member order and whitespace
        var again = _registry.Register("s", """{ "required": ["order"], "properties": {"unit":{"enum":["PCS","KG"]}, "order": {"type":"string"}}, "type": "object" }""");
        Assert.Equal((RegistrationOutcome.AlreadyRegistered, 1), (again.Outcome, again.Version!.Version));
        Assert.Equal([1, 2], _registry.ListVersions("s"));
    }

    [Fact]
    public void A_version_breaking_the_default_backward_mode_is_refused_with_every_incompatibility_by_pointer()
    {
        _registry.Register("s", V1);
        var refused = _registry.Register("s", V2RequiredLotFewerUnits);
        Assert.Equal(RegistrationOutcome.Incompatible, refused.Outcome);
        Assert.Equal(CompatibilityMode.Backward, refused.Mode);
        Assert.Equal(["/properties/unit/enum", "/required"], refused.Problems.Select(p => p.Pointer).Order(StringComparer.Ordinal));
        Assert.All(refused.Problems, p => Assert.Equal((1, "backward"), (p.AgainstVersion, p.Direction)));
        Assert.Equal([1], _registry.ListVersions("s"));
    }

    [Fact]
    public void The_subject_mode_decides_and_none_accepts_anything()
    {
        _registry.SetSubject("loose", CompatibilityMode.None);
        _registry.Register("loose", V1);
        Assert.Equal(RegistrationOutcome.Registered, _registry.Register("loose", """{"type":"string"}""").Outcome);

        _registry.Register("forward", V1, new SubjectSettings(CompatibilityMode.Forward));
        var refused = _registry.Register("forward", """{"type":"object","properties":{"order":{"type":"string"},"unit":{"enum":["PCS","KG","M"]}},"required":["order"]}""");
        Assert.Equal(RegistrationOutcome.Incompatible, refused.Outcome);
        Assert.Equal("/properties/unit/enum/2", Assert.Single(refused.Problems).Pointer);
    }

    [Fact]
    public void Transitive_mode_checks_every_earlier_version()
    {
        const string v1 = """{"type":"object","properties":{"x":{"type":"string"}}}""";
        const string v2 = """{"type":"object","properties":{}}""";
        const string v3 = """{"type":"object","properties":{"x":{"type":"integer"}}}""";
        _registry.Register("t", v1, new SubjectSettings(CompatibilityMode.BackwardTransitive));
        _registry.Register("t", v2);
        var refused = _registry.Register("t", v3);
        Assert.Equal(1, Assert.Single(refused.Problems).AgainstVersion);
        _registry.SetSubject("t", CompatibilityMode.Backward);
        Assert.Equal(RegistrationOutcome.Registered, _registry.Register("t", v3).Outcome);
    }

    [Fact]
    public void An_invalid_schema_is_refused_with_pointers_and_nothing_is_stored()
    {
        var notJson = _registry.Register("s", "{\"type\":");
        Assert.Equal(RegistrationOutcome.Invalid, notJson.Outcome);
        var badKeyword = _registry.Register("s", """{"type":"object","properties":{"a":{"type":"strin"}}}""");
        Assert.Equal(RegistrationOutcome.Invalid, badKeyword.Outcome);
        Assert.Contains(badKeyword.Problems, p => p.Pointer == "/properties/a/type");
        var badSubject = _registry.Register("no spaces please", V1);
        Assert.Equal(RegistrationOutcome.Invalid, badSubject.Outcome);
        Assert.Empty(_registry.ListSubjects());
    }

    [Fact]
    public void A_registry_id_naming_another_version_is_refused()
    {
        var wrong = _registry.Register("a.b.v1", """{"$id":"https://millrace.dev/schemas/a.b.v1/2","type":"object"}""");
        Assert.Equal("/$id", Assert.Single(wrong.Problems).Pointer);
        Assert.True(_registry.Register("a.b.v1", """{"$id":"https://millrace.dev/schemas/a.b.v1/1","type":"object"}""").Succeeded);
    }

    [Fact]
    public void Versions_and_modes_survive_reopening_the_file()
    {
        _registry.Register("s", V1, new SubjectSettings(CompatibilityMode.Full, Owner: "mes-team", Domain: "production"));
        _registry.Dispose();
        _registry = SchemaRegistry.OpenInDataDirectory(_dir);
        Assert.Equal(new SubjectInfo("s", CompatibilityMode.Full, "mes-team", "production"), _registry.GetSubject("s"));
        Assert.Equal(SchemaTextFingerprint(V1), _registry.GetVersion("s", 1)!.Fingerprint);
    }

    [Fact]
    public void Validators_are_compiled_once_per_version_and_assert_formats()
    {
        _registry.Register("s", """{"type":"object","properties":{"at":{"type":"string","format":"date-time"}}}""");
        var validator = _registry.GetValidator("s", 1)!;
        Assert.Same(validator, _registry.GetValidator("s", 1));
        Assert.True(validator.IsValid(Parse("""{"at":"2026-11-22T10:00:00Z"}""")));
        Assert.False(validator.IsValid(Parse("""{"at":"22/11/2026"}""")));
        Assert.Null(_registry.GetValidator("s", 2));
    }

    [Fact]
    public void A_schema_may_refer_to_another_registered_version_by_its_registry_uri()
    {
        _registry.Register("com.acme.common.quantity", """{"type":"number","minimum":0}""");
        _registry.Register("uses", """{"type":"object","properties":{"qty":{"$ref":"https://millrace.dev/schemas/com.acme.common.quantity/1"}}}""");
        var validator = _registry.GetValidator("uses", 1)!;
        Assert.True(validator.IsValid(Parse("""{"qty":3}""")));
        Assert.False(validator.IsValid(Parse("""{"qty":-3}""")));
    }

    [Fact]
    public void Compatibility_check_reports_without_storing()
    {
        _registry.Register("s", V1);
        var report = _registry.CheckCompatibility("s", V2RequiredLotFewerUnits);
        Assert.False(report.IsCompatible);
        Assert.Equal(2, report.Problems.Count);
        Assert.True(_registry.CheckCompatibility("s", V2OptionalLot).IsCompatible);
        Assert.True(_registry.CheckCompatibility("new-subject", V1).IsCompatible);
        Assert.Equal([1], _registry.ListVersions("s"));
    }

    private static string SchemaTextFingerprint(string json) => SchemaText.Fingerprint(Parse(json));

    private static JsonElement Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.Clone();
    }

    public void Dispose()
    {
        _registry.Dispose();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
