using System.Net;
using System.Text;
using System.Text.Json;
using Millrace.Hub.Api.Versions;

namespace Millrace.Hub.Tests.Api;

/// <summary>Rate limits, versions and lifecycle, body limits and hostile input.</summary>
public sealed class ApiGovernanceSpecs : IAsyncLifetime
{
    private ApiFixture _api = null!;

    public async Task InitializeAsync() => _api = await ApiFixture.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task A_burst_beyond_the_budget_is_answered_429_with_retry_after_and_ratelimit_fields()
    {
        const string path = "/api/v1/inventory/availability?material=X&plant=plant-01";
        var statuses = new List<HttpResponseMessage>();
        for (int i = 0; i < 5; i++) statuses.Add(await _api.GetAsync(path, "burst"));
        Assert.Equal([200, 200, 200, 429, 429], statuses.Select(r => (int)r.StatusCode));
        var ok = statuses[0];
        Assert.Equal("\"inventory-v1\";q=3;w=60", ok.Headers.GetValues("RateLimit-Policy").Single());
        Assert.Equal("\"inventory-v1\";r=2;t=60", ok.Headers.GetValues("RateLimit").Single());
        var refused = statuses[3];
        int retryAfter = (int)refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds;
        Assert.InRange(retryAfter, 1, 60);
        Assert.Equal($"\"inventory-v1\";r=0;t={retryAfter}", refused.Headers.GetValues("RateLimit").Single());
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        // Budgets are per client: another client is not throttled by this one's burst.
        Assert.Equal(HttpStatusCode.OK, (await _api.GetAsync(path, "inventory-reader")).StatusCode);
    }

    [Fact]
    public async Task ASN_v1_and_v2_coexist_and_v1_announces_its_deprecation_and_successor()
    {
        var v1 = await _api.PostAsync("/api/v1/suppliers/SUP-0042/asns", "supplier-0042", ApiFixture.AsnBody(lots: false));
        Assert.Equal(HttpStatusCode.Accepted, v1.StatusCode);
        Assert.Equal("@" + new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds(), v1.Headers.GetValues("Deprecation").Single());
        Assert.Equal("Wed, 30 Jun 2027 00:00:00 GMT", v1.Headers.GetValues("Sunset").Single());
        Assert.Equal("</api/v2/suppliers/{supplier}/asns>; rel=\"successor-version\"", v1.Headers.GetValues("Link").Single());

        var v2 = await _api.PostAsync("/api/v2/suppliers/SUP-0042/asns", "supplier-0042", ApiFixture.AsnBody());
        Assert.Equal(HttpStatusCode.Accepted, v2.StatusCode);
        Assert.False(v2.Headers.Contains("Deprecation"));
        Assert.Equal(2, (await _api.EventsAsync("supplier.asn.received.v1")).Count);
    }

    [Fact]
    public async Task ASN_v2_requires_a_lot_on_every_line()
    {
        var response = await _api.PostAsync("/api/v2/suppliers/SUP-0042/asns", "supplier-0042", ApiFixture.AsnBody(lots: false));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("/lines/0/supplierLot", Assert.Single(problem.RootElement.GetProperty("errors").EnumerateArray()).GetProperty("pointer").GetString());
    }

    [Fact]
    public async Task A_version_retired_by_configuration_answers_410_Gone()
    {
        await using var retired = await ApiFixture.StartAsync(new Dictionary<string, ApiLifecycle>
        {
            ["asn/v1"] = new(ApiLifecycleState.Retired, Successor: "/api/v2/suppliers/{supplier}/asns"),
        });
        var response = await retired.PostAsync("/api/v1/suppliers/SUP-0042/asns", "supplier-0042", ApiFixture.AsnBody());
        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        Assert.Contains("successor-version", response.Headers.GetValues("Link").Single());
        Assert.Equal(HttpStatusCode.Accepted, (await retired.PostAsync("/api/v2/suppliers/SUP-0042/asns", "supplier-0042", ApiFixture.AsnBody())).StatusCode);
        Assert.DoesNotContain(await retired.EventsAsync("supplier.asn.received.v1"), e => e.Source == "/api/asn/v1");
    }

