using Millrace.Hub.Workflows.Definitions;
using Millrace.Hub.Workflows.Engine;
using static Millrace.Hub.Tests.Workflows.Defs;

namespace Millrace.Hub.Tests.Workflows;

public sealed class WorkflowDurabilitySpecs
{
    [Fact]
    public async Task A_crash_between_sent_and_recorded_resends_with_the_same_key_and_the_target_holds_one_document()
    {
        var erp = new RecordingConnector("erp", "confirm-production", "post-goods-receipt");
        var sent = new TaskCompletionSource();
        var never = new TaskCompletionSource();
        // First life: the ERP creates the confirmation, then the hub dies before the answer is recorded.
        erp.AfterCreate = async c => { if (c.Operation == "confirm-production") { sent.TrySetResult(); await never.Task; } };
        var definition = Workflow("completion", 1, "com.acme.production.completed.v1",
            Call("confirm", "erp.confirm-production", In(("order", "{event.data.orderId}"))),
            Call("receipt", "erp.post-goods-receipt", In(("order", "{event.data.orderId}"))));
        await using var h = new EngineHarness(erp).Start(definition);
        var id = await h.StartAsync("completion", EngineHarness.Event("com.acme.production.completed.v1", new { orderId = "PO-1" }, id: "fact-1"));
        await sent.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await h.CrashAsync();
        Assert.Single(erp.Documents);

        erp.AfterCreate = null;
        h.Start(definition);
        await h.WaitForStatusAsync(id, InstanceStatus.Completed);

        var confirms = erp.CallsOf("confirm-production").ToList();
        Assert.Equal(2, confirms.Count); // sent twice ...
        Assert.Equal(confirms[0].IdempotencyKey, confirms[1].IdempotencyKey); // ... with the same key ...
        Assert.Single(erp.Documents.Values, d => d.DocumentId!.StartsWith("confirm-production", StringComparison.Ordinal)); // ... one document
        Assert.Contains(h.Store.GetHistory(id), r => r.Step == "confirm" && r.Outcome == "succeeded (replayed)");
        Assert.Single(erp.CallsOf("post-goods-receipt"));
    }

    [Fact]
    public async Task An_instance_finishes_on_the_definition_version_it_started_with()
    {
        var erp = new RecordingConnector("erp", "reserve-material", "post-cost", "update-schedule");
        var v1 = Workflow("pm", 1, Alert,
            new ApprovalStep("planner", "Reserve parts for {event.data.asset}?"),
            Call("reserve", "erp.reserve-material"));
        var v2 = Workflow("pm", 2, Alert,
            new ApprovalStep("planner", "Reserve parts for {event.data.asset}?"),
            Call("schedule", "erp.update-schedule"),
            Call("cost", "erp.post-cost"));
        await using var h = new EngineHarness(erp).Start(v1);
        var old = await h.StartAsync("pm", EngineHarness.Event(Alert, new { asset = "press-7" }));
        await h.WaitForStatusAsync(old, InstanceStatus.Running);
        await h.StopAsync();

        h.Start(v2); // the configuration moved on while the first instance waits for its planner
        var fresh = await h.StartAsync("pm", EngineHarness.Event(Alert, new { asset = "press-8" }));
        Assert.True((await h.Engine.ApproveAsync(old, "planner@acme", "ok")).Ok);
        Assert.True((await h.Engine.ApproveAsync(fresh, "planner@acme", "ok")).Ok);
        await h.WaitForStatusAsync(old, InstanceStatus.Completed);
        await h.WaitForStatusAsync(fresh, InstanceStatus.Completed);

        Assert.Equal(1, h.Row(old).Version);
        Assert.Equal(2, h.Row(fresh).Version);
        Assert.Single(erp.CallsOf("reserve-material"));
        Assert.Single(erp.CallsOf("update-schedule"));
        Assert.Equal(["reserve"], h.Store.GetHistory(old).Where(r => r.Kind == "call").Select(r => r.Step));
        Assert.Equal(["schedule", "cost"], h.Store.GetHistory(fresh).Where(r => r.Kind == "call").Select(r => r.Step));
    }

