using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Millrace.Hub.Api.Versions;
using Millrace.Hub.Governance;

namespace Millrace.Hub.Api.OpenApi;

/// <summary>
/// OpenAPI 3.1 documents per major version (<c>GET /catalog/openapi/v1.json</c>, <c>v2.json</c>), built from the
/// API catalogue and the schema registry: each command's request body is its event's registered JSON Schema (2020-12,
/// which OpenAPI 3.1 embeds as is) with its examples; security schemes <c>bearer</c> (JWT) and <c>apiKey</c>
/// (<c>X-Api-Key</c>). Written by hand rather than with Microsoft.AspNetCore.OpenApi because the handlers take
/// <see cref="HttpContext"/> (no typed metadata to infer from) and the bodies are registry schemas, not CLR types.
/// </summary>
internal static class OpenApiDocuments
{
    private sealed record Operation(string Method, string Path, string ApiId, string Scope, string Summary, string? EventSuffix, int Success);

    private static readonly Operation[] Operations =
    [
        new("post", "/api/v1/production-orders/{id}/release", "production-orders/v1", "production:write", "Release a production order", "production.order.released.v1", 202),
        new("get", "/api/v1/production-orders/{id}", "production-orders/v1", "production:read", "Production order status and confirmed quantities", null, 200),
        new("post", "/api/v1/inventory/adjustments", "inventory/v1", "inventory:write", "Adjust inventory", "inventory.adjusted.v1", 202),
        new("get", "/api/v1/inventory/availability", "inventory/v1", "inventory:read", "Availability by material and plant", null, 200),
        new("post", "/api/v1/suppliers/{supplier}/asns", "asn/v1", "asn:write", "Take in an ASN (lots optional)", "supplier.asn.received.v1", 202),
        new("post", "/api/v2/suppliers/{supplier}/asns", "asn/v2", "asn:write", "Take in an ASN (a supplierLot on every line)", "supplier.asn.received.v1", 202),
        new("post", "/api/v1/maintenance/work-orders", "maintenance/v1", "maintenance:write", "Request a maintenance work order", "maintenance.workorder.requested.v1", 202),
        new("post", "/api/v1/quality/dispositions", "quality/v1", "quality:write", "Update a quality disposition", "quality.disposition.updated.v1", 202),
        new("get", "/api/v1/assets/{id}", "assets/v1", "assets:read", "Asset master data and live state", null, 200),
        new("get", "/api/v1/requests/{id}", "requests/v1", "requests:read", "Status of an accepted command", null, 200),
    ];

    public static void Map(WebApplication app, ApiGateway gateway, SchemaRegistry registry)
    {
        app.MapGet("/catalog/openapi/{version}.json", async (HttpContext http, string version) =>
        {
            if (version is not ("v1" or "v2"))
            {
                await ApiProblems.WriteAsync(http, 404, "not-found", "Unknown API version", $"no OpenAPI document for '{version}'; try v1 or v2");
                return;
            }
            http.Response.ContentType = "application/json";
            await http.Response.WriteAsync(Build(version, gateway, registry).ToJsonString(new JsonSerializerOptions { WriteIndented = true }), http.RequestAborted);
        });
    }

