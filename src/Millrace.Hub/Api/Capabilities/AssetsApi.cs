using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Millrace.Hub.Api.Projections;
using Millrace.Hub.Processing.Telemetry;

namespace Millrace.Hub.Api.Capabilities;

/// <summary>
/// <c>assets/v1</c> (experience API): <c>GET /api/v1/assets/{*id}</c> — an asset's master data from the enterprise
/// model (plant, signals) and its live state from <c>asset.state.changed</c> events on the log.
/// </summary>
internal static class AssetsApi
{
    private const string Api = "assets/v1";

    public static void Map(WebApplication app, ApiGateway gateway, BusinessProjections projections, TelemetryCatalog catalog)
    {
        app.MapGet("/api/v1/assets/{**id}", async (HttpContext http, string id) =>
        {
            long started = System.Diagnostics.Stopwatch.GetTimestamp();
            try
            {
                if (await gateway.AdmitCallerAsync(http, Api, "assets:read") is not { } caller) return;
                if (!catalog.TryFindAsset(id, out int asset))
                {
                    await ApiProblems.WriteAsync(http, 404, "not-found", "Unknown asset", $"the enterprise model has no asset '{id}'");
                    return;
                }
                string plant = catalog.Plants[catalog.PlantOf(asset)];
                if (!caller.Client.MayActForPlant(plant))
                {
                    await ApiProblems.ForbiddenAsync(http, $"asset '{id}' belongs to another plant");
                    return;
                }
                var signals = Enumerable.Range(0, catalog.SignalCount).Where(s => catalog.AssetOfSignal(s) == asset).Select(catalog.SignalName).ToList();
                var state = projections.AssetState(id);
                await ApiProblems.JsonAsync(http, 200, new AssetView(id, plant, signals, state?.State, state?.At), ApiJsonContext.Http.AssetView);
            }
            finally
            {
                gateway.Count(http, Api, started);
            }
        });
    }
}
