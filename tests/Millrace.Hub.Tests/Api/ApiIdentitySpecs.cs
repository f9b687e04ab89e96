using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;
using Millrace.Hub.Api.Identity;

namespace Millrace.Hub.Tests.Api;

/// <summary>Who may call the capability APIs: bearer JWTs from the trusted issuer, partner API keys, scopes and plants.</summary>
public sealed class ApiIdentitySpecs : IAsyncLifetime
{
    private ApiFixture _api = null!;
    private const string Availability = "/api/v1/inventory/availability?material=BRKT-7731-A&plant=plant-01";

    public async Task InitializeAsync() => _api = await ApiFixture.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    private async Task<HttpResponseMessage> GetWithAsync(string? token, string path = Availability) =>
        await _api.Http.SendAsync(_api.Request(HttpMethod.Get, path, token));

    private static async Task AssertUnauthorizedAsync(HttpResponseMessage response, string because)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.StartsWith("Bearer realm=\"millrace\"", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains(because, problem.RootElement.GetProperty("detail").GetString());
    }

    private static string B64(string s) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(s));

    [Fact]
    public async Task A_valid_token_of_a_declared_client_reads_inventory()
    {
        var response = await GetWithAsync(_api.Token("inventory-reader"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task No_credentials_answer_401_with_a_challenge()
    {
        var response = await GetWithAsync(null);
        await AssertUnauthorizedAsync(response, "Authentication is required");
    }

    [Fact]
    public async Task An_expired_token_is_refused_beyond_the_clock_skew()
    {
        string token = _api.Token("inventory-reader", TimeSpan.FromMinutes(5), issuedAt: DateTimeOffset.UtcNow.AddMinutes(-10));
        await AssertUnauthorizedAsync(await GetWithAsync(token), "expired");
    }

    [Fact]
    public async Task A_token_for_another_audience_is_refused()
    {
        await AssertUnauthorizedAsync(await GetWithAsync(_api.Token("inventory-reader", audience: "some-other-api")), "another audience");
    }

    [Fact]
    public async Task A_token_signed_by_an_untrusted_key_is_refused()
    {
        using var other = RSA.Create(2048);
        string token = DevelopmentTokens.Issue(new RsaSecurityKey(other) { KeyId = "idp" }, ApiFixture.Issuer, ApiFixture.Audience, "inventory-reader",
            null, TimeSpan.FromMinutes(5), algorithm: SecurityAlgorithms.RsaSha256);
        await AssertUnauthorizedAsync(await GetWithAsync(token), "signature");
    }

    [Fact]
    public async Task A_tampered_payload_breaks_the_signature()
    {
        string[] parts = _api.Token("inventory-reader").Split('.');
        var payload = JsonSerializer.Deserialize<Dictionary<string, object>>(Base64UrlEncoder.Decode(parts[1]))!;
        payload["client_id"] = "mes-plant-01";
        payload["sub"] = "mes-plant-01";
        string forged = $"{parts[0]}.{B64(JsonSerializer.Serialize(payload))}.{parts[2]}";
        await AssertUnauthorizedAsync(await GetWithAsync(forged, "/api/v1/production-orders/1"), "signature");
    }

    [Fact]
    public async Task An_unsigned_alg_none_token_is_refused()
    {
        long exp = DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds();
        string token = $"{B64("{\"alg\":\"none\",\"typ\":\"JWT\"}")}.{B64($"{{\"iss\":\"{ApiFixture.Issuer}\",\"aud\":\"{ApiFixture.Audience}\",\"client_id\":\"inventory-reader\",\"exp\":{exp}}}")}.";
        var response = await GetWithAsync(token);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task An_HS256_token_keyed_with_the_public_RSA_key_is_refused()
    {
        // Key confusion: an attacker who knows the public key signs with HMAC using its bytes as the secret.
        byte[] secret = Encoding.UTF8.GetBytes(_api.IdpKey.ExportSubjectPublicKeyInfoPem());
        string token = DevelopmentTokens.Issue(new SymmetricSecurityKey(secret) { KeyId = "idp" }, ApiFixture.Issuer, ApiFixture.Audience,
            "inventory-reader", null, TimeSpan.FromMinutes(5), algorithm: SecurityAlgorithms.HmacSha256);
        await AssertUnauthorizedAsync(await GetWithAsync(token), "signature is invalid"); // HS256 is not an accepted algorithm: no key verifies it
    }

    [Fact]
    public async Task A_token_naming_an_undeclared_client_is_refused()
    {
        await AssertUnauthorizedAsync(await GetWithAsync(_api.Token("nobody")), "no declared client");
    }

    [Fact]
    public async Task A_missing_scope_answers_403()
    {
        var response = await _api.PostAsync("/api/v1/production-orders/1000004711/release", "inventory-reader", ApiFixture.ReleaseBody());
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("lacks scope 'production:write'", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_token_scope_claim_narrows_the_declared_scopes()
    {
        var response = await _api.Http.SendAsync(_api.Request(HttpMethod.Post, "/api/v1/production-orders/1000004711/release",
            _api.Token("mes-plant-01", scope: "production:read"), ApiFixture.ReleaseBody(), "k-narrow"));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Plant_02_MES_cannot_release_an_order_of_plant_01()
    {
        var response = await _api.PostAsync("/api/v1/production-orders/1000004711/release", "mes-plant-02", ApiFixture.ReleaseBody(plant: "plant-01"));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("plant 'plant-01'", await response.Content.ReadAsStringAsync());
        Assert.Empty(await _api.EventsAsync("production.order.released.v1"));
    }

    [Fact]
    public async Task Plant_02_MES_cannot_read_an_order_of_plant_01()
    {
        Assert.Equal(HttpStatusCode.Accepted, (await _api.PostAsync("/api/v1/production-orders/1000004711/release", "mes-plant-01", ApiFixture.ReleaseBody())).StatusCode);
        var response = await _api.GetAsync("/api/v1/production-orders/1000004711", "mes-plant-02");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task A_supplier_cannot_send_an_ASN_for_another_supplier()
    {
        var response = await _api.PostAsync("/api/v2/suppliers/SUP-0099/asns", "supplier-0042", ApiFixture.AsnBody("SUP-0099"));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("supplier 'SUP-0099'", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_supplier_sees_only_its_own_requests()
    {
        var accepted = await _api.PostAsync("/api/v2/suppliers/SUP-0042/asns", "supplier-0042", ApiFixture.AsnBody());
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        string statusUrl = accepted.Headers.Location!.ToString();
        Assert.Equal(HttpStatusCode.OK, (await _api.GetAsync(statusUrl, "supplier-0042")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.GetAsync(statusUrl, "mes-plant-01")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _api.GetAsync(statusUrl, "auditor")).StatusCode);
    }

    [Fact]
    public async Task A_partner_API_key_authenticates_until_revoked_and_survives_rotation_for_its_grace_period()
    {
        string first = _api.Hub.ApiKeys!.Issue("supplier-0042");
        Assert.DoesNotContain(_api.Hub.ApiKeys.List("supplier-0042"), k => first.Contains(k.Hash, StringComparison.Ordinal));
        async Task<HttpStatusCode> PostWithKey(string key)
        {
            var request = _api.Request(HttpMethod.Post, "/api/v2/suppliers/SUP-0042/asns", null, ApiFixture.AsnBody(), Guid.NewGuid().ToString());
            request.Headers.Add("X-Api-Key", key);
            return (await _api.Http.SendAsync(request)).StatusCode;
        }
        Assert.Equal(HttpStatusCode.Accepted, await PostWithKey(first));
        string second = _api.Hub.ApiKeys.Rotate("supplier-0042", TimeSpan.FromHours(1));
        Assert.Equal(HttpStatusCode.Accepted, await PostWithKey(first)); // within the grace period
        Assert.Equal(HttpStatusCode.Accepted, await PostWithKey(second));
        Assert.Equal(HttpStatusCode.Unauthorized, await PostWithKey(second[..^2] + (second[^2..] == "AA" ? "BB" : "AA")));
        Assert.Equal(2, _api.Hub.ApiKeys.Revoke("supplier-0042"));
        Assert.Equal(HttpStatusCode.Unauthorized, await PostWithKey(second));
    }

    [Fact]
    public async Task A_rotated_key_stops_working_when_its_grace_period_is_over()
    {
        string old = _api.Hub.ApiKeys!.Issue("inventory-reader");
        _api.Hub.ApiKeys.Rotate("inventory-reader", TimeSpan.Zero);
        var request = _api.Request(HttpMethod.Get, Availability, null);
        request.Headers.Add("X-Api-Key", old);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _api.Http.SendAsync(request)).StatusCode);
    }
}
