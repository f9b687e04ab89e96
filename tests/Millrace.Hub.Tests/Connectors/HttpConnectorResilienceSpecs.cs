using System.Net;
using System.Net.Sockets;
using Millrace.Hub.Connectors;
using Millrace.Sandbox;
using static Millrace.Hub.Tests.Connectors.ConnectorHarness;

namespace Millrace.Hub.Tests.Connectors;

/// <summary>
/// The <c>kind: http</c> connector with its resilience against the real sandbox: replays, classification of what
/// the target answers (429, 503, forced failures, timeouts, refused connections), the circuit breaker and maintenance
/// windows (on a manual clock).
/// </summary>
public sealed class HttpConnectorResilienceSpecs : IAsyncLifetime
{
    private const string Confirm = """{"order":"PO-100001","operation":"0010","good":10,"scrap":0,"unit":"ea","final":false}""";
    private RunningSandbox _sandbox = null!;

    public async Task InitializeAsync() => _sandbox = await SandboxSystems.StartAsync();

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    private static string Erp(string extra = "", string url = "sandbox://erp") => $$"""
        connectors:
          - id: erp
            kind: http
            url: {{url}}
        {{extra}}
            operations:
              confirm-production:
                method: POST
                path: /production-orders/{input.order}/confirmations
                document: response.confirmation
              update-schedule:
                method: POST
                path: /schedule-changes
                document: response.scheduleChange
        """;

    [Fact]
    public async Task The_same_key_sent_again_returns_the_first_document_marked_replayed_and_creates_no_second()
    {
        await using var connectors = ConnectorHarness.Connectors(Erp(), _sandbox);
        var first = await connectors["erp"].InvokeAsync(Call("confirm-production", Confirm, "wf-1/confirm"));
        var again = await connectors["erp"].InvokeAsync(Call("confirm-production", Confirm, "wf-1/confirm") with { Attempt = 2 });
        Assert.Equal((ConnectorOutcome.Succeeded, false), (first.Outcome, first.Replayed));
        Assert.Equal((ConnectorOutcome.Succeeded, true, first.DocumentId), (again.Outcome, again.Replayed, again.DocumentId));
        Assert.Equal(1, _sandbox.System("erp").DocumentsWithKey("wf-1/confirm"));
        Assert.Single(_sandbox.System("erp").Snapshot("confirmations"));
    }

    [Fact]
    public async Task A_key_reused_for_another_fact_is_a_permanent_failure()
    {
        await using var connectors = ConnectorHarness.Connectors(Erp(), _sandbox);
        await connectors["erp"].InvokeAsync(Call("confirm-production", Confirm, "wf-2/confirm"));
        var other = await connectors["erp"].InvokeAsync(Call("confirm-production", Confirm.Replace("\"good\":10", "\"good\":11"), "wf-2/confirm"));
        Assert.Equal((ConnectorOutcome.Permanent, 422), (other.Outcome, other.StatusCode));
        Assert.Contains("Idempotency-Key 'wf-2/confirm'", other.Reason);
    }

    [Fact]
    public async Task Throttling_429_is_retryable_after_the_targets_retry_after()
    {
        _sandbox.System("erp").Behaviour = new SandboxBehaviour { ThrottlePerSecond = 1 };
        await using var connectors = ConnectorHarness.Connectors(Erp(), _sandbox);
        var first = await connectors["erp"].InvokeAsync(Call("confirm-production", Confirm));
        var second = await connectors["erp"].InvokeAsync(Call("confirm-production", Confirm));
        Assert.Equal(ConnectorOutcome.Succeeded, first.Outcome);
        Assert.Equal((ConnectorOutcome.Retryable, 429, TimeSpan.FromSeconds(1)), (second.Outcome, second.StatusCode, second.RetryAfter));
    }

    [Fact]
    public async Task Maintenance_503_is_retryable_after_the_targets_retry_after()
    {
        _sandbox.System("erp").Behaviour = new SandboxBehaviour { Maintenance = true, MaintenanceRetryAfterSeconds = 120 };
        await using var connectors = ConnectorHarness.Connectors(Erp(), _sandbox);
        var result = await connectors["erp"].InvokeAsync(Call("confirm-production", Confirm));
        Assert.Equal((ConnectorOutcome.Retryable, 503, TimeSpan.FromSeconds(120)), (result.Outcome, result.StatusCode, result.RetryAfter));
        Assert.Empty(_sandbox.System("erp").Snapshot("confirmations"));
    }

