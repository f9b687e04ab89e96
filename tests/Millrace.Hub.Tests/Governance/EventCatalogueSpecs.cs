using System.Text.Json;
using Millrace.Core.Config;
using Millrace.Hub.Governance;

namespace Millrace.Hub.Tests.Governance;

/// <summary>The canonical event catalogue shipped in samples/acme/schemas: loads, validates its own examples, registers.</summary>
public sealed class EventCatalogueSpecs : IDisposable
{
    private static readonly string Root = FindRoot();
    private readonly string _copy = Path.Combine(Path.GetTempPath(), "millrace-catalogue", Guid.NewGuid().ToString("n"));

    public EventCatalogueSpecs()
    {
        var source = Path.Combine(Root, "samples", "acme");
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var to = Path.Combine(_copy, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }
        // Until the CLI loads the governance sections, schemas.yaml waits beside the sample (see its header).
        var registered = Path.Combine(_copy, "schemas", "schemas.yaml");
        if (!File.Exists(registered)) File.Copy(Path.Combine(Root, "samples", "acme-schemas-pending", "schemas.yaml"), registered);
    }

    [Fact]
    public void Catalogue_loads_with_the_acme_sample_and_names_every_design_event_type()
    {
        var result = new ConfigLoader(GovernanceConfig.Sections()).LoadDirectory(_copy);
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        var subjects = result.Config.Get<ConfigCatalog<SchemaDefinition>>()!.Ids;
        string[] expected =
        [
            "com.acme.production.order.released.v1", "com.acme.production.operation.confirmed.v1", "com.acme.production.completed.v1",
            "com.acme.asset.downtime.started.v1", "com.acme.asset.downtime.ended.v1", "com.acme.asset.state.changed.v1",
            "com.acme.material.consumed.v1", "com.acme.inventory.adjusted.v1", "com.acme.inventory.moved.v1",
            "com.acme.maintenance.alert.raised.v1", "com.acme.maintenance.workorder.requested.v1", "com.acme.maintenance.workorder.created.v1",
            "com.acme.quality.exception.raised.v1", "com.acme.quality.disposition.updated.v1", "com.acme.coldchain.excursion.detected.v1",
            "com.acme.supplier.asn.received.v1",
            // legacy types that make the lifecycle visible (deprecated, retired)
            "com.acme.production.count.reported.v0", "com.acme.quality.inspection.failed.v0",
        ];
        Assert.Equal(expected.Order(StringComparer.Ordinal), subjects.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_schema_has_a_versioned_registry_id_and_accepts_its_example_and_refuses_an_unknown_member()
    {
        var definitions = new ConfigLoader(GovernanceConfig.Sections()).LoadDirectory(_copy).Config.Get<ConfigCatalog<SchemaDefinition>>()!.All;
        Assert.NotEmpty(definitions);
        foreach (var d in definitions)
        {
            Assert.Equal($"https://millrace.dev/schemas/{d.Subject}/1", d.Schema.GetProperty("$id").GetString());
            var validator = SchemaText.Compile(d.Schema);
            var example = d.Schema.GetProperty("examples")[0];
            var result = validator.Validate(example);
            Assert.True(result.IsValid, $"{d.Subject}: {result.ToJson()}");
            var withTypo = JsonDocument.Parse(example.GetRawText().Insert(1, "\"unexpected\":1,")).RootElement;
            Assert.False(validator.IsValid(withTypo), d.Subject);
        }
    }

    [Fact]
    public void Applying_the_catalogue_registers_version_1_of_each_subject_once()
    {
        var definitions = new ConfigLoader(GovernanceConfig.Sections()).LoadDirectory(_copy).Config.Get<ConfigCatalog<SchemaDefinition>>()!.All;
        using var registry = SchemaRegistry.OpenInDataDirectory(Path.Combine(_copy, ".data"));
        Assert.All(registry.Apply(definitions), r => Assert.Equal((RegistrationOutcome.Registered, 1), (r.Outcome, r.Version!.Version)));
        Assert.All(registry.Apply(definitions), r => Assert.Equal(RegistrationOutcome.AlreadyRegistered, r.Outcome));
        Assert.Equal(definitions.Length, registry.ListSubjects().Count);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Millrace.slnx"))) return dir.FullName;
        throw new InvalidOperationException("Millrace.slnx not found above " + AppContext.BaseDirectory);
    }

    public void Dispose()
    {
        try { Directory.Delete(_copy, recursive: true); } catch (IOException) { }
    }
}