    [Fact]
    public async Task The_catalogue_lists_each_API_with_owner_lifecycle_and_SLA()
    {
        using var catalogue = JsonDocument.Parse(await _api.Http.GetStringAsync("/catalog/apis"));
        var asn = catalogue.RootElement.EnumerateArray().Single(a => a.GetProperty("id").GetString() == "asn/v1");
        Assert.Equal("procurement-team", asn.GetProperty("owner").GetString());
        Assert.Equal("deprecated", asn.GetProperty("lifecycle").GetString());
        Assert.False(string.IsNullOrEmpty(asn.GetProperty("sla").GetString()));
    }

    [Fact]
    public async Task An_oversized_body_is_refused_413_and_appends_nothing()
    {
        string huge = ApiFixture.ReleaseBody().Replace("\"PRESS04\"", "\"PRESS04\",\"pad\":\"" + new string('x', 100_000) + "\"");
        var response = await _api.PostAsync("/api/v1/production-orders/1000004711/release", "mes-plant-01", huge);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(await _api.EventsAsync("production.order.released.v1"));
    }

    [Fact]
    public async Task Deeply_nested_JSON_is_refused_400_without_being_walked()
    {
        string deep = "{\"orderId\":" + string.Concat(Enumerable.Repeat("[", 5000)) + string.Concat(Enumerable.Repeat("]", 5000)) + "}";
        var response = await _api.PostAsync("/api/v1/production-orders/1000004711/release", "mes-plant-01", deep);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("nests deeper than 16", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Malformed_JSON_is_refused_400_with_where_it_broke()
    {
        var response = await _api.PostAsync("/api/v1/production-orders/1000004711/release", "mes-plant-01", "{\"orderId\": \"1000004711\",");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("not JSON", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_non_JSON_media_type_is_refused_415()
    {
        var request = _api.Request(HttpMethod.Post, "/api/v1/production-orders/1000004711/release", _api.Token("mes-plant-01"), null, "k-415");
        request.Content = new StringContent(ApiFixture.ReleaseBody(), Encoding.UTF8, "text/plain");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await _api.Http.SendAsync(request)).StatusCode);
    }

    [Theory]
    [InlineData("key with spaces")]
    [InlineData("kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk")]
    public async Task An_idempotency_key_with_spaces_or_over_128_characters_is_refused_400(string key)
    {
        var request = _api.Request(HttpMethod.Post, "/api/v1/production-orders/1000004711/release", _api.Token("mes-plant-01"), ApiFixture.ReleaseBody());
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        var response = await _api.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_header_injection_attempt_in_the_authorization_header_gets_a_fixed_challenge()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/inventory/availability?material=X&plant=plant-01");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer abc\",error=\"none\" x-injected: yes");
        var response = await _api.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain("x-injected", response.Headers.WwwAuthenticate.ToString());
        Assert.False(response.Headers.Contains("x-injected"));
    }

    [Fact]
    public async Task Request_metrics_are_counted_by_client_api_and_status()
    {
        await _api.GetAsync("/api/v1/inventory/availability?material=X&plant=plant-01", "inventory-reader");
        string metrics = await _api.Http.GetStringAsync("/metrics");
        Assert.Contains("millrace_api_requests", metrics);
        Assert.Contains("client=\"inventory-reader\"", metrics);
    }
}

/// <summary>The OpenAPI 3.1 documents per version.</summary>
public sealed class ApiOpenApiSpecs : IAsyncLifetime
{
    private ApiFixture _api = null!;

    public async Task InitializeAsync() => _api = await ApiFixture.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Theory]
    [InlineData("v1", "/api/v1/suppliers/{supplier}/asns", true)]
    [InlineData("v2", "/api/v2/suppliers/{supplier}/asns", false)]
    public async Task Each_version_has_an_OpenAPI_3_1_document_with_security_schemes_and_registry_schemas(string version, string asnPath, bool deprecated)
    {
        var response = await _api.Http.GetAsync($"/catalog/openapi/{version}.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = doc.RootElement;
        Assert.StartsWith("3.1", root.GetProperty("openapi").GetString());
        var schemes = root.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal("bearer", schemes.GetProperty("bearer").GetProperty("scheme").GetString());
        Assert.Equal("X-Api-Key", schemes.GetProperty("apiKey").GetProperty("name").GetString());
        var post = root.GetProperty("paths").GetProperty(asnPath).GetProperty("post");
        Assert.Equal(deprecated, post.TryGetProperty("deprecated", out var d) && d.GetBoolean());
        var media = post.GetProperty("requestBody").GetProperty("content").GetProperty("application/json");
        Assert.Contains("lines", media.GetProperty("schema").GetProperty("required").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("ASN-77120", media.GetProperty("example").GetProperty("asnId").GetString());
    }
}
