using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Millrace.Hub.Api.Capabilities;

/// <summary>
/// <c>maintenance/v1</c>: request a work order (<c>POST /api/v1/maintenance/work-orders</c> →
/// <c>maintenance.workorder.requested.v1</c>; the plant is the asset's first segment). <c>quality/v1</c>: update the
/// disposition of a lot (<c>POST /api/v1/quality/dispositions</c> → <c>quality.disposition.updated.v1</c>).
/// </summary>
internal static class MaintenanceAndQualityApi
{
    public static void Map(WebApplication app, ApiGateway gateway)
    {
        var workOrder = new CommandSpec("maintenance/v1", "maintenance:write", "maintenance.workorder.requested.v1", (http, caller, body) =>
        {
            string? plant = BodyFields.PlantOf(BodyFields.Text(body, "asset"));
            return caller.Client.MayActForPlant(plant)
                ? CommandDecision.Proceed(BodyFields.Text(body, "requestId"), plant)
                : CommandDecision.Deny($"client '{caller.Client.Id}' may not request work on assets of plant '{plant}'");
        });
        var disposition = new CommandSpec("quality/v1", "quality:write", "quality.disposition.updated.v1",
            (http, caller, body) => CommandDecision.Proceed(BodyFields.Text(body, "exceptionId"), null));
        app.MapPost("/api/v1/maintenance/work-orders", (HttpContext http) => gateway.HandleCommandAsync(http, workOrder));
        app.MapPost("/api/v1/quality/dispositions", (HttpContext http) => gateway.HandleCommandAsync(http, disposition));
    }
}
