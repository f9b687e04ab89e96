using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Millrace.Core.Config;
using Millrace.Hub.Connectors;
using Millrace.Hub.Connectors.Configuration;
using Millrace.Hub.Governance;
using Millrace.Hub.Hosting;
using Millrace.Hub.Workflows.Definitions;
using Millrace.Hub.Workflows.Engine;
using Millrace.Log;

namespace Millrace.Hub.Tests.Connectors.Tryton;

/// <summary>
/// The production-completion workflow of samples/tryton on a real hub whose <c>erp</c> is a real trytond
/// (<c>kind: tryton</c>, configured by scripts/tryton-demo-config.sh): production.completed events in the hub's log
/// become exactly one Tryton production each, with the actual quantities, BOM consumption and lot — checked in Tryton.
/// </summary>
public sealed class TrytonProductionWorkflowTests(TrytonServer tryton) : IClassFixture<TrytonServer>, IAsyncLifetime
{
    private HubHost _hub = null!;
    private string _dir = null!;
    private string _config = null!;

    public async Task InitializeAsync()
    {
        _dir = Path.Combine(Path.GetTempPath(), "millrace-tryton-wf", Guid.NewGuid().ToString("n"));
        _config = Path.Combine(_dir, "config");
        await tryton.WriteHubConfigAsync(_config);
        _hub = await StartHubAsync(withWorkflows: true);
    }

    /// <summary>A hub on this test's data folder; without workflows its trigger reader still runs (and passes every event by).</summary>
    private async Task<HubHost> StartHubAsync(bool withWorkflows)
    {
        var loaded = new ConfigLoader(GovernanceConfig.Sections()).LoadDirectory(_config);
        Assert.False(loaded.HasErrors, string.Join("\n", loaded.Diagnostics));
        var connectors = ConnectorSet.Create(loaded.Config.Get<ConfigCatalog<ConnectorDefinition>>()!, new ConnectorEnvironment { ConfigDirectory = _config });
        return await HubHost.StartAsync(new HubOptions
        {
            Url = "http://127.0.0.1:0", DataDirectory = Path.Combine(_dir, "data"), LogPartitions = 4, LogLevel = Microsoft.Extensions.Logging.LogLevel.Warning,
        }, HubFixture.Catalog, workflows: new HubWorkflows(withWorkflows ? loaded.Config.Get<WorkflowCatalog>()!.Definitions : [],
            connectors.Names.ToDictionary(n => n, n => connectors[n])));
    }

