using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Millrace.Core.Config;
using Millrace.Hub.Connectors;
using Millrace.Hub.Connectors.Configuration;
using Millrace.Hub.Connectors.Resilience;
using Millrace.Hub.Governance;
using Millrace.Hub.Hosting;
using Millrace.Hub.Workflows.Definitions;
using Millrace.Hub.Workflows.Engine;
using Millrace.Log;
using Polly.CircuitBreaker;

namespace Millrace.Hub.Tests.Connectors.Tryton;

/// <summary>
/// The outage scenario on a real hub and a real trytond: production.completed events flow through the
/// production-completion workflow, trytond is stopped for 60 s in the middle of the run while events keep coming, and
/// then started again. While it is down the calls are held (no instance fails, the circuit opens, the connector's
/// backlog grows); after it returns every event is posted, and Tryton holds exactly one production per event.
/// </summary>
public sealed class TrytonOutageWorkflowTests(TrytonServer tryton) : IClassFixture<TrytonServer>, IAsyncLifetime
{
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(60);
    private HubHost _hub = null!;
    private ResilientConnector _erp = null!;
    private string _dir = null!;

    public async Task InitializeAsync()
    {
        _dir = Path.Combine(Path.GetTempPath(), "millrace-tryton-outage", Guid.NewGuid().ToString("n"));
        var config = Path.Combine(_dir, "config");
        await tryton.WriteHubConfigAsync(config);
        // The sample's resilience with shorter clocks, so the test spends its time in the outage, not in backoff.
        File.WriteAllText(Path.Combine(config, "connectors.yaml"), $$"""
            connectors:
              - id: erp
                kind: tryton
                url: {{tryton.Url.ToString().TrimEnd('/')}}
                database: erp
                user: admin
                credentials: env:TRYTON_PASSWORD
                timeout: 5s
                concurrency: 4
                retry: { max-attempts: 20, base-delay: 500ms, max-delay: 5s }   # ~100 s of retry budget: longer than the outage
                circuit-breaker: { failure-ratio: 0.5, sampling-duration: 10s, minimum-throughput: 3, break-duration: 5s }
            """);
        var loaded = new ConfigLoader(GovernanceConfig.Sections()).LoadDirectory(config);
        Assert.False(loaded.HasErrors, string.Join("\n", loaded.Diagnostics));
        var connectors = ConnectorSet.Create(loaded.Config.Get<ConfigCatalog<ConnectorDefinition>>()!, new ConnectorEnvironment { ConfigDirectory = config });
        _erp = (ResilientConnector)connectors["erp"];
        _hub = await HubHost.StartAsync(new HubOptions
        {
            Url = "http://127.0.0.1:0", DataDirectory = Path.Combine(_dir, "data"), LogPartitions = 4, LogLevel = Microsoft.Extensions.Logging.LogLevel.Warning,
        }, HubFixture.Catalog, workflows: new HubWorkflows(loaded.Config.Get<WorkflowCatalog>()!.Definitions, new Dictionary<string, IConnector> { ["erp"] = _erp }));
    }

    public async Task DisposeAsync()
    {
        await _hub.DisposeAsync();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    private async Task<string> CompletedAsync(string order, int n)
    {
        var eventId = $"pc-{order}-{n}";
        var json = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["specversion"] = "1.0", ["id"] = eventId, ["source"] = "urn:test", ["type"] = "com.acme.production.completed.v1",
            ["subject"] = $"plant-01/machining-1/cnc-{n % 5:00}", ["time"] = "2026-11-22T08:00:00Z", ["datacontenttype"] = "application/json",
            ["data"] = new { orderId = order, good = 3, scrap = 1, unit = "ea", lot = $"L-{order}-{n}" },
        });
        await _hub.Log.AppendAsync(new LogRecord($"plant-01/machining-1/cnc-{n % 5:00}", eventId, "com.acme.production.completed.v1", DateTimeOffset.UtcNow,
            Encoding.UTF8.GetBytes(json)));
        return WorkflowKeys.InstanceId("production-completion", eventId);
    }

    private InstanceStatus?[] Statuses(IEnumerable<string> ids) => ids.Select(id => _hub.Workflows!.Store.GetInstance(id)?.Status).ToArray();

    private async Task WaitAllCompletedAsync(IReadOnlyList<string> ids, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (Statuses(ids).Any(s => s != InstanceStatus.Completed))
        {
            Assert.DoesNotContain(InstanceStatus.Failed, Statuses(ids));
            if (DateTime.UtcNow > deadline)
                Assert.Fail("not completed: " + string.Join(", ", ids.Zip(Statuses(ids)).Where(p => p.Second != InstanceStatus.Completed).Select(p => $"{p.First}={p.Second}")));
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task Trytond_down_60_s_mid_run_holds_the_calls_opens_the_circuit_and_afterwards_every_event_is_posted_exactly_once()
    {
        var order = "MO-O" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        await tryton.CreatePlannedOrderAsync(order, "FG-2001", 500);
        var before = new List<string>();
        for (var n = 0; n < 10; n++) before.Add(await CompletedAsync(order, n));
        await WaitAllCompletedAsync(before, TimeSpan.FromSeconds(60));

        await tryton.StopAsync();
        var during = new List<string>();
        var down = Stopwatch.StartNew();
        try
        {
            for (var n = 10; n < 30; n++)
            {
                during.Add(await CompletedAsync(order, n));
                await Task.Delay(Outage / 40); // events keep arriving through the first half of the outage
            }
            var opened = false;
            long heldMax = 0;
            while (down.Elapsed < Outage)
            {
                opened |= _erp.CircuitState is CircuitState.Open or CircuitState.HalfOpen;
                heldMax = Math.Max(heldMax, _erp.Held);
                if (during.FirstOrDefault(id => _hub.Workflows!.Store.GetInstance(id)?.Status == InstanceStatus.Failed) is { } failed)
                    Assert.Fail($"{failed} failed while trytond was down (held calls must not fail): {_hub.Workflows!.Store.GetInstance(failed)!.Error}");
                await Task.Delay(200);
            }
            Assert.True(opened, "the circuit never opened while trytond was down");
            Assert.True(heldMax > 0, "no call was held while trytond was down");
            Assert.All(Statuses(during), s => Assert.NotEqual(InstanceStatus.Completed, s));
        }
        finally
        {
            await tryton.StartAsync();
        }
        await WaitAllCompletedAsync(during, TimeSpan.FromSeconds(120));

        using var rpc = tryton.NewClient();
        var productions = await rpc.CallAsync("production", "search_read", new JsonArray(
            new JsonArray(new JsonArray("reference", "like", order + "/%")), 0, null, null, new JsonArray("reference", "quantity", "state")));
        var references = productions.EnumerateArray().Select(p => p.GetProperty("reference").GetString()!).ToList();
        Assert.Equal(30, references.Count);                  // zero losses
        Assert.Equal(30, references.Distinct().Count());     // zero duplicates
        Assert.All(productions.EnumerateArray(), p => Assert.Equal(("done", 4.0), (p.GetProperty("state").GetString(), p.GetProperty("quantity").GetDouble())));
    }
}
