using Millrace.Hub.Connectors.Configuration;
using Millrace.Hub.Connectors.Http;
using static Millrace.Hub.Tests.Connectors.ConnectorHarness;

namespace Millrace.Hub.Tests.Connectors;

/// <summary>The <c>connectors:</c> section: validated up front, every mistake at file:line:col.</summary>
public sealed class ConnectorsSectionSpecs
{
    private static List<string> Errors(string yaml) => Load(yaml).Errors.Select(e => e.ToString()).ToList();

    [Fact]
    public void The_acme_sample_publishes_five_http_connectors_with_the_catalogue_operations()
    {
        var catalog = Catalog(AcmeConnectorsYaml);
        Assert.Equal(["eam", "erp", "field-service", "qms", "wms"], catalog.Ids.Order());
        Assert.All(catalog.All, c => Assert.Equal("http", c.Kind));
        Assert.Equal(13, catalog["erp"].Operations.Count);
        Assert.Contains("release-reservation", catalog["erp"].Operations);
        var erp = catalog["erp"];
        Assert.Equal((TimeSpan.FromSeconds(10), 16, 8), (erp.Resilience.Timeout, erp.Resilience.Concurrency, erp.Retry.MaxAttempts));
        Assert.Equal(new ConnectorRateLimit(200, 50), erp.Resilience.RateLimit);
        Assert.Single(erp.Resilience.MaintenanceWindows);
    }

    [Fact]
    public void A_literal_secret_is_refused_at_its_position()
    {
        var errors = Errors("""
            connectors:
              - id: erp
                kind: http
                url: https://erp.example.com
                auth: bearer
                credentials: hunter2
                operations:
                  read-production-order: { method: GET, path: "/orders/{input.order}" }
            """);
        Assert.Contains(errors, e => e.StartsWith("connectors.yaml:6:18: 'credentials' of connector 'erp': credentials must be a reference, 'env:NAME' or 'file:path'"));
        Assert.DoesNotContain(errors, e => e.Contains("hunter2") && !e.Contains("credentials"));
    }

    [Fact]
    public void A_password_key_is_refused_as_a_secret_not_as_a_typo()
    {
        var errors = Errors("""
            connectors:
              - id: erp
                kind: http
                url: https://erp.example.com
                password: hunter2
                operations:
                  read-production-order: { method: GET, path: "/orders/{input.order}" }
            """);
        Assert.Contains(errors, e => e.StartsWith("connectors.yaml:5:5: 'password' in connector 'erp': secrets are never written in configuration"));
    }

    [Fact]
    public void An_unknown_kind_is_reported_with_a_suggestion()
    {
        var errors = Errors("""
            connectors:
              - id: erp
                kind: htp
                url: https://erp.example.com
            """);
        Assert.Contains("connectors.yaml:3:11: unknown connector kind 'htp'; did you mean 'http'?", errors);
    }

    [Fact]
    public void A_bad_maintenance_window_is_reported_field_by_field()
    {
        var errors = Errors("""
            connectors:
              - id: erp
                kind: http
                url: sandbox://erp
                maintenance-windows:
                  - { days: [sunday], from: "25:00", to: "04:00", zone: Europe/Berln }
                  - { start: 2026-12-27T06:00:00Z, end: 2026-12-24T18:00:00Z }
                operations:
                  read-production-order: { method: GET, path: "/orders/{input.order}" }
            """);
        Assert.Contains(errors, e => e.StartsWith("connectors.yaml:6:18: unknown day 'sunday'"));
        Assert.Contains(errors, e => e.StartsWith("connectors.yaml:6:33: '25:00' is not a time of day"));
        Assert.Contains(errors, e => e.StartsWith("connectors.yaml:6:61: unknown time zone 'Europe/Berln'"));
        Assert.Contains(errors, e => e.StartsWith("connectors.yaml:7:45: 'end' of maintenance window of connector 'erp' must be after 'start'"));
    }

