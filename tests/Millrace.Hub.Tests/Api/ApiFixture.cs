using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;
using Millrace.Hub.Api.Clients;
using Millrace.Hub.Api.Identity;
using Millrace.Hub.Api.Versions;
using Millrace.Hub.Hosting;

namespace Millrace.Hub.Tests.Api;

/// <summary>
/// A real hub on a loopback port serving the capability APIs to a handful of declared clients, trusting one RSA
/// identity-provider key written to a PEM file (as a production hub would trust its IdP), governed by the Acme schemas.
/// </summary>
public sealed class ApiFixture : IAsyncDisposable
{
    public const string Issuer = "https://idp.acme.example";
    public const string Audience = "millrace-api";

    private ApiFixture(HubHost hub, string dir, RSA idpKey, ApiSettings settings)
    {
        Hub = hub;
        Directory = dir;
        IdpKey = idpKey;
        Settings = settings;
        Http = new HttpClient { BaseAddress = hub.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public HubHost Hub { get; }
    public HttpClient Http { get; }
    public string Directory { get; }
    public RSA IdpKey { get; }
    public ApiSettings Settings { get; }

    private static ApiClient Client(string id, ApiClientKind kind, string scopes, string plants = "", string suppliers = "", ApiRateLimit? limit = null) => new()
    {
        Id = id, Kind = kind,
        Scopes = scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal),
        Plants = plants.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal),
        Suppliers = suppliers.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal),
        RateLimit = limit ?? new ApiRateLimit(10_000, TimeSpan.FromSeconds(1)),
    };

    public static async Task<ApiFixture> StartAsync(IReadOnlyDictionary<string, ApiLifecycle>? lifecycles = null)
    {
        string dir = Path.Combine(Path.GetTempPath(), "millrace-api-tests", Guid.NewGuid().ToString("n"));
        System.IO.Directory.CreateDirectory(dir);
        var idp = RSA.Create(2048);
        string keyFile = Path.Combine(dir, "idp-public.pem");
        await File.WriteAllTextAsync(keyFile, idp.ExportSubjectPublicKeyInfoPem());
        var clients = new[]
        {
            Client("mes-plant-01", ApiClientKind.Plant, "production:write production:read inventory:write inventory:read assets:read maintenance:write requests:read", "plant-01"),
            Client("mes-plant-02", ApiClientKind.Plant, "production:write production:read", "plant-02"),
            Client("supplier-0042", ApiClientKind.Partner, "asn:write requests:read", suppliers: "SUP-0042"),
            Client("inventory-reader", ApiClientKind.Application, "inventory:read"),
            Client("burst", ApiClientKind.Application, "inventory:read", limit: new ApiRateLimit(3, TimeSpan.FromSeconds(60))),
            Client("auditor", ApiClientKind.Application, "audit:read requests:read"),
        }.ToDictionary(c => c.Id, StringComparer.Ordinal);
        var settings = new ApiSettings
        {
            Clients = clients, Issuer = Issuer, Audience = Audience, SigningKeyFiles = [keyFile],
            Lifecycles = lifecycles ?? new Dictionary<string, ApiLifecycle>(),
        };
        var hub = await HubHost.StartAsync(new HubOptions
        {
            Url = "http://127.0.0.1:0", DataDirectory = dir, LogPartitions = 4,
            LogLevel = Microsoft.Extensions.Logging.LogLevel.Warning, Apis = settings,
        }, HubFixture.Catalog, schemas: HubFixture.AcmeGovernance.Schemas, businessRules: HubFixture.AcmeGovernance.Rules);
        return new ApiFixture(hub, dir, idp, settings);
    }

    /// <summary>A token from the trusted identity provider.</summary>
    public string Token(string clientId, TimeSpan? lifetime = null, string audience = Audience, DateTimeOffset? issuedAt = null, string? scope = null) =>
        DevelopmentTokens.Issue(new RsaSecurityKey(IdpKey) { KeyId = "idp" }, Issuer, audience, clientId, scope?.Split(' '),
            lifetime ?? TimeSpan.FromMinutes(10), issuedAt, SecurityAlgorithms.RsaSha256);

    public HttpRequestMessage Request(HttpMethod method, string path, string? token, string? body = null, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        return request;
    }

    public Task<HttpResponseMessage> PostAsync(string path, string clientId, string body, string? key = null) =>
        Http.SendAsync(Request(HttpMethod.Post, path, Token(clientId), body, key ?? Guid.NewGuid().ToString()));

    public Task<HttpResponseMessage> GetAsync(string path, string clientId) => Http.SendAsync(Request(HttpMethod.Get, path, Token(clientId)));

    /// <summary>Every event of a type in the log, in order.</summary>
    public async Task<List<Millrace.Core.Events.CloudEvent>> EventsAsync(string typeSuffix)
    {
        var events = new List<Millrace.Core.Events.CloudEvent>();
        for (int p = 0; p < Hub.Log.PartitionCount; p++)
            foreach (var entry in await Hub.Log.ReadAsync(p, 0, 10_000))
                if (entry.Record.Type?.EndsWith(typeSuffix, StringComparison.Ordinal) == true
                    && Millrace.Core.Events.CloudEventJsonReader.TryParse(entry.Record.Payload.Span, out var e, new List<Millrace.Core.Events.CloudEventError>()))
                    events.Add(e!);
        return events;
    }

    public static string ReleaseBody(string orderId = "1000004711", string plant = "plant-01", double quantity = 500) => $$"""
        {"orderId":"{{orderId}}","plant":"{{plant}}","material":"BRKT-7731-A","plannedQuantity":{"value":{{quantity}},"unit":"pcs"},
         "operations":[{"operation":"0010","workCenter":"PRESS04"}],"releasedAt":"2026-11-22T05:40:00Z"}
        """;

    public static string AsnBody(string supplier = "SUP-0042", bool lots = true) => $$"""
        {"asnId":"ASN-77120","supplier":"{{supplier}}","purchaseOrder":"4500012345","plant":"plant-01","expectedArrival":"2026-11-23T07:00:00Z",
         "lines":[{"line":1,"material":"STEEL-COIL-2MM","quantity":{"value":8000,"unit":"kg"}{{(lots ? ",\"supplierLot\":\"HB-23-5512\"" : "")}}}],
         "receivedAt":"2026-11-22T08:14:55.120Z"}
        """;

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Hub.DisposeAsync();
        IdpKey.Dispose();
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}
