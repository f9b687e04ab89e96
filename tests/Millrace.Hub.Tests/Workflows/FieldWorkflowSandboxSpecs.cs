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
using Millrace.Sandbox;

namespace Millrace.Hub.Tests.Workflows;

/// <summary>
/// The four field workflows of samples/acme, end to end on a real hub (port 0) whose connectors (samples/acme/connectors.yaml,
/// kind: http) reach the real sandbox systems over loopback: events go into the hub's log, the trigger reader starts
/// the instances, and the documents are checked in the sandboxes.
/// </summary>
public sealed class FieldWorkflowSandboxSpecs : IAsyncLifetime
{
    private static readonly Lazy<ConfigLoadResult> Acme = new(() =>
    {
        var result = new ConfigLoader(GovernanceConfig.Sections()).LoadDirectory(Path.Combine(HubFixture.RepositoryRoot, "samples", "acme"));
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        return result;
    });

    private RunningSandbox _sandbox = null!;
    private HubHost _hub = null!;
    private string _dir = null!;

    public async Task InitializeAsync()
    {
        _sandbox = await SandboxSystems.StartAsync();
        _dir = Path.Combine(Path.GetTempPath(), "millrace-hub-tests", Guid.NewGuid().ToString("n"));
        _hub = await HubHost.StartAsync(new HubOptions
        {
            Url = "http://127.0.0.1:0", DataDirectory = _dir, LogPartitions = 4, LogLevel = Microsoft.Extensions.Logging.LogLevel.Warning,
        }, HubFixture.Catalog, workflows: new HubWorkflows(Acme.Value.Config.Get<WorkflowCatalog>()!.Definitions, new Dictionary<string, IConnector>())
        {
            // built by the hub with its meter scope, as `millrace run` and the demo do: the connectors' meters are in its /metrics
            CreateConnectors = scope => ConnectorSet.Create(Acme.Value.Config.Get<ConfigCatalog<ConnectorDefinition>>()!,
                new ConnectorEnvironment { SandboxAddress = _sandbox.BaseAddress, MeterScope = scope }),
        });
    }