    [Fact]
    public void An_unknown_operation_key_a_bad_method_and_a_broken_template_point_at_their_characters()
    {
        var errors = Errors("""
            connectors:
              - id: erp
                kind: http
                url: sandbox://erp
                operations:
                  confirm-production:
                    methd: POST
                    path: /production-orders/{input.order}/confirmations
                  read-production-order:
                    method: FETCH
                    path: /production-orders/{input.order +}
                    document: response.
            """);
        Assert.Contains("connectors.yaml:7:9: unknown key 'methd' in operation 'confirm-production' of connector 'erp'; did you mean 'method'?", errors);
        Assert.Contains(errors, e => e.StartsWith("connectors.yaml:10:17: unknown HTTP method 'FETCH'"));
        Assert.Contains(errors, e => e.StartsWith("connectors.yaml:11:") && e.Contains("'path' of operation 'read-production-order'"));
        Assert.Contains(errors, e => e.StartsWith("connectors.yaml:12:") && e.Contains("'document' of operation 'read-production-order'"));
    }

    [Fact]
    public void Limits_and_durations_are_checked()
    {
        var errors = Errors("""
            connectors:
              - id: erp
                kind: http
                url: ftp://erp.example.com
                timeout: soon
                concurrency: 0
                rate-limit: { per-second: -1 }
                circuit-breaker: { failure-ratio: 1.5 }
                retry: { max-attempts: 3, base-delay: 10s, max-delay: 1s }
                operations:
                  read-production-order: { method: GET, path: "/orders/{input.order}" }
            """);
        Assert.Contains(errors, e => e.StartsWith("connectors.yaml:4:10: 'url' of connector 'erp' must be an absolute http:// or https:// URL"));
        Assert.Contains(errors, e => e.StartsWith("connectors.yaml:5:14: 'timeout' of connector 'erp' must be a duration"));
        Assert.Contains(errors, e => e.StartsWith("connectors.yaml:6:18: 'concurrency' of connector 'erp' must be between 1 and 10000"));
        Assert.Contains(errors, e => e.StartsWith("connectors.yaml:7:31: 'per-second'"));
        Assert.Contains(errors, e => e.StartsWith("connectors.yaml:8:39: 'failure-ratio'"));
        Assert.Contains(errors, e => e.StartsWith("connectors.yaml:9:59: 'max-delay'"));
    }

    [Fact]
    public void A_new_kind_reads_its_own_keys_through_the_registry()
    {
        var registry = Millrace.Core.Config.ConfigSectionRegistry.CreateDefault()
            .Add(() => new ConnectorsSection(ConnectorKinds.CreateDefault().Add(new EchoKind())));
        var dir = Path.Combine(Path.GetTempPath(), "millrace-connectors", Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "enterprise.yaml"), "enterprise:\n  id: acme\n  name: Acme\n");
        File.WriteAllText(Path.Combine(dir, "connectors.yaml"), "connectors:\n  - id: echo\n    kind: echo\n    url: https://echo.example.com\n    echo-operations: [ping, pong]\n    colour: red\n");
        var result = new Millrace.Core.Config.ConfigLoader(registry).LoadDirectory(dir);
        Directory.Delete(dir, true);
        Assert.Equal(["connectors.yaml:6:5: unknown key 'colour' in connector 'echo' (expected one of: circuit-breaker, concurrency, credentials, echo-operations, id, kind, maintenance-windows, rate-limit, retry, timeout, url)"],
            result.Errors.Select(e => e.ToString()));
    }

    private sealed class EchoKind : IConnectorKind
    {
        public string Name => "echo";

        public IConnectorSettings? ReadSettings(Millrace.Core.Config.MappingReader entry, Millrace.Core.Config.ConfigContext context, string connectorId)
            => new EchoSettings(entry.TextList("echo-operations", required: true).Select(s => s.Value).ToList());

        public Millrace.Hub.Connectors.IConnector Create(ConnectorDefinition definition, ConnectorEnvironment environment) => throw new NotSupportedException();

        private sealed record EchoSettings(IReadOnlyCollection<string> Operations) : IConnectorSettings;
    }
}
