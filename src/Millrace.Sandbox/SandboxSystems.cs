using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Millrace.Sandbox.Systems;

namespace Millrace.Sandbox;

/// <summary>
/// Starts the five sandbox enterprise systems in one Kestrel host on 127.0.0.1, one path prefix per system
/// (<c>/erp</c>, <c>/eam</c>, <c>/qms</c>, <c>/wms</c>, <c>/field-service</c>) plus the admin surface <c>/_sandbox</c>.
/// One port rather than five: one free port to find, one address to hand to the hub, one process to keep alive in
/// chaos tests, while each system keeps its own state, idempotency records and behaviour.
/// </summary>
public static class SandboxSystems
{
    /// <summary>The system ids, which are also the path prefixes.</summary>
    public static readonly IReadOnlyList<string> Ids = ["erp", "eam", "qms", "wms", "field-service"];

    /// <summary>Starts the sandbox; the result's <see cref="RunningSandbox.BaseAddress"/> is where it listens.</summary>
    public static async Task<RunningSandbox> StartAsync(SandboxOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new SandboxOptions();
        var systems = Ids.ToDictionary(id => id, id => new SandboxSystem(id, options.Behaviour.GetValueOrDefault(id) ?? new SandboxBehaviour()), StringComparer.Ordinal);
        foreach (var b in options.Behaviour)
        {
            if (!systems.ContainsKey(b.Key)) throw new ArgumentException($"unknown sandbox system '{b.Key}' (one of {string.Join(", ", Ids)})", nameof(options));
            if (b.Value.Validate() is { } why) throw new ArgumentException($"behaviour of '{b.Key}': {why}", nameof(options));
        }
        ErpSystem.Seed(systems["erp"]);
        WmsSystem.Seed(systems["wms"]);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, options.Port));
        builder.Services.AddProblemDetails();
        var app = builder.Build();
        app.UseRouting();
        app.Use((http, next) => SandboxBehaviourMiddleware.InvokeAsync(http, next, systems));
        ErpSystem.Map(app.MapGroup("/erp"), systems["erp"], options);
        EamSystem.Map(app.MapGroup("/eam"), systems["eam"]);
        QmsSystem.Map(app.MapGroup("/qms"), systems["qms"]);
        WmsSystem.Map(app.MapGroup("/wms"), systems["wms"]);
        FieldServiceSystem.Map(app.MapGroup("/field-service"), systems["field-service"]);
        MapAdmin(app, systems);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RunningSandbox(app, new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/') + "/"), systems);
    }

    private static void MapAdmin(WebApplication app, Dictionary<string, SandboxSystem> systems)
    {
        var admin = app.MapGroup("/_sandbox");
        admin.MapGet("/", () => Results.Json(Ids));
        admin.MapGet("/{system}/behaviour", (string system) =>
            systems.TryGetValue(system, out var s) ? Results.Json(s.Behaviour, SandboxJson.Options) : UnknownSystem(system));
        admin.MapPost("/{system}/behaviour", async (string system, HttpContext http) =>
        {
            if (!systems.TryGetValue(system, out var s)) return UnknownSystem(system);
            SandboxBehaviour? behaviour;
            try
            {
                behaviour = await JsonSerializer.DeserializeAsync<SandboxBehaviour>(http.Request.Body, SandboxJson.Options, http.RequestAborted).ConfigureAwait(false);
            }
            catch (JsonException e)
            {
                return SandboxHttp.Problem(400, "Invalid behaviour", e.Message);
            }
            if (behaviour is null) return SandboxHttp.Problem(400, "Invalid behaviour", "the body must be a behaviour object");
            if (behaviour.Validate() is { } why) return SandboxHttp.Problem(400, "Invalid behaviour", why);
            s.Behaviour = behaviour;
            return Results.Json(behaviour, SandboxJson.Options);
        });
        // the key travels in the query: keys often hold '/', which a path segment would not carry decoded
        admin.MapGet("/{system}/documents", (string system, string key) =>
            systems.TryGetValue(system, out var s) ? Results.Json(new { key, documents = s.DocumentsWithKey(key) }) : UnknownSystem(system));
        // all keys at once: what a chaos test checks "exactly one document per business fact" with, after the hub died a few times
        admin.MapGet("/{system}/documents/count-by-key", (string system) =>
            systems.TryGetValue(system, out var s) ? Results.Json(s.DocumentCountsByKey()) : UnknownSystem(system));
    }

    private static IResult UnknownSystem(string system)
        => SandboxHttp.Problem(404, "Unknown system", $"no sandbox system '{system}' (one of {string.Join(", ", Ids)})");
}

/// <summary>The JSON options of the admin surface: camelCase, case-insensitive reads, unknown members refused.</summary>
internal static class SandboxJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };
}

/// <summary>
/// Applies a system's behaviour before its endpoint runs, in this order: maintenance (503), throttling (429), latency,
/// occasional 500, forced permanent failure of the operation. Admin paths and inspection listings are never affected.
/// </summary>
internal static class SandboxBehaviourMiddleware
{
    public static async Task InvokeAsync(HttpContext http, RequestDelegate next, Dictionary<string, SandboxSystem> systems)
    {
        var operation = http.GetEndpoint()?.Metadata.GetMetadata<SandboxOperation>();
        var path = http.Request.Path.Value ?? "";
        var prefix = path.Length > 1 ? path[1..].Split('/')[0] : "";
        // inspection listings are never affected: tests and the demo read the documents through them
        if (!systems.TryGetValue(prefix, out var system) || http.GetEndpoint()?.Metadata.GetMetadata<SandboxInspection>() is not null)
        {
            await next(http).ConfigureAwait(false);
            return;
        }
        var behaviour = system.Behaviour;
        if (behaviour.Maintenance)
        {
            http.Response.Headers.RetryAfter = behaviour.MaintenanceRetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            await SandboxHttp.Problem(503, "Maintenance", $"{system.Id} is in a maintenance window").ExecuteAsync(http).ConfigureAwait(false);
            return;
        }
        var (delay, throttled, error) = system.Draw();
        if (throttled is { } retryAfter)
        {
            http.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
            await SandboxHttp.Problem(429, "Too many requests", $"{system.Id} allows {behaviour.ThrottlePerSecond} requests per second").ExecuteAsync(http).ConfigureAwait(false);
            return;
        }
        if (delay > TimeSpan.Zero) await Task.Delay(delay, http.RequestAborted).ConfigureAwait(false);
        if (error)
        {
            await SandboxHttp.Problem(500, "Internal error", $"{system.Id} failed (simulated, error rate {behaviour.ErrorRate})").ExecuteAsync(http).ConfigureAwait(false);
            return;
        }
        if (operation is not null && behaviour.FailOperations.TryGetValue(operation.Name, out var status))
        {
            await SandboxHttp.Problem(status, "Refused", $"{system.Id} refuses {operation.Name} (forced permanent failure)").ExecuteAsync(http).ConfigureAwait(false);
            return;
        }
        await next(http).ConfigureAwait(false);
    }
}