    [Fact]
    public async Task A_forced_permanent_failure_is_permanent_with_the_targets_reason_and_request_and_response_kept()
    {
        _sandbox.System("erp").Behaviour = new SandboxBehaviour { FailOperations = new Dictionary<string, int> { ["update-schedule"] = 422 } };
        await using var connectors = ConnectorHarness.Connectors(Erp(), _sandbox);
        var result = await connectors["erp"].InvokeAsync(Call("update-schedule",
            """{"plant":"plant-02","line":"cnc-1","asset":"plant-02/cnc-1/cnc-07","from":"2026-11-23T06:00:00Z","until":"2026-11-23T10:00:00Z","reason":"bearing","reference":"MC-1"}"""));
        Assert.Equal((ConnectorOutcome.Permanent, 422), (result.Outcome, result.StatusCode));
        Assert.Contains("forced permanent failure", result.Reason);
        Assert.StartsWith("POST " + _sandbox.BaseAddress + "erp/schedule-changes", result.Request);
        Assert.StartsWith("422", result.Response);
        Assert.Equal(ConnectorOutcome.Succeeded, (await connectors["erp"].InvokeAsync(Call("confirm-production", Confirm))).Outcome);
    }

    [Fact]
    public async Task An_unknown_document_is_permanent()
    {
        await using var strict = await SandboxSystems.StartAsync(new SandboxOptions { AcceptUnknownOrders = false });
        await using var connectors = ConnectorHarness.Connectors(Erp(), strict);
        var result = await connectors["erp"].InvokeAsync(Call("confirm-production", Confirm.Replace("PO-100001", "PO-999999")));
        Assert.Equal((ConnectorOutcome.Permanent, 404), (result.Outcome, result.StatusCode));
        Assert.Contains("production order 'PO-999999' does not exist", result.Reason);
    }

    [Fact]
    public async Task Input_missing_a_path_value_is_permanent_without_a_request()
    {
        await using var connectors = ConnectorHarness.Connectors(Erp(), _sandbox);
        var result = await connectors["erp"].InvokeAsync(Call("confirm-production", """{"good":1}"""));
        Assert.Equal(ConnectorOutcome.Permanent, result.Outcome);
        Assert.Contains("{input.order}", result.Reason);
        Assert.Null(result.StatusCode);
    }

    [Fact]
    public async Task An_operation_the_connector_lacks_is_an_argument_error()
    {
        await using var connectors = ConnectorHarness.Connectors(Erp(), _sandbox);
        await Assert.ThrowsAsync<ArgumentException>(async () => await connectors["erp"].InvokeAsync(Call("post-cost", "{}")));
    }

