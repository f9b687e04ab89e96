using System.Net;

namespace Millrace.Sandbox.Tests;

/// <summary>Switchable misbehaviour, set over the admin endpoint at run time.</summary>
public sealed class BehaviourSpecs : IAsyncLifetime
{
    private readonly SandboxClient _c = new();

    public Task InitializeAsync() => _c.InitializeAsync();

    public Task DisposeAsync() => _c.DisposeAsync();

    [Fact]
    public async Task Past_the_throttle_rate_requests_get_429_with_retry_after()
    {
        await _c.SetBehaviourAsync("wms", """{"throttlePerSecond":2}""");
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? throttled = null;
        for (int i = 0; i < 3; i++)
        {
            var r = await _c.Http.GetAsync("wms/shipments/SH-10001");
            statuses.Add(r.StatusCode);
            if (r.StatusCode == HttpStatusCode.TooManyRequests) throttled = r;
        }
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(TimeSpan.FromSeconds(1), throttled!.Headers.RetryAfter!.Delta);
    }

    [Fact]
    public async Task In_maintenance_every_request_gets_503_with_retry_after_and_admin_still_answers()
    {
        await _c.SetBehaviourAsync("erp", """{"maintenance":true,"maintenanceRetryAfterSeconds":300}""");
        using var response = await _c.Http.GetAsync("erp/production-orders/PO-100001");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(300), response.Headers.RetryAfter!.Delta);
        Assert.True((await _c.GetJsonAsync("_sandbox/erp/behaviour")).GetProperty("maintenance").GetBoolean());
        using var wms = await _c.Http.GetAsync("wms/shipments/SH-10001");
        Assert.Equal(HttpStatusCode.OK, wms.StatusCode); // one system's maintenance is its own
    }

    [Fact]
    public async Task A_named_operation_can_be_made_to_fail_permanently_while_the_others_work()
    {
        await _c.SetBehaviourAsync("erp", """{"failOperations":{"update-schedule":422}}""");
        using var refused = await _c.PostAsync("erp/schedule-changes",
            """{"plant":"plant-02","line":"cnc-1","asset":"plant-02/cnc-1/cnc-07","from":"a","until":"b","reason":"r","reference":"MC-1"}""", "s-1");
        using var reserved = await _c.PostAsync("erp/reservations", """{"material":"CP-5001","quantity":1,"unit":"ea","plant":"plant-01","reference":"MC-1"}""", "r-1");
        Assert.Equal((HttpStatusCode.UnprocessableEntity, HttpStatusCode.Created), (refused.StatusCode, reserved.StatusCode));
        Assert.Contains("forced permanent failure", (await _c.JsonAsync(refused)).GetProperty("detail").GetString());
        Assert.Empty(_c.Sandbox.System("erp").Snapshot("schedule-changes"));
    }

    [Fact]
    public async Task An_error_rate_of_one_answers_every_request_500()
    {
        await _c.SetBehaviourAsync("qms", """{"errorRate":1.0}""");
        using var response = await _c.Http.GetAsync("qms/quality-notifications/QN-1/blocked-stock");
        using var create = await _c.PostAsync("qms/quality-notifications", """{"asset":"a","characteristic":"c","measured":1,"unit":"mm","severity":"minor","reference":"r"}""", "q-1");
        Assert.Equal((HttpStatusCode.InternalServerError, HttpStatusCode.InternalServerError), (response.StatusCode, create.StatusCode));
        Assert.Equal(0, _c.Sandbox.System("qms").DocumentsWithKey("q-1"));
    }

    [Fact]
    public async Task Inspection_listings_answer_whatever_the_behaviour_so_tests_can_read_the_documents()
    {
        await _c.SetBehaviourAsync("erp", """{"errorRate":1.0}""");
        using var create = await _c.PostAsync("erp/cost-postings", """{"reference":"c","costCenter":"CC-1","amount":1,"currency":"EUR","category":"x"}""", "cp-1");
        using var listing = await _c.Http.GetAsync("erp/cost-postings");
        Assert.Equal((HttpStatusCode.InternalServerError, HttpStatusCode.OK), (create.StatusCode, listing.StatusCode));
    }

    [Fact]
    public async Task An_invalid_behaviour_is_refused_400_and_the_old_one_stays()
    {
        await _c.SetBehaviourAsync("eam", """{"latencyMs":0}""");
        using var bad = await _c.PostAsync("_sandbox/eam/behaviour", """{"errorRate":2}""");
        using var unknown = await _c.PostAsync("_sandbox/eam/behaviour", """{"errorRat":0.5}""");
        using var noSystem = await _c.PostAsync("_sandbox/crm/behaviour", "{}");
        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.NotFound), (bad.StatusCode, unknown.StatusCode, noSystem.StatusCode));
        Assert.Equal(0, (await _c.GetJsonAsync("_sandbox/eam/behaviour")).GetProperty("errorRate").GetDouble());
    }
}
