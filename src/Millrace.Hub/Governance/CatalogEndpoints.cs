using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Millrace.Hub.Governance;

/// <summary>The event catalogue over HTTP.</summary>
public static class CatalogEndpoints
{
    /// <summary>Title of the published AsyncAPI document.</summary>
    public const string Title = "Millrace event catalogue";

    /// <summary>
    /// Maps <c>GET /catalog/asyncapi.json</c>: the AsyncAPI 3.0 document of the configured event types, each with the
    /// latest schema version in <paramref name="registry"/> (built per request, so registrations show up at once).
    /// </summary>
    public static IEndpointRouteBuilder MapEventCatalog(this IEndpointRouteBuilder endpoints, IReadOnlyList<SchemaDefinition> definitions,
        SchemaRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        ArgumentNullException.ThrowIfNull(registry);
        endpoints.MapGet("/catalog/asyncapi.json", (HttpContext http) =>
        {
            var document = AsyncApiDocument.Write(CatalogMessage.Collect(definitions, registry), Title,
                http.Request.Host.HasValue ? http.Request.Host.Value! : "localhost");
            http.Response.StatusCode = 200;
            http.Response.ContentType = "application/json";
            return http.Response.Body.WriteAsync(document, http.RequestAborted).AsTask();
        });
        return endpoints;
    }
}