    [Fact]
    public async Task A_wait_is_advanced_only_by_an_event_with_its_correlation_key_and_times_out_into_its_branch()
    {
        var clock = new TestClock();
        var erp = new RecordingConnector("erp", "update-schedule", "post-cost");
        await using var h = new EngineHarness(erp) { Time = clock }.Start(Workflow("pm", 1, Alert,
            new WaitStep("repaired", DowntimeEnded, Key: "event.data.asset", Correlate: "event.data.asset", TimeoutMs: 3_600_000,
                OnTimeout: [Call("escalate", "erp.post-cost", In(("reference", "no repair of {event.data.asset}")))]),
            Call("schedule", "erp.update-schedule", In(("asset", "{steps.repaired.output.event.data.asset}")))));

        var a = await h.StartAsync("pm", EngineHarness.Event(Alert, new { asset = "press-7" }));
        var b = await h.StartAsync("pm", EngineHarness.Event(Alert, new { asset = "press-8" }));
        await h.WaitForStatusAsync(a, InstanceStatus.Running);
        Assert.Equal(StepStatus.Waiting, h.State(a).Steps["repaired"].Status);

        Assert.Equal(0, await h.Engine.SubmitAsync(EngineHarness.Event(DowntimeEnded, new { asset = "press-9" })));
        Assert.Equal(1, await h.Engine.SubmitAsync(EngineHarness.Event(DowntimeEnded, new { asset = "press-7" })));
        await h.WaitForStatusAsync(a, InstanceStatus.Completed);
        Assert.Equal("press-7", Assert.Single(erp.CallsOf("update-schedule")).Input.GetProperty("asset").GetString());
        Assert.Equal(InstanceStatus.Running, h.Row(b).Status);

        clock.Advance(TimeSpan.FromHours(1));
        await h.WaitForStatusAsync(b, InstanceStatus.Completed);
        Assert.Equal("timeout", h.State(b).Steps["repaired"].Branch);
        Assert.Equal("no repair of press-8", Assert.Single(erp.CallsOf("post-cost")).Input.GetProperty("reference").GetString());
        // The timeout branch ran, then the step after the wait (with no awaited event to read from).
        Assert.Equal(["press-7", ""], erp.CallsOf("update-schedule").Select(c => c.Input.GetProperty("asset").GetString()));
    }
}

public sealed class WorkflowApprovalTimeoutSpecs
{
    [Fact]
    public async Task An_approval_nobody_answers_takes_its_on_timeout_decision_and_a_cancelled_instance_sends_nothing_more()
    {
        var clock = new TestClock();
        var erp = new RecordingConnector("erp", "reserve-material");
        await using var h = new EngineHarness(erp) { Time = clock }.Start(Workflow("pm", 1, Alert,
            new ApprovalStep("planner", "Reserve?", TimeoutMs: 4 * 3_600_000, OnTimeout: "approved"),
            new IfStep("go", "steps.planner.output.decision == 'approved'", [Call("reserve", "erp.reserve-material")], [])));
        var timedOut = await h.StartAsync("pm", EngineHarness.Event(Alert, new { asset = "press-7" }));
        var cancelled = await h.StartAsync("pm", EngineHarness.Event(Alert, new { asset = "press-8" }));
        await h.WaitForStatusAsync(cancelled, InstanceStatus.Running);

        var cancel = await h.Engine.CancelAsync(cancelled, "planner@acme", "duplicate alert");
        Assert.True(cancel.Ok, cancel.Message);
        await h.WaitForStatusAsync(cancelled, InstanceStatus.Cancelled);
        clock.Advance(TimeSpan.FromHours(4));
        await h.WaitForStatusAsync(timedOut, InstanceStatus.Completed);

        Assert.Single(erp.Calls); // only the instance that timed out into "approved"
        Assert.Equal("approved", h.State(timedOut).Steps["planner"].Output!.Value.GetProperty("decision").GetString());
        Assert.Equal("timeout", h.State(timedOut).Steps["planner"].Output!.Value.GetProperty("by").GetString());
        Assert.False((await h.Engine.ApproveAsync(cancelled, "planner@acme", "late")).Ok);
    }
}
