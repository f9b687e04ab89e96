using System.Text.Json;
using Millrace.Hub.Connectors;
using Millrace.Hub.Workflows.Definitions;
using Millrace.Hub.Workflows.Engine;
using static Millrace.Hub.Tests.Workflows.Defs;

namespace Millrace.Hub.Tests.Workflows;

public sealed class WorkflowEngineSpecs
{
    private static RecordingConnector Erp() => new("erp", "read-stock", "reserve-material", "release-reservation", "update-schedule", "post-cost", "block-stock");
    private static RecordingConnector Eam() => new("eam", "create-maintenance-case");

    [Fact]
    public async Task Calls_run_in_order_and_later_inputs_read_the_event_and_earlier_outputs()
    {
        var erp = Erp();
        var eam = Eam();
        await using var h = new EngineHarness(erp, eam).Start(Workflow("pm", 1, Alert,
            Call("case", "eam.create-maintenance-case", In(("asset", "{event.data.asset}"), ("value", "=event.data.value"))),
            Call("reserve", "erp.reserve-material", In(("reference", "{steps.case.output.documentId}"), ("quantity", "=2 * event.data.value")))));

        var id = await h.StartAsync("pm", EngineHarness.Event(Alert, new { asset = "press-7", value = 7.5 }));
        await h.WaitForStatusAsync(id, InstanceStatus.Completed);

        var created = Assert.Single(eam.Calls);
        Assert.Equal("press-7", created.Input.GetProperty("asset").GetString());
        Assert.Equal(7.5, created.Input.GetProperty("value").GetDouble());
        var reserve = Assert.Single(erp.Calls);
        Assert.Equal("create-maintenance-case-1", reserve.Input.GetProperty("reference").GetString());
        Assert.Equal(15, reserve.Input.GetProperty("quantity").GetDouble());
        Assert.Equal("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", reserve.TraceParent);
        Assert.NotEqual(created.IdempotencyKey, reserve.IdempotencyKey);
        Assert.Equal(2, h.Store.GetHistory(id).Count(r => r.Kind == "call" && r.Outcome == "succeeded"));
    }

    [Fact]
    public async Task The_same_event_twice_starts_one_instance()
    {
        var eam = Eam();
        await using var h = new EngineHarness(eam).Start(Workflow("pm", 1, Alert, Call("case", "eam.create-maintenance-case")));
        var e = EngineHarness.Event(Alert, new { asset = "press-7" });
        var id = await h.StartAsync("pm", e);
        await h.WaitForStatusAsync(id, InstanceStatus.Completed);

        Assert.Equal(0, await h.Engine.SubmitAsync(e));
        Assert.Single(eam.Calls);
    }

    [Fact]
    public async Task An_if_runs_the_branch_its_condition_chooses()
    {
        var erp = Erp();
        await using var h = new EngineHarness(erp).Start(Workflow("pm", 1, Alert,
            new IfStep("severe", "event.data.severity in ['high', 'critical']",
                [Call("reserve", "erp.reserve-material")],
                [Call("cost", "erp.post-cost")])));

        var high = await h.StartAsync("pm", EngineHarness.Event(Alert, new { severity = "high" }));
        await h.WaitForStatusAsync(high, InstanceStatus.Completed);
        var low = await h.StartAsync("pm", EngineHarness.Event(Alert, new { severity = "low" }));
        await h.WaitForStatusAsync(low, InstanceStatus.Completed);

        Assert.Equal(["reserve-material", "post-cost"], erp.Calls.Select(c => c.Operation));
        Assert.Equal("then", h.State(high).Steps["severe"].Branch);
        Assert.Equal("else", h.State(low).Steps["severe"].Branch);
    }

