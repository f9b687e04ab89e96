using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Millrace.Sandbox;

/// <summary>Names the catalogue operation an endpoint serves (for forced failures and logs).</summary>
public sealed record SandboxOperation(string System, string Name);

/// <summary>Marks an inspection listing (<c>GET /erp/confirmations</c>, …): behaviour switches never apply to it.</summary>
internal sealed class SandboxInspection
{
    public static readonly SandboxInspection Instance = new();
}

/// <summary>
/// The HTTP plumbing shared by the five systems: reads the JSON input (body members, then route and query values),
/// applies the <c>Idempotency-Key</c> rules to creates, and answers refusals as problem details.
/// </summary>
internal static class SandboxHttp
{
    public const string IdempotencyHeader = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";

    internal delegate SandboxAnswer Handler(SandboxSystem system, SandboxRequest request);

    /// <summary>A create: keyed, body required.</summary>
    public static void Create(RouteGroupBuilder group, SandboxSystem system, string method, string pattern, string operation, Handler handler)
        => group.MapMethods(pattern, [method], (Delegate)((HttpContext http) => HandleCreateAsync(http, system, operation, handler)))
            .WithMetadata(new SandboxOperation(system.Id, operation));

    /// <summary>A read: query and route values are the input; not keyed.</summary>
    public static void Read(RouteGroupBuilder group, SandboxSystem system, string pattern, string operation, Handler handler)
        => group.MapGet(pattern, (Delegate)((HttpContext http) =>
        {
            var input = new JsonObject();
            AddRouteAndQuery(http, input);
            return Answer(http, system, new SandboxRequest(input, null), handler);
        })).WithMetadata(new SandboxOperation(system.Id, operation));

    /// <summary>A listing of what the system holds (inspection for tests and the demo).</summary>
    public static void List(RouteGroupBuilder group, SandboxSystem system, string pattern, string collection)
        => group.MapGet(pattern, () => Results.Json(system.Snapshot(collection))).WithMetadata(SandboxInspection.Instance);

    private static async Task<IResult> HandleCreateAsync(HttpContext http, SandboxSystem system, string operation, Handler handler)
    {
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, http.RequestAborted).ConfigureAwait(false);
        var bytes = buffer.ToArray();
        JsonObject input;
        try
        {
            input = bytes.Length == 0 ? [] : JsonNode.Parse(bytes) as JsonObject ?? throw new JsonException("the body is not a JSON object");
        }
        catch (JsonException e)
        {
            return Problem(400, "Invalid JSON", e.Message);
        }
        AddRouteAndQuery(http, input);
        string? key = http.Request.Headers[IdempotencyHeader] is { Count: > 0 } values ? values[0] : null;
        if (key is null) return Answer(http, system, new SandboxRequest(input, null), handler);

        var hash = IdempotencyStore.Hash(Encoding.UTF8.GetBytes(operation + "\n" + http.Request.Path + "\n").Concat(bytes).ToArray());
        lock (system.Gate)
        {
            if (system.Idempotency.TryGet(key, out var record))
            {
                if (record.Operation != operation || !record.BodyHash.AsSpan().SequenceEqual(hash))
                    return Problem(422, "Idempotency key reused",
                        $"Idempotency-Key '{key}' was first used for {record.Operation} with another request; a key names one business fact");
                http.Response.Headers[ReplayedHeader] = "true";
                system.CountReplay();
                return Results.Text(record.Body, "application/json", Encoding.UTF8, record.Status);
            }
            try
            {
                var answer = handler(system, new SandboxRequest(input, key));
                var body = answer.Body.ToJsonString();
                if (answer.Status is >= 200 and < 300) system.Idempotency.Put(key, new IdempotencyStore.Record(operation, hash, answer.Status, body));
                return Results.Text(body, "application/json", Encoding.UTF8, answer.Status);
            }
            catch (SandboxRefusal refusal)
            {
                return Problem(refusal.Status, refusal.Title, refusal.Message);
            }
            catch (Exception e) when (e is InvalidOperationException or InvalidCastException or FormatException or NullReferenceException)
            {
                // a sandbox bug, not the caller's: say what broke so the test that met it shows it
                return Problem(500, "Sandbox defect", $"{e.GetType().Name}: {e.Message}");
            }
        }
    }

    private static IResult Answer(HttpContext http, SandboxSystem system, SandboxRequest request, Handler handler)
    {
        lock (system.Gate)
        {
            try
            {
                var answer = handler(system, request);
                return Results.Text(answer.Body.ToJsonString(), "application/json", Encoding.UTF8, answer.Status);
            }
            catch (SandboxRefusal refusal)
            {
                return Problem(refusal.Status, refusal.Title, refusal.Message);
            }
            catch (Exception e) when (e is InvalidOperationException or InvalidCastException or FormatException or NullReferenceException)
            {
                // a sandbox bug, not the caller's: say what broke so the test that met it shows it
                return Problem(500, "Sandbox defect", $"{e.GetType().Name}: {e.Message}");
            }
        }
    }

    private static void AddRouteAndQuery(HttpContext http, JsonObject input)
    {
        foreach (var (name, value) in http.Request.Query)
            if (value.Count > 0 && !input.ContainsKey(name)) input[name] = value[0];
        foreach (var (name, value) in http.Request.RouteValues)
            if (value is string s) input[name] = s; // the path names the resource: it wins over a body member
    }

    public static IResult Problem(int status, string title, string detail)
        => Results.Problem(detail: detail, statusCode: status, title: title);
}
