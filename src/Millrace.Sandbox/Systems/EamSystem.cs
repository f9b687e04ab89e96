using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;

namespace Millrace.Sandbox.Systems;

/// <summary>The sandbox EAM (<c>/eam</c>): maintenance cases (open → closed) and work orders against an existing case.</summary>
internal static class EamSystem
{
    public static void Map(RouteGroupBuilder g, SandboxSystem eam)
    {
        SandboxHttp.Create(g, eam, "POST", "/maintenance-cases", "create-maintenance-case", (s, r) =>
            ErpSystem.Simple(s, r, "maintenance-cases", "case", "MC", ["asset", "alert", "severity", "description"], ["signal", "value"],
                new JsonObject { ["status"] = "open" }));
        SandboxHttp.Create(g, eam, "POST", "/work-orders", "create-work-order", (s, r) =>
        {
            string caseId = r.Text("case");
            var @case = Find(s, caseId);
            if ((string?)@case["status"] == "closed") throw SandboxRequest.Unprocessable($"maintenance case '{caseId}' is closed");
            return ErpSystem.Simple(s, r, "work-orders", "workOrder", "WO", ["case", "asset", "description"], ["plannedStart", "parts"], new JsonObject { ["status"] = "planned" });
        });
        SandboxHttp.Create(g, eam, "POST", "/maintenance-cases/{case}/close", "close-maintenance-case", (s, r) =>
        {
            string caseId = r.Text("case");
            var @case = Find(s, caseId);
            @case["status"] = "closed";
            @case["resolution"] = r.Text("resolution");
            return SandboxAnswer.Ok(new JsonObject { ["case"] = caseId, ["status"] = "closed" });
        });
        SandboxHttp.List(g, eam, "/maintenance-cases", "maintenance-cases");
        SandboxHttp.List(g, eam, "/work-orders", "work-orders");
    }

    private static JsonObject Find(SandboxSystem s, string id)
        => s.Collection("maintenance-cases").FirstOrDefault(c => (string?)c["case"] == id) ?? throw SandboxRequest.NotFound("maintenance case", id);
}
