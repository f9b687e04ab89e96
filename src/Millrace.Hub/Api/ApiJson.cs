using System.Text.Json.Serialization;
using Millrace.Hub.Api.Audit;
using Millrace.Hub.Api.Projections;
using Millrace.Hub.Hosting;

namespace Millrace.Hub.Api;

/// <summary>The answer to an accepted command (<c>202</c>): where to follow it and where its event sits.</summary>
public sealed record CommandAccepted(string RequestId, string Status, string EventType, string? Position, string StatusUrl, string? TraceId);

/// <summary>The status of an accepted command (<c>GET /api/v1/requests/{id}</c>).</summary>
public sealed record RequestStatus(string RequestId, string Status, string Api, string EventType, string? Position, DateTimeOffset AcceptedAt, string ClientId, string? TraceId);

/// <summary>A catalogue entry as <c>GET /catalog/apis</c> shows it.</summary>
public sealed record ApiCatalogueEntry(string Id, string Version, string Title, string Layer, string Owner, string Sla, string Lifecycle,
    DateTimeOffset? DeprecatedAt, DateTimeOffset? SunsetAt, string? Successor);

/// <summary>Source-generated JSON for the capability APIs.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ProblemBody))]
[JsonSerializable(typeof(CommandAccepted))]
[JsonSerializable(typeof(RequestStatus))]
[JsonSerializable(typeof(ProductionOrderView))]
[JsonSerializable(typeof(InventoryAvailabilityView))]
[JsonSerializable(typeof(AssetView))]
[JsonSerializable(typeof(IReadOnlyList<ApiAuditRecord>))]
[JsonSerializable(typeof(IReadOnlyList<ApiCatalogueEntry>))]
internal sealed partial class ApiJsonContext : JsonSerializerContext
{
    /// <summary>Relaxed escaping as the rest of the hub (bodies are never embedded in HTML).</summary>
    public static ApiJsonContext Http { get; } = new(new System.Text.Json.JsonSerializerOptions
    {
        PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
