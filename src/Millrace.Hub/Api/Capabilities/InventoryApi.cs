using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Millrace.Hub.Api.Projections;

namespace Millrace.Hub.Api.Capabilities;

/// <summary>
/// <c>inventory/v1</c> (system API over the warehouse): adjust stock (<c>POST /api/v1/inventory/adjustments</c> →
/// <c>inventory.adjusted.v1</c>; the plant is the first segment of <c>storageLocation</c>) and read availability by
/// material and plant (<c>GET /api/v1/inventory/availability?material=&amp;plant=</c>) from the projection.
/// </summary>
internal static class InventoryApi
{
    private const string Api = "inventory/v1";

    public static void Map(WebApplication app, ApiGateway gateway, BusinessProjections projections)
    {
        var adjust = new CommandSpec(Api, "inventory:write", "inventory.adjusted.v1", (http, caller, body) =>
        {
            string? plant = BodyFields.PlantOf(BodyFields.Text(body, "storageLocation"));
            if (!caller.Client.MayActForPlant(plant))
                return CommandDecision.Deny($"client '{caller.Client.Id}' may not adjust stock of plant '{plant}'");
            return CommandDecision.Proceed(BodyFields.Text(body, "adjustmentId"), plant);
        });
        app.MapPost("/api/v1/inventory/adjustments", (HttpContext http) => gateway.HandleCommandAsync(http, adjust));
        app.MapGet("/api/v1/inventory/availability", async (HttpContext http) =>
        {
            long started = System.Diagnostics.Stopwatch.GetTimestamp();
            try
            {
                if (await gateway.AdmitCallerAsync(http, Api, "inventory:read") is not { } caller) return;
                string? material = http.Request.Query["material"], plant = http.Request.Query["plant"];
                if (string.IsNullOrEmpty(material) || string.IsNullOrEmpty(plant))
                {
                    await ApiProblems.WriteAsync(http, 400, "validation-failed", "Missing query parameters", "both 'material' and 'plant' are required",
                        [.. (string.IsNullOrEmpty(material) ? new[] { new Hosting.ProblemError("/query/material", "required") } : []),
                         .. (string.IsNullOrEmpty(plant) ? new[] { new Hosting.ProblemError("/query/plant", "required") } : [])]);
                    return;
                }
                if (!caller.Client.MayActForPlant(plant))
                {
                    await ApiProblems.ForbiddenAsync(http, $"client '{caller.Client.Id}' may not read stock of plant '{plant}'");
                    return;
                }
                await ApiProblems.JsonAsync(http, 200, projections.Availability(material, plant), ApiJsonContext.Http.InventoryAvailabilityView);
            }
            finally
            {
                gateway.Count(http, Api, started);
            }
        });
    }
}
