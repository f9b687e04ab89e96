using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Millrace.Hub.Api.Projections;
using Millrace.Hub.Hosting;

namespace Millrace.Hub.Api.Capabilities;

/// <summary>
/// <c>production-orders/v1</c> (process API): release a production order to the floor
/// (<c>POST /api/v1/production-orders/{id}/release</c> → <c>production.order.released.v1</c>) and read its status and
/// confirmed quantities from the hub's projection (<c>GET /api/v1/production-orders/{id}</c>). A plant-scoped client
/// (a plant's MES) may release and read only its own plants' orders.
/// </summary>
internal static class ProductionOrdersApi
{
    private const string Api = "production-orders/v1";

    public static void Map(WebApplication app, ApiGateway gateway, BusinessProjections projections)
    {
        var release = new CommandSpec(Api, "production:write", "production.order.released.v1", (http, caller, body) =>
        {
            string id = (string)http.Request.RouteValues["id"]!;
            if (BodyFields.Text(body, "orderId") is { } orderId && orderId != id)
                return CommandDecision.Invalid([new ProblemError("/orderId", $"'{orderId}' differs from the order in the path ('{id}')")]);
            string? plant = BodyFields.Text(body, "plant");
            if (!caller.Client.MayActForPlant(plant))
                return CommandDecision.Deny($"client '{caller.Client.Id}' may not release orders of plant '{plant}'");
            if (projections.Order(id) is { } known && !caller.Client.MayActForPlant(known.Plant))
                return CommandDecision.Deny($"order '{id}' belongs to plant '{known.Plant}'");
            return CommandDecision.Proceed(id, plant);
        });
        app.MapPost("/api/v1/production-orders/{id}/release", (HttpContext http) => gateway.HandleCommandAsync(http, release));
        app.MapGet("/api/v1/production-orders/{id}", async (HttpContext http, string id) =>
        {
            long started = System.Diagnostics.Stopwatch.GetTimestamp();
            try
            {
                if (await gateway.AdmitCallerAsync(http, Api, "production:read") is not { } caller) return;
                if (projections.Order(id) is not { } order)
                {
                    await ApiProblems.WriteAsync(http, 404, "not-found", "Unknown production order", $"no production order '{id}' was released through the log");
                    return;
                }
                if (!caller.Client.MayActForPlant(order.Plant))
                {
                    await ApiProblems.ForbiddenAsync(http, $"order '{id}' belongs to another plant");
                    return;
                }
                await ApiProblems.JsonAsync(http, 200, order, ApiJsonContext.Http.ProductionOrderView);
            }
            finally
            {
                gateway.Count(http, Api, started);
            }
        });
    }
}
