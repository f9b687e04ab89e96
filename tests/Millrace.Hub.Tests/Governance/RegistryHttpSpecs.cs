using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Millrace.Hub.Governance;

namespace Millrace.Hub.Tests.Governance;

/// <summary>The registry's HTTP API on a real Kestrel bound to a free loopback port.</summary>
public sealed class RegistryHttpSpecs : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "millrace-registry-http", Guid.NewGuid().ToString("n"));
    private SchemaRegistry _registry = null!;
    private WebApplication _app = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _registry = SchemaRegistry.OpenInDataDirectory(_dir);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapSchemaRegistry(_registry);
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _http = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(30) };
    }

    [Fact]
    public async Task Post_registers_version_1_with_201_and_the_same_schema_again_answers_200_with_version_1()
    {
        using var first = await PostAsync("/registry/subjects/com.acme.downtime.started.v1/versions", Envelope(SchemaRegistrySpecs.V1));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal("/registry/subjects/com.acme.downtime.started.v1/versions/1", first.Headers.Location!.OriginalString);
        var body = await JsonAsync(first);
        Assert.Equal(1, body.GetProperty("version").GetInt32());
        Assert.Equal("https://millrace.dev/schemas/com.acme.downtime.started.v1/1", body.GetProperty("id").GetString());

        // the schema may also be sent as JSON text, Confluent style
        using var again = await PostAsync("/registry/subjects/com.acme.downtime.started.v1/versions",
            JsonSerializer.Serialize(new Dictionary<string, string> { ["schema"] = SchemaRegistrySpecs.V1 }));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.False((await JsonAsync(again)).GetProperty("created").GetBoolean());
    }

    [Fact]
    public async Task An_incompatible_version_is_409_problem_listing_every_incompatibility_by_pointer()
    {
        (await PostAsync("/registry/subjects/s/versions", Envelope(SchemaRegistrySpecs.V1))).Dispose();
        using var refused = await PostAsync("/registry/subjects/s/versions", Envelope(SchemaRegistrySpecs.V2RequiredLotFewerUnits));
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType!.MediaType);
        var problem = await JsonAsync(refused);
        Assert.Equal(409, problem.GetProperty("status").GetInt32());
        var pointers = problem.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("pointer").GetString()).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["/properties/unit/enum", "/required"], pointers);
        Assert.All(problem.GetProperty("errors").EnumerateArray(), e => Assert.Equal(1, e.GetProperty("againstVersion").GetInt32()));
    }

    [Fact]
    public async Task An_invalid_schema_is_422_and_a_malformed_body_is_400()
    {
        using var invalid = await PostAsync("/registry/subjects/s/versions", """{"schema":{"type":"object","minProperties":-1}}""");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, invalid.StatusCode);
        Assert.Contains((await JsonAsync(invalid)).GetProperty("errors").EnumerateArray(), e => e.GetProperty("pointer").GetString() == "/minProperties");
        using var malformed = await PostAsync("/registry/subjects/s/versions", """{"type":"object"}""");
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        using var notJson = await PostAsync("/registry/subjects/s/versions", "{oops");
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
    }

    [Fact]
    public async Task Get_serves_a_version_by_number_or_latest_and_404s_the_unknown()
    {
        (await PostAsync("/registry/subjects/s/versions", Envelope(SchemaRegistrySpecs.V1))).Dispose();
        (await PostAsync("/registry/subjects/s/versions", Envelope(SchemaRegistrySpecs.V2OptionalLot))).Dispose();
        var latest = await JsonAsync(await _http.GetAsync("/registry/subjects/s/versions/latest"));
        Assert.Equal(2, latest.GetProperty("version").GetInt32());
        Assert.True(latest.GetProperty("schema").GetProperty("properties").TryGetProperty("lot", out _));
        var one = await JsonAsync(await _http.GetAsync("/registry/subjects/s/versions/1"));
        Assert.Equal("BACKWARD", one.GetProperty("compatibility").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync("/registry/subjects/s/versions/3")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync("/registry/subjects/nobody/versions/latest")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _http.GetAsync("/registry/subjects/s/versions/first")).StatusCode);
    }

    [Fact]
    public async Task Compatibility_endpoint_answers_with_the_incompatibilities_and_stores_nothing()
    {
        (await PostAsync("/registry/subjects/s/versions", Envelope(SchemaRegistrySpecs.V1))).Dispose();
        using var bad = await PostAsync("/registry/compatibility/subjects/s/versions/latest", Envelope(SchemaRegistrySpecs.V2RequiredLotFewerUnits));
        Assert.Equal(HttpStatusCode.OK, bad.StatusCode);
        var report = await JsonAsync(bad);
        Assert.False(report.GetProperty("isCompatible").GetBoolean());
        Assert.Equal(2, report.GetProperty("incompatibilities").GetArrayLength());
        var good = await JsonAsync(await PostAsync("/registry/compatibility/subjects/s/versions/latest", Envelope(SchemaRegistrySpecs.V2OptionalLot)));
        Assert.True(good.GetProperty("isCompatible").GetBoolean());
        Assert.Equal([1], _registry.ListVersions("s"));
    }

    [Fact]
    public async Task Put_config_changes_the_subject_mode()
    {
        (await PostAsync("/registry/subjects/s/versions", Envelope(SchemaRegistrySpecs.V1))).Dispose();
        using var put = await _http.PutAsync("/registry/config/s", new StringContent("""{"compatibility":"NONE"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        using var accepted = await PostAsync("/registry/subjects/s/versions", Envelope(SchemaRegistrySpecs.V2RequiredLotFewerUnits));
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        using var unknown = await _http.PutAsync("/registry/config/s", new StringContent("""{"compatibility":"SIDEWAYS"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
    }

    private static string Envelope(string schema) => "{\"schema\":" + schema + "}";

    private Task<HttpResponseMessage> PostAsync(string path, string body) =>
        _http.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.Clone();
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _registry.Dispose();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
