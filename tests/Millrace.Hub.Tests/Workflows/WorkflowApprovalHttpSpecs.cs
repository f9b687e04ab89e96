using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Millrace.Hub.Connectors;
using Millrace.Hub.Hosting;
using Millrace.Hub.Workflows.Definitions;
using Millrace.Hub.Workflows.Engine;
using Millrace.Log;
using static Millrace.Hub.Tests.Workflows.Defs;

namespace Millrace.Hub.Tests.Workflows;

public sealed class WorkflowApprovalHttpSpecs
{
    private static WorkflowDefinition Planner() => Workflow("pm-approval", 1, Alert,
        new ApprovalStep("planner", "Reserve parts for {event.data.asset} ({event.data.severity})?"),
        new IfStep("approved", "steps.planner.output.decision == 'approved'",
            [Call("reserve", "erp.reserve-material", In(("reference", "{event.data.alertId}"), ("approvedBy", "{steps.planner.output.by}")))],
            [Call("record", "erp.post-cost", In(("reference", "rejected: {steps.planner.output.comment}")))]));

    private static async Task<(HubHost Hub, string Dir)> StartHubAsync(IConnector erp)
    {
        string dir = Path.Combine(Path.GetTempPath(), "millrace-hub-tests", Guid.NewGuid().ToString("n"));
        var hub = await HubHost.StartAsync(new HubOptions
        {
            Url = "http://127.0.0.1:0", DataDirectory = dir, LogPartitions = 4, LogLevel = Microsoft.Extensions.Logging.LogLevel.Warning,
        }, HubFixture.Catalog, workflows: new HubWorkflows([Planner()], new Dictionary<string, IConnector> { ["erp"] = erp }));
        return (hub, dir);
    }

    private static Task AppendAlertAsync(HubHost hub, string eventId, string asset)
    {
        var json = $$"""
            {"specversion":"1.0","id":"{{eventId}}","source":"urn:test","type":"{{Alert}}","time":"2026-11-22T08:00:00Z",
             "traceparent":"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01","datacontenttype":"application/json",
             "data":{"alertId":"{{eventId}}","asset":"{{asset}}","severity":"high"} }
            """;
        return hub.Log.AppendAsync(new LogRecord(asset, eventId, Alert, DateTimeOffset.UnixEpoch, Encoding.UTF8.GetBytes(json))).AsTask();
    }

    private static Task WaitAsync(HubHost hub, string id, InstanceStatus status, Func<bool>? also = null)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.Workflows!.Committed += changes => { if (changes.Any(c => c.Id == id && c.Status == status)) done.TrySetResult(); };
        if (hub.Workflows.Store.GetInstance(id) is { } row && row.Status == status) done.TrySetResult();
        return done.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_planner_approves_over_HTTP_and_the_instance_reserves_with_the_approvers_name()
    {
        var erp = new RecordingConnector("erp", "reserve-material", "post-cost");
        var (hub, dir) = await StartHubAsync(erp);
        try
        {
            using var http = new HttpClient { BaseAddress = hub.BaseAddress };
            var id = WorkflowKeys.InstanceId("pm-approval", "alert-1");
            var started = WaitAsync(hub, id, InstanceStatus.Running);
            await AppendAlertAsync(hub, "alert-1", "press-7"); // through the log: the trigger reader starts the instance
            await started;

            var detail = await http.GetFromJsonAsync<JsonElement>($"/api/v1/workflows/{id}");
            var planner = detail.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("step").GetString() == "planner");
            Assert.Equal("waiting", planner.GetProperty("status").GetString());
            Assert.Equal("Reserve parts for press-7 (high)?", planner.GetProperty("reason").GetString());
            Assert.Equal("0af7651916cd43dd8448eb211c80319c", detail.GetProperty("instance").GetProperty("traceId").GetString());
            Assert.Empty(erp.Calls);

            var noName = await http.PostAsync($"/api/v1/workflows/{id}/approve", JsonContent.Create(new { comment = "go" }));
            Assert.Equal(HttpStatusCode.BadRequest, noName.StatusCode);

            var completed = WaitAsync(hub, id, InstanceStatus.Completed);
            var approve = await http.PostAsync($"/api/v1/workflows/{id}/approve", JsonContent.Create(new { by = "planner@acme", comment = "parts on shelf" }));
            Assert.Equal(HttpStatusCode.OK, approve.StatusCode);
            await completed;

            var reserve = Assert.Single(erp.Calls);
            Assert.Equal("reserve-material", reserve.Operation);
            Assert.Equal("planner@acme", reserve.Input.GetProperty("approvedBy").GetString());
            var again = await http.PostAsync($"/api/v1/workflows/{id}/approve", JsonContent.Create(new { by = "planner@acme" }));
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
            var list = await http.GetFromJsonAsync<JsonElement>("/api/v1/workflows?status=completed&definition=pm-approval");
            Assert.Equal(id, list.GetProperty("items").EnumerateArray().Single().GetProperty("id").GetString());
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/api/v1/workflows/nope")).StatusCode);
        }
        finally
        {
            await hub.DisposeAsync();
            try { Directory.Delete(dir, true); } catch (IOException) { }
        }
    }

    [Fact]
    public async Task A_planner_rejects_over_HTTP_and_nothing_is_reserved()
    {
        var erp = new RecordingConnector("erp", "reserve-material", "post-cost");
        var (hub, dir) = await StartHubAsync(erp);
        try
        {
            using var http = new HttpClient { BaseAddress = hub.BaseAddress };
            var id = WorkflowKeys.InstanceId("pm-approval", "alert-2");
            var started = WaitAsync(hub, id, InstanceStatus.Running);
            await AppendAlertAsync(hub, "alert-2", "press-8");
            await started;

            var completed = WaitAsync(hub, id, InstanceStatus.Completed);
            var reject = await http.PostAsync($"/api/v1/workflows/{id}/reject", JsonContent.Create(new { by = "planner@acme", comment = "false alarm" }));
            Assert.Equal(HttpStatusCode.OK, reject.StatusCode);
            await completed;

            var call = Assert.Single(erp.Calls);
            Assert.Equal("post-cost", call.Operation);
            Assert.Equal("rejected: false alarm", call.Input.GetProperty("reference").GetString());
            var detail = await http.GetFromJsonAsync<JsonElement>($"/api/v1/workflows/{id}");
            Assert.Contains(detail.GetProperty("history").EnumerateArray(), h => h.GetProperty("outcome").GetString() == "rejected"
                && h.GetProperty("reason").GetString()!.Contains("planner@acme", StringComparison.Ordinal));
        }
        finally
        {
            await hub.DisposeAsync();
            try { Directory.Delete(dir, true); } catch (IOException) { }
        }
    }
}