    public async Task DisposeAsync()
    {
        await _hub.DisposeAsync(); // disposes the connectors it was given
        await _sandbox.DisposeAsync();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    private async Task<string> RaiseAsync(string workflow, string type, string id, string plant, string subject, object data)
    {
        var json = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["specversion"] = "1.0", ["id"] = id, ["source"] = "urn:test", ["type"] = type, ["subject"] = subject, ["plant"] = plant,
            ["time"] = "2026-11-22T08:00:00Z", ["traceparent"] = "00-5bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            ["datacontenttype"] = "application/json", ["data"] = data,
        });
        await _hub.Log.AppendAsync(new LogRecord(subject, id, type, DateTimeOffset.UnixEpoch, Encoding.UTF8.GetBytes(json)));
        return WorkflowKeys.InstanceId(workflow, id);
    }

    private Task WaitAsync(string id, InstanceStatus status)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _hub.Workflows!.Committed += changes => { if (changes.Any(c => c.Id == id && c.Status == status)) done.TrySetResult(); };
        if (_hub.Workflows.Store.GetInstance(id) is { } row && row.Status == status) done.TrySetResult();
        return done.Task.WaitAsync(TimeSpan.FromSeconds(60));
    }

    private string Explain(string id) => string.Join("\n", _hub.Workflows!.Store.GetHistory(id).Select(h => $"{h.Step} {h.Kind} {h.Outcome} {h.Reason} {h.Response}"))
        + "\n" + _hub.Workflows.Store.GetInstance(id)?.Error;

    private async Task WaitOrExplainAsync(string id, InstanceStatus status)
    {
        try { await WaitAsync(id, status); }
        catch (TimeoutException) { throw new Xunit.Sdk.XunitException($"instance not {status}:\n{Explain(id)}"); }
        Assert.True(_hub.Workflows!.Store.GetInstance(id)!.Status == status, Explain(id));
    }

    private JsonArray Docs(string system, string collection) => _sandbox.System(system).Snapshot(collection);

    private static object Alert(string id, string severity) => new
    {
        alertId = id, asset = "plant-02/cnc-1/cnc-07", rule = "spindle-vibration-high", signal = "spindle-vibration", value = 11.2, unit = "mm/s",
        threshold = 7.1, severity, raisedAt = "2026-11-22T08:00:00Z", plant = "plant-02", line = "plant-02/cnc-1",
    };

    [Fact]
    public async Task Production_completion_posts_one_confirmation_goods_receipt_and_batch_status()
    {
        var data = new
        {
            orderId = "PO-100001", operation = "0010", plant = "plant-01", asset = "plant-01/pack-1/filler-01", material = "FG-1001", good = 120, scrap = 3,
            unit = "ea", lot = "L1-FG-1001-900", startedAt = "2026-11-22T07:00:00Z", completedAt = "2026-11-22T08:00:00Z",
        };
        var id = await RaiseAsync("production-completion", "com.acme.production.completed.v1", "pc-1", "plant-01", "plant-01/pack-1/filler-01", data);
        await WaitOrExplainAsync(id, InstanceStatus.Completed);
        // The same fact again (a replay) is the same instance: nothing new in the ERP.
        await RaiseAsync("production-completion", "com.acme.production.completed.v1", "pc-1", "plant-01", "plant-01/pack-1/filler-01", data);
        await _hub.Workflows!.SubmitAsync(new WorkflowEvent("pc-1", "com.acme.production.completed.v1", "urn:test", null, null, null, JsonSerializer.SerializeToElement(data)));

        Assert.Single(Docs("erp", "confirmations"), c => (string?)c!["order"] == "PO-100001");
        Assert.Single(Docs("erp", "goods-movements"), m => (string?)m!["lot"] == "L1-FG-1001-900");
    }

    [Fact]
    public async Task Connector_calls_of_the_workflows_show_in_the_hubs_metrics()
    {
        var data = new
        {
            orderId = "PO-100003", operation = "0010", plant = "plant-01", asset = "plant-01/pack-1/filler-01", material = "FG-1001", good = 10, scrap = 0,
            unit = "ea", lot = "L1-FG-1001-902", startedAt = "2026-11-22T07:00:00Z", completedAt = "2026-11-22T08:00:00Z",
        };
        var id = await RaiseAsync("production-completion", "com.acme.production.completed.v1", "pc-metrics", "plant-01", "plant-01/pack-1/filler-01", data);
        await WaitOrExplainAsync(id, InstanceStatus.Completed);

        using var http = new HttpClient { BaseAddress = _hub.BaseAddress };
        var metrics = await http.GetStringAsync("/metrics");
        var calls = metrics.Split('\n').Where(l => l.StartsWith("millrace_connector_calls_total{", StringComparison.Ordinal) && l.Contains("connector=\"erp\"")).ToList();
        Assert.Contains(calls, l => l.Contains("operation=\"confirm-production\"") && l.Contains("outcome=\"succeeded\""));
        Assert.Contains("millrace_connector_circuit{", metrics);
    }

    [Fact]
    public async Task The_final_confirmation_closes_the_order_and_a_zero_closing_confirmation_receives_nothing()
    {
        object Completion(double good, bool final) => new
        {
            orderId = "PO-100002", operation = "0010", plant = "plant-01", asset = "plant-01/pack-1/filler-01", material = "FG-1001", good, scrap = 0,
            unit = "ea", lot = "L1-FG-1001-901", startedAt = "2026-11-22T07:00:00Z", completedAt = "2026-11-22T08:00:00Z", final,
        };
        var part = await RaiseAsync("production-completion", "com.acme.production.completed.v1", "pc-part", "plant-01", "plant-01/pack-1/filler-01", Completion(1000, false));
        await WaitOrExplainAsync(part, InstanceStatus.Completed);
        Assert.Equal("released", (string?)Docs("erp", "production-orders").Single(o => (string?)o!["order"] == "PO-100002")!["status"]);

        var closing = await RaiseAsync("production-completion", "com.acme.production.completed.v1", "pc-final", "plant-01", "plant-01/pack-1/filler-01", Completion(0, true));
        await WaitOrExplainAsync(closing, InstanceStatus.Completed);

        Assert.Equal("closed", (string?)Docs("erp", "production-orders").Single(o => (string?)o!["order"] == "PO-100002")!["status"]);
        Assert.Equal([false, true], Docs("erp", "confirmations").Where(c => (string?)c!["order"] == "PO-100002").Select(c => (bool)c!["final"]!));
        Assert.Single(Docs("erp", "goods-movements"), m => (string?)m!["lot"] == "L1-FG-1001-901"); // only the 1000 received
    }

    [Fact]
    public async Task Predictive_maintenance_of_a_medium_alert_creates_case_reservation_schedule_change_notice_and_cost()
    {
        var id = await RaiseAsync("predictive-maintenance", "com.acme.maintenance.alert.raised.v1", "al-1", "plant-02", "plant-02/cnc-1/cnc-07", Alert("al-1", "medium"));
        await WaitOrExplainAsync(id, InstanceStatus.Completed);

        var caseId = (string?)Assert.Single(Docs("eam", "maintenance-cases"))!["case"];
        Assert.Single(Docs("erp", "reservations"), r => (string?)r!["reference"] == caseId && (string?)r["status"] == "open");
        var change = Assert.Single(Docs("erp", "schedule-changes"))!;
        Assert.Equal(("plant-02", "plant-02/cnc-1", "plant-02/cnc-1/cnc-07"), ((string?)change["plant"], (string?)change["line"], (string?)change["asset"]));
        Assert.Single(Docs("field-service", "notices"));
        Assert.Single(Docs("erp", "cost-postings"), c => (string?)c!["reference"] == caseId);
    }

    [Fact]
    public async Task When_the_schedule_update_fails_permanently_the_reservation_is_released_and_the_instance_is_failed()
    {
        var erp = _sandbox.System("erp");
        erp.Behaviour = erp.Behaviour with { FailOperations = new Dictionary<string, int> { ["update-schedule"] = 422 } };
        var id = await RaiseAsync("predictive-maintenance", "com.acme.maintenance.alert.raised.v1", "al-2", "plant-02", "plant-02/cnc-1/cnc-07", Alert("al-2", "medium"));
        await WaitOrExplainAsync(id, InstanceStatus.Failed);

        Assert.Equal("released", (string?)Assert.Single(Docs("erp", "reservations"))!["status"]);
        Assert.Empty(Docs("erp", "schedule-changes"));
        Assert.Empty(Docs("field-service", "notices"));
        using var http = new HttpClient { BaseAddress = _hub.BaseAddress };
        var list = await http.GetFromJsonAsync<JsonElement>("/api/v1/workflows?status=failed");
        Assert.Equal(id, list.GetProperty("items").EnumerateArray().Single().GetProperty("id").GetString());
        Assert.Contains(await _hub.DeadLetters.ListAsync(10, "workflow:predictive-maintenance"), d => d.Reason.Contains("update-schedule", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_high_alert_waits_for_the_planner_and_reserves_once_approved_over_HTTP()
    {
        var id = await RaiseAsync("predictive-maintenance", "com.acme.maintenance.alert.raised.v1", "al-3", "plant-02", "plant-02/cnc-1/cnc-07", Alert("al-3", "high"));
        var waiting = new TaskCompletionSource();
        _hub.Workflows!.Committed += _ =>
        {
            if (_hub.Workflows.Store.GetInstance(id) is { } row && row.State.Contains("\"Waiting\"", StringComparison.Ordinal)) waiting.TrySetResult();
        };
        if (_hub.Workflows.Store.GetInstance(id) is { } r0 && r0.State.Contains("\"Waiting\"", StringComparison.Ordinal)) waiting.TrySetResult();
        await waiting.Task.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Empty(Docs("erp", "reservations"));

        using var http = new HttpClient { BaseAddress = _hub.BaseAddress };
        var approve = await http.PostAsync($"/api/v1/workflows/{id}/approve", JsonContent.Create(new { by = "planner@acme", comment = "bearing in stores" }));
        Assert.True(approve.IsSuccessStatusCode, await approve.Content.ReadAsStringAsync());
        await WaitOrExplainAsync(id, InstanceStatus.Completed);
        Assert.Single(Docs("erp", "reservations"));
        Assert.Single(Docs("field-service", "notices"));
    }

    [Fact]
    public async Task A_quality_exception_reaches_the_QMS_and_blocks_stock_in_the_ERP_on_one_trace()
    {
        var id = await RaiseAsync("quality-exception", "com.acme.quality.exception.raised.v1", "qe-1", "plant-01", "plant-01/asm-1/leak-tester-01", new
        {
            exceptionId = "qe-1", asset = "plant-01/asm-1/leak-tester-01", orderId = "PO-100003", material = "RM-3001", lot = "L1-RM-3001-001",
            characteristic = "leak-rate", measured = 4.2, unit = "ml/min", upperLimit = 3.0, lowerLimit = 0.0, severity = "high", raisedAt = "2026-11-22T08:00:00Z",
        });
        await WaitOrExplainAsync(id, InstanceStatus.Completed);

        Assert.Single(Docs("qms", "quality-notifications"), n => (string?)n!["reference"] == "qe-1");
        var history = _hub.Workflows!.Store.GetHistory(id).Where(h => h.Kind == "call").ToList();
        Assert.Equal(["block", "notification"], history.Select(h => h.Step).Order());
        Assert.Equal("5bf92f3577b34da6a3ce929d0e0e4736", _hub.Workflows.Store.GetInstance(id)!.TraceParent!.Substring(3, 32));
    }

    [Fact]
    public async Task A_cold_chain_excursion_posts_one_ERP_exception_a_quality_notification_and_holds_the_shipment()
    {
        var id = await RaiseAsync("cold-chain", "com.acme.coldchain.excursion.detected.v1", "cc-1", "plant-01", "plant-01/cold-store/ts-01", new
        {
            excursionId = "cc-1", sensor = "plant-01/cold-store/ts-01", storageLocation = "plant-01/cold-store/bay-a", shipment = "SH-20001",
            temperature = 9.4, unit = "°C", allowedMin = 2.0, allowedMax = 8.0, startedAt = "2026-11-22T07:40:00Z", durationSeconds = 1320,
            lots = new[] { "L1-RM-3001-001" },
        });
        await WaitOrExplainAsync(id, InstanceStatus.Completed);

        Assert.Single(Docs("erp", "exceptions"), e => (string?)e!["reference"] == "cc-1");
        Assert.Single(Docs("qms", "quality-notifications"), n => (string?)n!["reference"] == "cc-1");
        Assert.Contains(Docs("wms", "shipments"), s => (string?)s!["shipment"] == "SH-20001" && (string?)s["status"] == "held");
    }
}
