using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Millrace.Hub.Hosting;

namespace Millrace.Hub.Api.Capabilities;

/// <summary>
/// <c>asn/v1</c> and <c>asn/v2</c> (experience APIs for the supplier portal): take in an advance shipping notice,
/// <c>POST /api/v{1,2}/suppliers/{supplier}/asns</c> → <c>supplier.asn.received.v1</c>. The breaking change of v2:
/// every line must carry its <c>supplierLot</c> (v1 leaves lots optional). v1 is deprecated and answers with
/// <c>Deprecation</c>, <c>Sunset</c> and a successor link. A partner acts for its own supplier id only.
/// </summary>
internal static class AsnApi
{
    public static void Map(WebApplication app, ApiGateway gateway)
    {
        var v1 = new CommandSpec("asn/v1", "asn:write", "supplier.asn.received.v1", (http, caller, body) => Decide(http, caller, body, requireLots: false));
        var v2 = new CommandSpec("asn/v2", "asn:write", "supplier.asn.received.v1", (http, caller, body) => Decide(http, caller, body, requireLots: true));
        app.MapPost("/api/v1/suppliers/{supplier}/asns", (HttpContext http) => gateway.HandleCommandAsync(http, v1));
        app.MapPost("/api/v2/suppliers/{supplier}/asns", (HttpContext http) => gateway.HandleCommandAsync(http, v2));
    }

    private static CommandDecision Decide(HttpContext http, Identity.ApiCaller caller, JsonElement body, bool requireLots)
    {
        string supplier = (string)http.Request.RouteValues["supplier"]!;
        if (!caller.Client.MayActForSupplier(supplier))
            return CommandDecision.Deny($"client '{caller.Client.Id}' may not send ASNs for supplier '{supplier}'");
        string? plant = BodyFields.Text(body, "plant");
        if (!caller.Client.MayActForPlant(plant))
            return CommandDecision.Deny($"client '{caller.Client.Id}' may not send ASNs to plant '{plant}'");
        var violations = new List<ProblemError>();
        if (BodyFields.Text(body, "supplier") is { } named && named != supplier)
            violations.Add(new ProblemError("/supplier", $"'{named}' differs from the supplier in the path ('{supplier}')"));
        if (requireLots && body.TryGetProperty("lines", out var lines) && lines.ValueKind == JsonValueKind.Array)
        {
            int i = 0;
            foreach (var line in lines.EnumerateArray())
            {
                if (line.ValueKind == JsonValueKind.Object && !line.TryGetProperty("supplierLot", out _))
                    violations.Add(new ProblemError($"/lines/{i}/supplierLot", "asn/v2 requires the supplier's lot number on every line"));
                i++;
            }
        }
        return violations.Count > 0 ? CommandDecision.Invalid(violations) : CommandDecision.Proceed(BodyFields.Text(body, "asnId"), plant);
    }
}
