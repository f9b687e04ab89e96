using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Millrace.Hub.Api.Capabilities;

/// <summary>
/// <c>requests/v1</c>: the status URL of every 202 (<c>GET /api/v1/requests/{id}</c>, the caller's own requests, or
/// any with <c>audit:read</c>), the audit trail (<c>GET /api/v1/audit?client=&amp;limit=</c>, scope <c>audit:read</c>),
/// and the public API catalogue (<c>GET /catalog/apis</c>).
/// </summary>
internal static class RequestsApi
{
    private const string Api = "requests/v1";

    public static void Map(WebApplication app, ApiGateway gateway)
    {
        app.MapGet("/api/v1/requests/{id}", async (HttpContext http, string id) =>
        {
            long started = System.Diagnostics.Stopwatch.GetTimestamp();
            try
            {
                if (await gateway.AdmitCallerAsync(http, Api, "requests:read") is not { } caller) return;
                var row = gateway.Audit.FindRequest(id);
                if (row is null || (row.ClientId != caller.Client.Id && !caller.Has("audit:read")))
                {
                    await ApiProblems.WriteAsync(http, 404, "not-found", "Unknown request", $"no request '{id}' of this client");
                    return;
                }
                string api = row.Path.StartsWith("/api/", StringComparison.Ordinal) ? row.Path.Split('/')[2] + " " + row.Path : row.Path;
                await ApiProblems.JsonAsync(http, 200, new RequestStatus(row.RequestId, row.Position is null ? "accepted" : "appended", api, row.EventType,
                    row.Position, row.At, row.ClientId, row.TraceId), ApiJsonContext.Http.RequestStatus);
            }
            finally
            {
                gateway.Count(http, Api, started);
            }
        });
        app.MapGet("/api/v1/audit", async (HttpContext http) =>
        {
            if (await gateway.AdmitCallerAsync(http, Api, "audit:read") is null) return;
            string? client = http.Request.Query["client"];
            int limit = int.TryParse(http.Request.Query["limit"], out int l) ? l : 100;
            await ApiProblems.JsonAsync(http, 200, gateway.Audit.Latest(string.IsNullOrEmpty(client) ? null : client, limit),
                ApiJsonContext.Http.IReadOnlyListApiAuditRecord);
        });
        app.MapGet("/catalog/apis", (HttpContext http) => ApiProblems.JsonAsync(http, 200,
            (IReadOnlyList<ApiCatalogueEntry>)gateway.Catalogue.All.Select(d => new ApiCatalogueEntry(d.Id, d.Version, d.Title, d.Layer, d.Owner, d.Sla,
                d.Lifecycle.State.ToString().ToLowerInvariant(), d.Lifecycle.DeprecatedAt, d.Lifecycle.SunsetAt, d.Lifecycle.Successor)).ToList(),
            ApiJsonContext.Http.IReadOnlyListApiCatalogueEntry));
    }
}
