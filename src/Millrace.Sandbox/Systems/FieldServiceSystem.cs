using Microsoft.AspNetCore.Routing;

namespace Millrace.Sandbox.Systems;

/// <summary>The sandbox field-service system (<c>/field-service</c>): notices to technicians.</summary>
internal static class FieldServiceSystem
{
    public static void Map(RouteGroupBuilder g, SandboxSystem fs)
    {
        SandboxHttp.Create(g, fs, "POST", "/notices", "create-notice", (s, r) =>
            ErpSystem.Simple(s, r, "notices", "notice", "FSN", ["asset", "case", "priority", "message"]));
        SandboxHttp.List(g, fs, "/notices", "notices");
    }
}