    [Fact]
    public async Task Parallel_branches_all_start_and_the_next_step_waits_for_the_join()
    {
        var erp = Erp();
        var eam = Eam();
        var release = new TaskCompletionSource();
        var bothStarted = new CountdownEvent(2);
        eam.AfterCreate = async _ => { bothStarted.Signal(); await release.Task; };
        erp.AfterCreate = async c => { if (c.Operation == "block-stock") { bothStarted.Signal(); await release.Task; } };
        await using var h = new EngineHarness(erp, eam).Start(Workflow("qe", 1, Alert,
            new ParallelStep("fan-out", [
                new ParallelBranch("quality", [Call("case", "eam.create-maintenance-case")]),
                new ParallelBranch("erp", [Call("block", "erp.block-stock")])]),
            Call("cost", "erp.post-cost", In(("case", "{steps.case.output.documentId}"), ("block", "{steps.block.output.documentId}")))));

        var id = await h.StartAsync("qe", EngineHarness.Event(Alert, new { asset = "cmm-1" }));
        Assert.True(bothStarted.Wait(TimeSpan.FromSeconds(30)), "both branches run at the same time");
        Assert.Empty(erp.CallsOf("post-cost"));
        release.SetResult();
        await h.WaitForStatusAsync(id, InstanceStatus.Completed);

        var cost = Assert.Single(erp.CallsOf("post-cost"));
        Assert.Equal("create-maintenance-case-1", cost.Input.GetProperty("case").GetString());
        Assert.StartsWith("block-stock-", cost.Input.GetProperty("block").GetString());
    }

    [Fact]
    public async Task A_permanent_failure_compensates_completed_steps_in_reverse_order_then_fails_visibly_with_a_dead_letter()
    {
        var erp = Erp();
        var eam = Eam();
        erp.Script = c => c.Operation == "update-schedule"
            ? new ConnectorResult(ConnectorOutcome.Permanent, Reason: "line L2 is frozen", StatusCode: 422, Response: "422 {\"error\":\"frozen\"}")
            : null;
        await using var h = new EngineHarness(erp, eam).Start(Workflow("pm", 1, Alert,
            Call("case", "eam.create-maintenance-case", compensate: Undo("erp.post-cost", In(("reference", "undo case {steps.case.output.documentId}")))),
            Call("reserve", "erp.reserve-material", compensate: Undo("erp.release-reservation", In(("reservation", "{steps.reserve.output.documentId}")))),
            Call("schedule", "erp.update-schedule"),
            Call("notify", "erp.post-cost")));

        var id = await h.StartAsync("pm", EngineHarness.Event(Alert, new { asset = "press-7" }));
        await h.WaitForStatusAsync(id, InstanceStatus.Failed);

        Assert.Equal(["reserve-material", "update-schedule", "release-reservation", "post-cost"], erp.Calls.Select(c => c.Operation));
        Assert.Equal("reserve-material-1", erp.CallsOf("release-reservation").Single().Input.GetProperty("reservation").GetString());
        Assert.Single(erp.CallsOf("update-schedule")); // permanent: no retry
        var state = h.State(id);
        Assert.Equal("schedule", state.FailedStep);
        Assert.Equal(StepStatus.Compensated, state.Steps["reserve"].Status);
        Assert.Equal(StepStatus.Compensated, state.Steps["case"].Status);
        Assert.Contains("line L2 is frozen", h.Row(id).Error);
        Assert.Equal(["reserve", "case"], h.Store.GetHistory(id).Where(r => r.Compensation).Select(r => r.Step));
        var dead = await WaitForDeadLetterAsync(h);
        Assert.Equal("workflow:pm", dead.Source);
        Assert.Contains("line L2 is frozen", dead.Reason);
        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", dead.TraceId);
        using var payload = JsonDocument.Parse(dead.Payload);
        Assert.Equal("schedule", payload.RootElement.GetProperty("step").GetString());
        Assert.Contains("frozen", payload.RootElement.GetProperty("response").GetString());
    }

    private static async Task<Millrace.Hub.DeadLetters.DeadLetter> WaitForDeadLetterAsync(EngineHarness h)
    {
        // The dead letter is written right after the commit that made the failure durable.
        for (int i = 0; i < 300; i++)
        {
            if ((await h.DeadLetters!.ListAsync(10)).FirstOrDefault() is { } d) return d;
            await Task.Delay(10);
        }
        throw new Xunit.Sdk.XunitException("no dead letter");
    }

