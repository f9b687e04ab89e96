using System.Text.Json.Nodes;
using Millrace.Hub.Connectors;
using Millrace.Hub.Connectors.Configuration;
using static Millrace.Hub.Tests.Connectors.ConnectorHarness;

namespace Millrace.Hub.Tests.Connectors.Tryton;

/// <summary><c>kind: tryton</c> in the <c>connectors:</c> section: validated up front, and the configured connector
/// posts into a real trytond through the same resilience (breaker, deferral) as every other kind.</summary>
public sealed class TrytonConnectorKindTests(TrytonServer tryton) : IClassFixture<TrytonServer>
{
    private const string PasswordVariable = "MILLRACE_TEST_TRYTON_PASSWORD";

    private string Yaml(string extra = "") => $"""
        connectors:
          - id: erp
            kind: tryton
            url: {tryton.Url}
            database: erp
            user: admin
            credentials: env:{PasswordVariable}
            timeout: 10s
        {extra}
        """;

    private async Task<int> ProductionsWithReferenceAsync(string reference)
    {
        using var rpc = tryton.NewClient();
        return (await rpc.CallAsync("production", "search_count", new JsonArray(new JsonArray(new JsonArray("reference", "=", reference))))).GetInt32();
    }

    private static ConnectorCall Confirm(string order, string key)
        => new("confirm-production", Json($$"""{"order":"{{order}}","good":4,"scrap":1,"unit":"ea","lot":"L-{{order}}"}"""), key);

    [Fact]
    public void The_sample_tryton_entry_loads_with_the_connectors_fixed_operations_and_its_resilience()
    {
        var erp = Catalog(File.ReadAllText(Path.Combine(Root, "samples", "tryton", "connectors.yaml")))["erp"];
        Assert.Equal("tryton", erp.Kind);
        Assert.Equal(["confirm-production", "create-lot", "post-goods-movement", "post-goods-receipt", "read-production-order", "read-stock"], erp.Operations.Order());
        Assert.Equal((TimeSpan.FromSeconds(30), 4, 8), (erp.Resilience.Timeout, erp.Resilience.Concurrency, erp.Retry.MaxAttempts));
    }

    [Fact]
    public void A_tryton_entry_without_database_or_credentials_or_with_a_literal_password_is_refused_at_positions()
    {
        var errors = Load("""
            connectors:
              - id: erp
                kind: tryton
                url: http://127.0.0.1:8000
                user: admin
                password: hunter2
              - id: erp2
                kind: tryton
                url: http://127.0.0.1:8000
                database: a/b
                user: admin
                credentials: env:X
                operations: {}
            """).Errors.Select(e => e.ToString()).ToList();
        Assert.Contains(errors, e => e.StartsWith("connectors.yaml:2:") && e.Contains("'database'"));
        Assert.Contains(errors, e => e.StartsWith("connectors.yaml:2:") && e.Contains("needs 'credentials'"));
        Assert.Contains(errors, e => e.StartsWith("connectors.yaml:6:5: 'password' in connector 'erp': secrets are never written in configuration"));
        Assert.Contains(errors, e => e.StartsWith("connectors.yaml:10:15: 'database' of connector 'erp2' must be a Tryton database name"));
        Assert.Contains(errors, e => e.StartsWith("connectors.yaml:13:5: unknown key 'operations' in connector 'erp2'"));
        Assert.DoesNotContain(errors, e => e.Contains("hunter2"));
    }

    [Fact]
    public async Task An_unreadable_password_stops_the_hub_at_start_with_the_reference_not_the_secret()
    {
        var catalog = Catalog(Yaml().Replace(PasswordVariable, "MILLRACE_TEST_TRYTON_UNSET_" + Guid.NewGuid().ToString("N")));
        var e = Assert.Throws<InvalidOperationException>(() => ConnectorSet.Create(catalog, new ConnectorEnvironment()));
        Assert.Contains("connector 'erp' (kind tryton): the password env:MILLRACE_TEST_TRYTON_UNSET_", e.Message);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task While_trytond_is_down_calls_fail_retryably_then_the_circuit_holds_them_unsent_and_after_it_returns_each_is_posted_once()
    {
        Environment.SetEnvironmentVariable(PasswordVariable, TrytonServer.Password);
        var time = new ManualTime(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
        await using var connectors = ConnectorSet.Create(Catalog(Yaml(
            "    circuit-breaker: { failure-ratio: 0.6, sampling-duration: 30s, minimum-throughput: 3, break-duration: 60s }")),
            new ConnectorEnvironment { Time = time });
        var erp = connectors["erp"];
        var order = "MO-K" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        await tryton.CreatePlannedOrderAsync(order, "FG-2001", 20);
        Assert.Equal(ConnectorOutcome.Succeeded, (await erp.InvokeAsync(Confirm(order, "before"))).Outcome);

        await tryton.StopAsync();
        try
        {
            Assert.Equal(ConnectorOutcome.Retryable, (await erp.InvokeAsync(Confirm(order, "during-1"))).Outcome);
            Assert.Equal(ConnectorOutcome.Retryable, (await erp.InvokeAsync(Confirm(order, "during-2"))).Outcome);
            time.Advance(TimeSpan.FromSeconds(10));
            var held = await erp.InvokeAsync(Confirm(order, "during-3"));
            Assert.Equal(ConnectorOutcome.Deferred, held.Outcome);
            Assert.True(held.RetryAfter > TimeSpan.Zero && held.RetryAfter <= TimeSpan.FromSeconds(60), $"held for {held.RetryAfter}");
        }
        finally
        {
            await tryton.StartAsync();
        }
        time.Advance(TimeSpan.FromSeconds(61));
        foreach (var key in new[] { "during-1", "during-2", "during-3", "during-1" })
        {
            var r = await erp.InvokeAsync(Confirm(order, key));
            Assert.True(r.Outcome == ConnectorOutcome.Succeeded, $"{key}: {r.Outcome} {r.Reason}");
        }

        foreach (var key in new[] { "before", "during-1", "during-2", "during-3" })
            Assert.Equal(1, await ProductionsWithReferenceAsync($"{order}/{key}"));
    }
}
