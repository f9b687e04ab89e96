using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;

namespace Millrace.Sandbox.Systems;

/// <summary>The sandbox QMS (<c>/qms</c>): quality notifications and the stock blocked under them.</summary>
internal static class QmsSystem
{
    public static void Map(RouteGroupBuilder g, SandboxSystem qms)
    {
        SandboxHttp.Create(g, qms, "POST", "/quality-notifications", "create-quality-notification", (s, r) =>
        {
            r.Number("measured");
            return ErpSystem.Simple(s, r, "quality-notifications", "notification", "QN", ["asset", "characteristic", "unit", "severity", "reference"],
                ["measured", "lowerLimit", "upperLimit", "order", "material", "lot"], new JsonObject { ["status"] = "open" });
        });
        SandboxHttp.Create(g, qms, "POST", "/quality-notifications/{notification}/blocked-stock", "record-blocked-stock", (s, r) =>
        {
            string id = r.Text("notification");
            var notification = s.Collection("quality-notifications").FirstOrDefault(n => (string?)n["notification"] == id) ?? throw SandboxRequest.NotFound("quality notification", id);
            var entry = new JsonObject { ["notification"] = id, ["material"] = r.Text("material"), ["lot"] = r.Text("lot"), ["quantity"] = r.Raw("quantity") };
            s.Add("blocked-stock", entry, r.Key);
            notification["blocked"] = true;
            return SandboxAnswer.Created(new JsonObject { ["notification"] = id, ["blocked"] = true });
        });
        SandboxHttp.List(g, qms, "/quality-notifications", "quality-notifications");
        SandboxHttp.List(g, qms, "/blocked-stock", "blocked-stock");
    }
}
