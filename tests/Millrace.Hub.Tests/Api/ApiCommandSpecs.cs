using System.Net;
using System.Text.Json;

namespace Millrace.Hub.Tests.Api;

/// <summary>Commands become governed events: validated, idempotent, traced, audited, and folded into the read models.</summary>
public sealed class ApiCommandSpecs : IAsyncLifetime
{
    private ApiFixture _api = null!;
    private const string Release = "/api/v1/production-orders/1000004711/release";

    public async Task InitializeAsync() => _api = await ApiFixture.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task Release_is_accepted_202_with_a_status_url_and_the_order_is_readable_from_the_projection()
    {
        var response = await _api.PostAsync(Release, "mes-plant-01", ApiFixture.ReleaseBody());
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("appended", body.RootElement.GetProperty("status").GetString());
        Assert.Equal(body.RootElement.GetProperty("statusUrl").GetString(), response.Headers.Location!.ToString());

        var status = await _api.GetAsync(response.Headers.Location!.ToString(), "mes-plant-01");
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        using var statusBody = JsonDocument.Parse(await status.Content.ReadAsStringAsync());
        Assert.Equal(body.RootElement.GetProperty("position").GetString(), statusBody.RootElement.GetProperty("position").GetString());

        var order = await _api.GetAsync("/api/v1/production-orders/1000004711", "mes-plant-01");
        Assert.Equal(HttpStatusCode.OK, order.StatusCode);
        using var view = JsonDocument.Parse(await order.Content.ReadAsStringAsync());
        Assert.Equal("released", view.RootElement.GetProperty("status").GetString());
        Assert.Equal(500, view.RootElement.GetProperty("planned").GetProperty("value").GetDouble());
        var stored = Assert.Single(await _api.EventsAsync("production.order.released.v1"));
        Assert.Equal("com.acme.production.order.released.v1", stored.Type);
        Assert.Equal("plant-01", stored.Plant);
        Assert.Equal("1000004711", stored.Subject);
    }

    [Fact]
    public async Task An_invalid_body_is_answered_with_problem_details_naming_every_violation_by_pointer()
    {
        const string body = """
            {"orderId":"1000004711","plant":"Plant 01!","material":"","plannedQuantity":{"value":-5,"unit":"pcs"},
             "operations":[{"operation":"10","workCenter":"PRESS04"}],"releasedAt":"yesterday","colour":"red"}
            """;
        var response = await _api.PostAsync(Release, "mes-plant-01", body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var pointers = problem.RootElement.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("pointer").GetString()).ToHashSet();
        Assert.Superset(new HashSet<string?> { "/plant", "/material", "/plannedQuantity/value", "/operations/0/operation", "/releasedAt" }, pointers);
        Assert.Empty(await _api.EventsAsync("production.order.released.v1"));
    }

    [Fact]
    public async Task An_idempotent_replay_returns_the_identical_response_and_appends_one_event()
    {
        var first = await _api.PostAsync(Release, "mes-plant-01", ApiFixture.ReleaseBody(), "release-4711-a");
        var second = await _api.PostAsync(Release, "mes-plant-01", ApiFixture.ReleaseBody(), "release-4711-a");
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(first.StatusCode, second.StatusCode);
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.Equal(first.Content.Headers.ContentType, second.Content.Headers.ContentType);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Single(await _api.EventsAsync("production.order.released.v1"));
        Assert.Single(_api.Hub.Apis!.Audit.Latest("mes-plant-01", 10));
    }