    [Fact]
    public async Task A_refused_connection_is_retryable()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // nothing listens there now
        await using var connectors = ConnectorHarness.Connectors(Erp(url: $"http://127.0.0.1:{port}/erp"), _sandbox);
        var result = await connectors["erp"].InvokeAsync(Call("confirm-production", Confirm));
        Assert.Equal(ConnectorOutcome.Retryable, result.Outcome);
        Assert.Contains("cannot reach", result.Reason);
    }

    [Fact]
    public async Task A_call_slower_than_the_timeout_is_retryable()
    {
        _sandbox.System("erp").Behaviour = new SandboxBehaviour { LatencyMs = 10_000 };
        await using var connectors = ConnectorHarness.Connectors(Erp("    timeout: 200ms"), _sandbox);
        var result = await connectors["erp"].InvokeAsync(Call("confirm-production", Confirm));
        Assert.Equal(ConnectorOutcome.Retryable, result.Outcome);
        Assert.Contains("timeout", result.Reason);
    }

    [Fact]
    public async Task After_enough_failures_the_circuit_opens_and_calls_are_deferred_for_the_rest_of_the_break_then_a_trial_goes_through()
    {
        var time = new ManualTime(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
        _sandbox.System("erp").Behaviour = new SandboxBehaviour { ErrorRate = 1 };
        await using var connectors = ConnectorHarness.Connectors(
            Erp("    circuit-breaker: { failure-ratio: 0.5, sampling-duration: 10s, minimum-throughput: 2, break-duration: 30s }"), _sandbox, time);
        var erp = connectors["erp"];
        Assert.Equal(ConnectorOutcome.Retryable, (await erp.InvokeAsync(Call("confirm-production", Confirm))).Outcome);
        Assert.Equal(ConnectorOutcome.Retryable, (await erp.InvokeAsync(Call("confirm-production", Confirm))).Outcome);
        _sandbox.System("erp").Behaviour = new SandboxBehaviour();
        time.Advance(TimeSpan.FromSeconds(10));
        var held = await erp.InvokeAsync(Call("confirm-production", Confirm, "held-1"));
        Assert.Equal((ConnectorOutcome.Deferred, TimeSpan.FromSeconds(20)), (held.Outcome, held.RetryAfter));
        Assert.Equal(0, _sandbox.System("erp").DocumentsWithKey("held-1"));
        time.Advance(TimeSpan.FromSeconds(21));
        var trial = await erp.InvokeAsync(Call("confirm-production", Confirm, "held-1"));
        Assert.Equal(ConnectorOutcome.Succeeded, trial.Outcome);
        Assert.Equal(1, _sandbox.System("erp").DocumentsWithKey("held-1"));
    }

    [Fact]
    public async Task Permanent_failures_do_not_open_the_circuit()
    {
        var time = new ManualTime(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
        _sandbox.System("erp").Behaviour = new SandboxBehaviour { FailOperations = new Dictionary<string, int> { ["confirm-production"] = 400 } };
        await using var connectors = ConnectorHarness.Connectors(
            Erp("    circuit-breaker: { failure-ratio: 0.5, sampling-duration: 10s, minimum-throughput: 2, break-duration: 30s }"), _sandbox, time);
        for (int i = 0; i < 4; i++)
            Assert.Equal(ConnectorOutcome.Permanent, (await connectors["erp"].InvokeAsync(Call("confirm-production", Confirm))).Outcome);
    }

    [Fact]
    public async Task Inside_a_configured_maintenance_window_calls_are_deferred_until_it_ends_and_never_sent()
    {
        // Sunday 2026-11-22 02:30 in Berlin (UTC+1) = 01:30 UTC; the window ends at 04:00 Berlin
        var time = new ManualTime(new DateTimeOffset(2026, 11, 22, 1, 30, 0, TimeSpan.Zero));
        await using var connectors = ConnectorHarness.Connectors(
            Erp("""
                    maintenance-windows:
                      - { days: [sun], from: "02:00", to: "04:00", zone: Europe/Berlin }
                """), _sandbox, time);
        var held = await connectors["erp"].InvokeAsync(Call("confirm-production", Confirm, "mw-1"));
        Assert.Equal((ConnectorOutcome.Deferred, TimeSpan.FromMinutes(90)), (held.Outcome, held.RetryAfter));
        Assert.Contains("maintenance window", held.Reason);
        Assert.Equal(0, _sandbox.System("erp").DocumentsWithKey("mw-1"));
        time.Advance(TimeSpan.FromMinutes(90));
        Assert.Equal(ConnectorOutcome.Succeeded, (await connectors["erp"].InvokeAsync(Call("confirm-production", Confirm, "mw-1"))).Outcome);
    }

    [Fact]
    public async Task An_absolute_maintenance_window_defers_until_its_end()
    {
        var time = new ManualTime(new DateTimeOffset(2026, 12, 25, 12, 0, 0, TimeSpan.Zero));
        await using var connectors = ConnectorHarness.Connectors(
            Erp("""
                    maintenance-windows:
                      - { start: 2026-12-24T18:00:00Z, end: 2026-12-27T06:00:00Z }
                """), _sandbox, time);
        var held = await connectors["erp"].InvokeAsync(Call("confirm-production", Confirm));
        Assert.Equal((ConnectorOutcome.Deferred, TimeSpan.FromHours(42)), (held.Outcome, held.RetryAfter));
    }

    [Fact]
    public async Task A_saturated_rate_limit_defers_after_its_bounded_wait()
    {
        await using var connectors = ConnectorHarness.Connectors(Erp("    rate-limit: { per-second: 0.001, burst: 1, max-wait: 100ms }"), _sandbox);
        Assert.Equal(ConnectorOutcome.Succeeded, (await connectors["erp"].InvokeAsync(Call("confirm-production", Confirm))).Outcome);
        var held = await connectors["erp"].InvokeAsync(Call("confirm-production", Confirm));
        Assert.Equal(ConnectorOutcome.Deferred, held.Outcome);
        Assert.Contains("rate limit", held.Reason);
        Assert.Single(_sandbox.System("erp").Snapshot("confirmations"));
    }
}