    /// <summary>The document of one major version.</summary>
    public static JsonObject Build(string version, ApiGateway gateway, SchemaRegistry registry)
    {
        var paths = new JsonObject();
        foreach (var op in Operations.Where(o => o.Path.StartsWith($"/api/{version}/", StringComparison.Ordinal)))
        {
            var api = gateway.Catalogue[op.ApiId];
            if (api.Lifecycle.State == ApiLifecycleState.Retired) continue;
            var operation = new JsonObject
            {
                ["operationId"] = op.Method + op.Path.Replace('/', '_').Replace("{", "").Replace("}", ""),
                ["summary"] = op.Summary,
                ["description"] = $"{api.Title}. Owner: {api.Owner}. Layer: {api.Layer}. SLA: {api.Sla}. Lifecycle: {api.Lifecycle.State.ToString().ToLowerInvariant()}.",
                ["tags"] = new JsonArray(op.ApiId),
                ["security"] = new JsonArray(new JsonObject { ["bearer"] = new JsonArray(op.Scope) }, new JsonObject { ["apiKey"] = new JsonArray() }),
                ["parameters"] = Parameters(op),
                ["responses"] = Responses(op),
            };
            if (api.Lifecycle.State == ApiLifecycleState.Deprecated) operation["deprecated"] = true;
            if (op.EventSuffix is { } suffix && gateway.ResolveType(suffix) is { } subject && registry.GetLatest(subject) is { } schema)
            {
                var body = JsonNode.Parse(schema.Schema.GetRawText())!.AsObject();
                var media = new JsonObject { ["schema"] = body.DeepClone() };
                if (body["examples"] is JsonArray { Count: > 0 } examples) media["example"] = examples[0]!.DeepClone();
                operation["requestBody"] = new JsonObject { ["required"] = true, ["content"] = new JsonObject { ["application/json"] = media } };
            }
            (paths[op.Path] ??= new JsonObject()).AsObject()[op.Method] = operation;
        }
        return new JsonObject
        {
            ["openapi"] = "3.1.1",
            ["info"] = new JsonObject { ["title"] = $"Millrace capability APIs {version}", ["version"] = version },
            ["jsonSchemaDialect"] = "https://json-schema.org/draft/2020-12/schema",
            ["paths"] = paths,
            ["components"] = new JsonObject
            {
                ["securitySchemes"] = new JsonObject
                {
                    ["bearer"] = new JsonObject { ["type"] = "http", ["scheme"] = "bearer", ["bearerFormat"] = "JWT" },
                    ["apiKey"] = new JsonObject { ["type"] = "apiKey", ["in"] = "header", ["name"] = "X-Api-Key" },
                },
                ["schemas"] = new JsonObject
                {
                    ["Problem"] = new JsonObject
                    {
                        ["type"] = "object",
                        ["properties"] = new JsonObject
                        {
                            ["type"] = new JsonObject { ["type"] = "string" }, ["title"] = new JsonObject { ["type"] = "string" },
                            ["status"] = new JsonObject { ["type"] = "integer" }, ["detail"] = new JsonObject { ["type"] = "string" },
                            ["errors"] = new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "object",
                                ["properties"] = new JsonObject { ["pointer"] = new JsonObject { ["type"] = "string" }, ["detail"] = new JsonObject { ["type"] = "string" } } } },
                        },
                    },
                },
            },
        };
    }

    private static JsonArray Parameters(Operation op)
    {
        var list = new JsonArray();
        foreach (var name in new[] { "id", "supplier" })
            if (op.Path.Contains("{" + name + "}", StringComparison.Ordinal))
                list.Add(new JsonObject { ["name"] = name, ["in"] = "path", ["required"] = true, ["schema"] = new JsonObject { ["type"] = "string" } });
        if (op.Path.EndsWith("/availability", StringComparison.Ordinal))
            foreach (var name in new[] { "material", "plant" })
                list.Add(new JsonObject { ["name"] = name, ["in"] = "query", ["required"] = true, ["schema"] = new JsonObject { ["type"] = "string" } });
        if (op.Method == "post")
            list.Add(new JsonObject { ["name"] = "Idempotency-Key", ["in"] = "header", ["required"] = true,
                ["schema"] = new JsonObject { ["type"] = "string", ["maxLength"] = 128 }, ["example"] = "3f1c2a9e-asn-77120" });
        list.Add(new JsonObject { ["name"] = "traceparent", ["in"] = "header", ["required"] = false, ["schema"] = new JsonObject { ["type"] = "string" } });
        return list;
    }

    private static JsonObject Responses(Operation op)
    {
        static JsonObject Problem(string why) => new()
        {
            ["description"] = why,
            ["content"] = new JsonObject { ["application/problem+json"] = new JsonObject { ["schema"] = new JsonObject { ["$ref"] = "#/components/schemas/Problem" } } },
        };
        var responses = new JsonObject
        {
            [op.Success.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new JsonObject
            {
                ["description"] = op.Success == 202 ? "Accepted: the event is on the log; follow Location" : "OK",
                ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "object" } } },
            },
            ["401"] = Problem("Unauthenticated"),
            ["403"] = Problem("Missing scope, or another plant's or supplier's resource"),
            ["410"] = Problem("Version retired"),
            ["429"] = Problem("Rate limited (Retry-After, RateLimit)"),
        };
        if (op.Method == "post")
        {
            responses["400"] = Problem("Invalid body: every violation by JSON pointer");
            responses["409"] = Problem("Same Idempotency-Key still in flight");
            responses["413"] = Problem("Body too large");
            responses["422"] = Problem("Idempotency-Key reused with another body");
        }
        else
        {
            responses["404"] = Problem("Not found");
        }
        return responses;
    }
}