    [Fact]
    public async Task The_same_key_with_another_body_is_refused_422()
    {
        Assert.Equal(HttpStatusCode.Accepted, (await _api.PostAsync(Release, "mes-plant-01", ApiFixture.ReleaseBody(), "release-4711-b")).StatusCode);
        var other = await _api.PostAsync(Release, "mes-plant-01", ApiFixture.ReleaseBody(quantity: 600), "release-4711-b");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.StatusCode);
        Assert.Single(await _api.EventsAsync("production.order.released.v1"));
    }

    [Fact]
    public async Task Keys_belong_to_their_client()
    {
        Assert.Equal(HttpStatusCode.Accepted, (await _api.PostAsync("/api/v1/inventory/adjustments", "mes-plant-01", Adjustment("adj-1"), "shared-key")).StatusCode);
        var supplier = await _api.PostAsync("/api/v2/suppliers/SUP-0042/asns", "supplier-0042", ApiFixture.AsnBody(), "shared-key");
        Assert.Equal(HttpStatusCode.Accepted, supplier.StatusCode);
    }

    [Fact]
    public async Task A_post_without_an_idempotency_key_is_refused_400()
    {
        var response = await _api.Http.SendAsync(_api.Request(HttpMethod.Post, Release, _api.Token("mes-plant-01"), ApiFixture.ReleaseBody()));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Idempotency-Key", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_callers_traceparent_travels_into_the_events_traceparent_extension()
    {
        const string traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        var request = _api.Request(HttpMethod.Post, "/api/v2/suppliers/SUP-0042/asns", _api.Token("supplier-0042"), ApiFixture.AsnBody(), "asn-trace");
        request.Headers.Add("traceparent", $"00-{traceId}-00f067aa0ba902b7-01");
        var response = await _api.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var stored = Assert.Single(await _api.EventsAsync("supplier.asn.received.v1"));
        Assert.StartsWith($"00-{traceId}-", stored.TraceParent);
        var audit = Assert.Single(_api.Hub.Apis!.Audit.Latest("supplier-0042", 10));
        Assert.Equal(traceId, audit.TraceId);
    }

    [Fact]
    public async Task Inventory_adjustments_fold_into_availability_by_material_and_plant()
    {
        Assert.Equal(HttpStatusCode.Accepted, (await _api.PostAsync("/api/v1/inventory/adjustments", "mes-plant-01", Adjustment("adj-1", 40))).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await _api.PostAsync("/api/v1/inventory/adjustments", "mes-plant-01", Adjustment("adj-2", -12))).StatusCode);
        var response = await _api.GetAsync("/api/v1/inventory/availability?material=BRKT-7731-A&plant=plant-01", "inventory-reader");
        using var view = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var available = Assert.Single(view.RootElement.GetProperty("available").EnumerateArray());
        Assert.Equal(28, available.GetProperty("value").GetDouble());
    }

    [Fact]
    public async Task An_asset_is_served_with_its_master_data()
    {
        var response = await _api.GetAsync("/api/v1/assets/plant-01/line-1/cnc-01", "mes-plant-01");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var view = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("plant-01", view.RootElement.GetProperty("plant").GetString());
        Assert.Contains("spindle_vibration", view.RootElement.GetProperty("signals").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(HttpStatusCode.Forbidden, (await _api.GetAsync("/api/v1/assets/plant-02/cold-store/ts-01", "mes-plant-01")).StatusCode);
    }

    [Fact]
    public async Task Every_accepted_write_is_audited_with_its_client()
    {
        Assert.Equal(HttpStatusCode.Accepted, (await _api.PostAsync(Release, "mes-plant-01", ApiFixture.ReleaseBody())).StatusCode);
        var response = await _api.GetAsync("/api/v1/audit?client=mes-plant-01", "auditor");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var audit = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var row = Assert.Single(audit.RootElement.EnumerateArray());
        Assert.Equal("mes-plant-01", row.GetProperty("clientId").GetString());
        Assert.Equal(Release, row.GetProperty("path").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await _api.GetAsync("/api/v1/audit", "mes-plant-01")).StatusCode);
    }

    internal static string Adjustment(string id, double delta = -12) => $$"""
        {"adjustmentId":"{{id}}","material":"BRKT-7731-A","storageLocation":"plant-01/fg-store","delta":{"value":{{delta}},"unit":"pcs"},
         "reason":"correction","adjustedAt":"2026-11-22T08:14:55.120Z"}
        """;
}