    [Fact]
    public async Task Retries_wait_the_targets_Retry_After_and_deferrals_do_not_spend_attempts()
    {
        var clock = new TestClock { AutoFireBelow = TimeSpan.FromMinutes(30) };
        var erp = Erp();
        int calls = 0;
        erp.Script = c => Interlocked.Increment(ref calls) switch
        {
            1 => new ConnectorResult(ConnectorOutcome.Retryable, Reason: "429 too many requests", RetryAfter: TimeSpan.FromSeconds(7), StatusCode: 429),
            2 or 3 or 4 => ConnectorResult.Defer(TimeSpan.FromMinutes(5), "maintenance window"),
            5 => new ConnectorResult(ConnectorOutcome.Retryable, Reason: "503", RetryAfter: TimeSpan.FromSeconds(11), StatusCode: 503),
            _ => null,
        };
        await using var h = new EngineHarness(erp) { Time = clock }.Start(Workflow("pm", 1, Alert,
            Call("reserve", "erp.reserve-material", retry: new RetrySettings(MaxAttempts: 3, BackoffMs: 100, MaxBackoffMs: 1000, TimeoutMs: 3_600_000))));

        var id = await h.StartAsync("pm", EngineHarness.Event(Alert, new { asset = "press-7" }));
        await h.WaitForStatusAsync(id, InstanceStatus.Completed);

        Assert.Equal(6, erp.Calls.Count); // 3 attempts + 3 deferrals: with 3 attempts allowed, deferrals spent none
        Assert.Equal([1, 2, 2, 2, 2, 3], erp.Calls.Select(c => c.Attempt));
        Assert.Contains(TimeSpan.FromSeconds(7), clock.Delays);
        Assert.Contains(TimeSpan.FromSeconds(11), clock.Delays);
        Assert.Equal(3, clock.Delays.Count(d => d == TimeSpan.FromMinutes(5)));
        Assert.Single(erp.Documents);
        var history = Assert.Single(h.Store.GetHistory(id), r => r.Kind == "call");
        Assert.Equal(3, history.Attempts);
        Assert.Contains("3 deferral(s)", history.Reason);
    }

    [Fact]
    public async Task After_the_last_attempt_the_instance_fails_and_a_resume_runs_the_failed_step_again_with_a_new_key()
    {
        var erp = Erp();
        bool down = true;
        erp.Script = c => c.Operation == "update-schedule" && Volatile.Read(ref down)
            ? new ConnectorResult(ConnectorOutcome.Retryable, Reason: "500 internal error", StatusCode: 500)
            : null;
        var clock = new TestClock { AutoFireBelow = TimeSpan.FromMinutes(30) };
        await using var h = new EngineHarness(erp) { Time = clock }.Start(Workflow("pm", 1, Alert,
            Call("reserve", "erp.reserve-material"),
            Call("schedule", "erp.update-schedule"),
            Call("cost", "erp.post-cost")));

        var id = await h.StartAsync("pm", EngineHarness.Event(Alert, new { asset = "press-7" }));
        await h.WaitForStatusAsync(id, InstanceStatus.Failed);
        Assert.Equal(3, erp.CallsOf("update-schedule").Count());
        Assert.Empty(erp.CallsOf("post-cost"));

        Volatile.Write(ref down, false);
        var resumed = await h.Engine.ResumeAsync(id, "planner@acme", "ERP is back");
        Assert.True(resumed.Ok, resumed.Message);
        await h.WaitForStatusAsync(id, InstanceStatus.Completed);

        var schedules = erp.CallsOf("update-schedule").ToList();
        Assert.Equal(4, schedules.Count);
        Assert.NotEqual(schedules[0].IdempotencyKey, schedules[3].IdempotencyKey);
        Assert.Single(erp.CallsOf("reserve-material")); // what succeeded is not repeated
        Assert.Single(erp.CallsOf("post-cost"));
        Assert.Equal(1, h.State(id).Steps["schedule"].Iteration);
    }
}
