using Millrace.Core.Config;
using Millrace.Hub.Api.Clients;
using Millrace.Hub.Api.Versions;
using Millrace.Hub.Governance;

namespace Millrace.Hub.Tests.Api;

/// <summary>The api-clients:, api-identity: and apis: sections: read, checked, and wrong entries pointed at.</summary>
public sealed class ApiClientsSectionSpecs : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "millrace-api-config", Guid.NewGuid().ToString("n"));

    public ApiClientsSectionSpecs()
    {
        Directory.CreateDirectory(_dir);
        File.WriteAllText(Path.Combine(_dir, "plants.yaml"), """
            plants:
              - id: plant-03
                name: Plant 3
              - id: plant-05
                name: Plant 5
            """);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private ConfigLoadResult Load(string yaml)
    {
        File.WriteAllText(Path.Combine(_dir, "apis.yaml"), yaml);
        return new ConfigLoader(GovernanceConfig.Sections()).LoadDirectory(_dir);
    }

    [Fact]
    public void The_acme_sample_declares_clients_identity_and_a_deprecated_ASN_v1()
    {
        var result = new ConfigLoader(GovernanceConfig.Sections()).LoadDirectory(Path.Combine(HubFixture.RepositoryRoot, "samples", "acme"));
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        var settings = result.Config.Get<ApiSettings>()!;
        Assert.Equal(ApiClientKind.Partner, settings.Find("supplier-0042")!.Kind);
        Assert.Contains("SUP-0042", settings.Find("supplier-0042")!.Suppliers);
        Assert.Equal(new ApiRateLimit(20, TimeSpan.FromSeconds(1)), settings.Find("supplier-0042")!.RateLimit);
        Assert.True(settings.TrustDevelopmentTokens);
        Assert.Equal(ApiLifecycleState.Deprecated, settings.Lifecycles["asn/v1"].State);
    }

    [Fact]
    public void Unknown_scopes_plants_kinds_and_partners_without_suppliers_are_pointed_at_by_file_line_and_column()
    {
        var result = Load("""
            api-clients:
              - id: mes-plant-03
                kind: plant
                scopes: [production:write, production:delete]
                plants: [plant-77]
              - id: supplier-1
                kind: partner
                scopes: [asn:write]
              - id: odd
                kind: robot
                scopes: [asn:write]
            apis:
              - id: asn/v9
                lifecycle: retired
              - id: asn/v1
                lifecycle: gone
            """);
        var errors = result.Errors.Select(e => e.ToString()).ToList();
        Assert.Contains(errors, e => e.Contains("apis.yaml:4:32") && e.Contains("unknown scope 'production:delete'"));
        Assert.Contains(errors, e => e.Contains("apis.yaml:5:14") && e.Contains("plant-77"));
        Assert.Contains(errors, e => e.Contains("apis.yaml:6:9") && e.Contains("must name the 'suppliers'"));
        Assert.Contains(errors, e => e.Contains("apis.yaml:10:11") && e.Contains("plant, partner or application"));
        Assert.Contains(errors, e => e.Contains("apis.yaml:13:9") && e.Contains("asn/v9"));
        Assert.Contains(errors, e => e.Contains("apis.yaml:16:16") && e.Contains("active, deprecated or retired"));
    }
}