    public async Task DisposeAsync()
    {
        await _hub.DisposeAsync();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    private async Task<string> CompletedAsync(string eventId, string order, double good, double scrap, string lot, bool final = false)
    {
        var data = new { orderId = order, operation = "0010", plant = "plant-01", asset = "plant-01/pack-1/filler-01", material = "FG-2001", good, scrap, unit = "ea", lot, final };
        var json = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["specversion"] = "1.0", ["id"] = eventId, ["source"] = "urn:test", ["type"] = "com.acme.production.completed.v1",
            ["subject"] = "plant-01/pack-1/filler-01", ["time"] = "2026-11-22T08:00:00Z", ["datacontenttype"] = "application/json", ["data"] = data,
        });
        await _hub.Log.AppendAsync(new LogRecord("plant-01/pack-1/filler-01", eventId, "com.acme.production.completed.v1", DateTimeOffset.UnixEpoch, Encoding.UTF8.GetBytes(json)));
        return WorkflowKeys.InstanceId("production-completion", eventId);
    }

    private async Task WaitCompletedAsync(string id)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _hub.Workflows!.Committed += changes => { if (changes.Any(c => c.Id == id && c.Status is InstanceStatus.Completed or InstanceStatus.Failed)) done.TrySetResult(); };
        if (_hub.Workflows.Store.GetInstance(id) is { Status: InstanceStatus.Completed or InstanceStatus.Failed }) done.TrySetResult();
        await done.Task.WaitAsync(TimeSpan.FromSeconds(120));
        var row = _hub.Workflows.Store.GetInstance(id)!;
        Assert.True(row.Status == InstanceStatus.Completed,
            $"{id}: {row.Status} {row.Error}\n" + string.Join("\n", _hub.Workflows.Store.GetHistory(id).Select(h => $"{h.Step} {h.Kind} {h.Outcome} {h.Reason}")));
    }

    private sealed record Production(string State, double Quantity, List<JsonElement> Inputs, List<JsonElement> Outputs)
    {
        public JsonElement Good => Outputs.Single(m => m.GetProperty("to_location.").GetProperty("code").GetString() == "STO");
    }

    private async Task<List<Production>> ProductionsAsync(string order, bool exact = false)
    {
        using var rpc = tryton.NewClient();
        var found = await rpc.CallAsync("production", "search_read", new JsonArray(
            new JsonArray(exact ? new JsonArray("reference", "=", order) : new JsonArray("reference", "like", order + "/%")), 0, null, null, new JsonArray("state", "quantity", "inputs", "outputs")));
        var result = new List<Production>();
        foreach (var p in found.EnumerateArray())
        {
            async Task<List<JsonElement>> Moves(string field)
            {
                var ids = new JsonArray(p.GetProperty(field).EnumerateArray().Select(i => (JsonNode?)i.GetInt32()).ToArray());
                var moves = await rpc.CallAsync("stock.move", "read", new JsonArray(ids, new JsonArray("product.code", "quantity", "lot.number", "to_location.code")));
                return moves.EnumerateArray().Select(m => m.Clone()).ToList();
            }
            result.Add(new Production(p.GetProperty("state").GetString()!, p.GetProperty("quantity").GetDouble(), await Moves("inputs"), await Moves("outputs")));
        }
        return result;
    }

    [Fact]
    public async Task Each_production_completed_event_becomes_exactly_one_done_Tryton_production_with_its_quantities_consumption_and_lot()
    {
        var order = "MO-W" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        await tryton.CreatePlannedOrderAsync(order, "FG-2001", 100);

        var first = await CompletedAsync("pc-" + order + "-1", order, 40, 2, "L-" + order + "-1");
        var second = await CompletedAsync("pc-" + order + "-2", order, 55, 3, "L-" + order + "-2");
        await WaitCompletedAsync(first);
        await WaitCompletedAsync(second);
        // The same fact again (a replay of the log, a gateway resending) is the same instance: nothing new in Tryton.
        await CompletedAsync("pc-" + order + "-1", order, 40, 2, "L-" + order + "-1");
        await _hub.Workflows!.SubmitAsync(new WorkflowEvent("pc-" + order + "-2", "com.acme.production.completed.v1", "urn:test", null, null, null,
            JsonSerializer.SerializeToElement(new { orderId = order, good = 55, scrap = 3, unit = "ea", lot = "L-" + order + "-2" })));

        // The part sent at order change is final: the plan itself becomes its confirmation; a zero closing fact posts nothing.
        await WaitCompletedAsync(await CompletedAsync("pc-" + order + "-3", order, 5, 0, "L-" + order + "-3", final: true));
        await WaitCompletedAsync(await CompletedAsync("pc-" + order + "-4", order, 0, 0, "L-" + order + "-4", final: true));
        Assert.Empty(await ProductionsAsync(order, exact: true)); // no open plan is left behind

        var productions = await ProductionsAsync(order);
        Assert.Equal(3, productions.Count);
        Assert.All(productions, p => Assert.Equal("done", p.State));
        Assert.Equal([5.0, 42.0, 58.0], productions.Select(p => p.Quantity).Order().ToArray());
        var byLot = productions.ToDictionary(p => p.Good.GetProperty("lot.").GetProperty("number").GetString()!);
        Assert.Equal(40.0, byLot["L-" + order + "-1"].Good.GetProperty("quantity").GetDouble());
        Assert.Equal(55.0, byLot["L-" + order + "-2"].Good.GetProperty("quantity").GetDouble());
        // 1.8 kg of bar per unit made, good + scrap
        Assert.Equal(1.8 * 42, byLot["L-" + order + "-1"].Inputs.Single().GetProperty("quantity").GetDouble(), 6);
        Assert.Equal(1.8 * 58, byLot["L-" + order + "-2"].Inputs.Single().GetProperty("quantity").GetDouble(), 6);
    }

    [Fact]
    public async Task A_permanent_Tryton_error_leaves_a_dead_letter_with_request_response_and_reason_and_after_the_fix_its_resubmit_posts_once()
    {
        var order = "MO-D" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        var id = await CompletedAsync("pc-" + order, order, 10, 0, "L-" + order); // the order is not in Tryton yet
        var failed = await WaitStatusAsync(id, InstanceStatus.Failed);
        Assert.Contains($"production order '{order}' not found in Tryton", failed.Error);
        var letter = await DeadLetterOfAsync(id);
        Assert.Contains($"production order '{order}' not found in Tryton", letter.Reason);
        using (var payload = JsonDocument.Parse(letter.Payload))
        {
            Assert.Equal(("confirm", "erp", "confirm-production"), (payload.RootElement.GetProperty("step").GetString(), payload.RootElement.GetProperty("connector").GetString(),
                payload.RootElement.GetProperty("operation").GetString()));
            Assert.Contains(order, payload.RootElement.GetProperty("request").GetString());
        }
        Assert.Empty(await ProductionsAsync(order));

        using var http = new HttpClient { BaseAddress = _hub.BaseAddress };
        await tryton.CreatePlannedOrderAsync(order, "FG-2001", 10); // the fix: the planner releases the order in Tryton
        var resubmit = await http.PostAsJsonAsync($"/api/v1/dead-letters/{letter.Id}/resubmit", new { by = "planner@acme", comment = "order released" });
        Assert.Equal(HttpStatusCode.OK, resubmit.StatusCode);
        await WaitCompletedAsync(id);

        var production = Assert.Single(await ProductionsAsync(order));
        Assert.Equal(("done", 10.0), (production.State, production.Good.GetProperty("quantity").GetDouble()));
        // a second resubmit of the same letter finds nothing to resume and posts nothing
        var again = await http.PostAsJsonAsync($"/api/v1/dead-letters/{letter.Id}/resubmit", new { by = "planner@acme" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Single(await ProductionsAsync(order));
    }

    [Fact]
    public async Task A_telemetry_dead_letter_is_not_resubmittable_as_a_workflow()
    {
        await _hub.DeadLetters.StoreAsync("http:/ingest/telemetry", "unknown asset", "/asset", "application/json", "{}"u8.ToArray(), null);
        var letter = (await _hub.DeadLetters.ListAsync(1, "http:/ingest/telemetry")).Single();
        using var http = new HttpClient { BaseAddress = _hub.BaseAddress };
        var answer = await http.PostAsJsonAsync($"/api/v1/dead-letters/{letter.Id}/resubmit", new { by = "ops" });
        Assert.Equal(HttpStatusCode.Conflict, answer.StatusCode);
        Assert.Contains("not from a workflow", await answer.Content.ReadAsStringAsync());
    }

    private async Task<Millrace.Hub.Workflows.Store.InstanceRow> WaitStatusAsync(string id, InstanceStatus status)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _hub.Workflows!.Committed += changes => { if (changes.Any(c => c.Id == id && c.Status == status)) done.TrySetResult(); };
        if (_hub.Workflows.Store.GetInstance(id) is { } row && row.Status == status) done.TrySetResult();
        await done.Task.WaitAsync(TimeSpan.FromSeconds(120));
        return _hub.Workflows.Store.GetInstance(id)!;
    }

    private async Task<Millrace.Hub.DeadLetters.DeadLetter> DeadLetterOfAsync(string instance)
    {
        // written right after the commit that made the failure durable
        for (var i = 0; i < 200; i++)
        {
            foreach (var d in await _hub.DeadLetters.ListAsync(100, "workflow:production-completion"))
                if (System.Text.Encoding.UTF8.GetString(d.Payload.Span).Contains(instance, StringComparison.Ordinal)) return d;
            await Task.Delay(50);
        }
        throw new Xunit.Sdk.XunitException($"no dead letter for {instance}");
    }

    [Fact]
    public async Task Replay_from_offset_0_starts_a_workflow_deployed_after_its_events_once_and_a_second_replay_posts_nothing()
    {
        // The hub ran without the workflow while the events came in: its trigger reader passed them by.
        await _hub.DisposeAsync();
        _hub = await StartHubAsync(withWorkflows: false);
        var order = "MO-R" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        await tryton.CreatePlannedOrderAsync(order, "FG-2001", 30);
        var ids = new List<string>();
        for (var i = 1; i <= 3; i++) ids.Add(await CompletedAsync($"pc-{order}-{i}", order, 8, 1, $"L-{order}-{i}"));
        for (var p = 0; p < _hub.Log.PartitionCount; p++)
        {
            var end = (await _hub.Log.GetPartitionInfoAsync(p)).NextOffset;
            for (var n = 0; n < 400 && (await _hub.Log.GetCheckpointAsync("workflows", p)).NextOffset < end; n++) await Task.Delay(25);
            Assert.Equal(end, (await _hub.Log.GetCheckpointAsync("workflows", p)).NextOffset);
        }
        await _hub.DisposeAsync();

        // Deployed now: the trigger reader's checkpoint is past the events, so only a replay starts them.
        _hub = await StartHubAsync(withWorkflows: true);
        Assert.All(ids, id => Assert.Null(_hub.Workflows!.Store.GetInstance(id)));
        using var http = new HttpClient { BaseAddress = _hub.BaseAddress };
        var first = await (await http.PostAsync("/api/v1/workflows/replay?from=0&workflow=production-completion", null)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((3, 3), (first.GetProperty("matched").GetInt32(), first.GetProperty("started").GetInt32()));
        foreach (var id in ids) await WaitCompletedAsync(id);
        var second = await (await http.PostAsync("/api/v1/workflows/replay?from=0", null)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((3, 0), (second.GetProperty("matched").GetInt32(), second.GetProperty("started").GetInt32()));
        var byTime = await http.PostAsync("/api/v1/workflows/replay?from=tomorrow", null);
        Assert.Equal(HttpStatusCode.BadRequest, byTime.StatusCode);
        var unknown = await http.PostAsync("/api/v1/workflows/replay?from=0&workflow=no-such", null);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        Assert.Equal(3, (await ProductionsAsync(order)).Count);
    }
}
