using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;

namespace Millrace.Sandbox.Systems;

/// <summary>The sandbox WMS (<c>/wms</c>): lots by storage location, outbound shipments and holds on them.</summary>
internal static class WmsSystem
{
    public static void Seed(SandboxSystem wms)
    {
        foreach (var l in SandboxSeed.Lots())
            wms.Add("lots", new JsonObject { ["lot"] = l.LotId, ["material"] = l.Material, ["quantity"] = l.Quantity, ["unit"] = l.Unit, ["location"] = l.Location }, null);
        foreach (var sh in SandboxSeed.Shipments())
            wms.Add("shipments", new JsonObject { ["shipment"] = sh.Id, ["plant"] = sh.Plant, ["status"] = "staged", ["destination"] = sh.Destination, ["lots"] = new JsonArray([.. sh.Lots.Select(x => (JsonNode)x)]) }, null);
    }

    public static void Map(RouteGroupBuilder g, SandboxSystem wms)
    {
        // locations contain '/', so they travel in the query string: /wms/lots?location=plant-01/cold-store/bay-a
        SandboxHttp.Read(g, wms, "/lots", "read-lots-at-location", (s, r) =>
        {
            string location = r.OptionalText("location") ?? throw new SandboxRefusal(400, "Invalid input", "'location' is required");
            var lots = new JsonArray();
            foreach (var l in s.Collection("lots").Where(l => (string?)l["location"] == location))
                lots.Add(new JsonObject { ["lot"] = l["lot"]!.DeepClone(), ["material"] = l["material"]!.DeepClone(), ["quantity"] = l["quantity"]!.DeepClone(), ["unit"] = l["unit"]!.DeepClone() });
            return SandboxAnswer.Ok(new JsonObject { ["location"] = location, ["lots"] = lots });
        });
        SandboxHttp.Read(g, wms, "/shipments/{shipment}", "read-shipment", (s, r) => SandboxAnswer.Ok(Find(s, r.Text("shipment")).DeepClone().AsObject()));
        SandboxHttp.Create(g, wms, "POST", "/shipments/{shipment}/hold", "hold-shipment", (s, r) =>
        {
            string id = r.Text("shipment");
            var shipment = Find(s, id);
            shipment["status"] = "held";
            s.Add("holds", new JsonObject { ["shipment"] = id, ["reason"] = r.Text("reason"), ["reference"] = r.Text("reference") }, r.Key);
            return SandboxAnswer.Ok(new JsonObject { ["shipment"] = id, ["status"] = "held" });
        });
        SandboxHttp.List(g, wms, "/shipments", "shipments");
        SandboxHttp.List(g, wms, "/holds", "holds");
    }

    private static JsonObject Find(SandboxSystem s, string id)
        => s.Collection("shipments").FirstOrDefault(x => (string?)x["shipment"] == id) ?? throw SandboxRequest.NotFound("shipment", id);
}
