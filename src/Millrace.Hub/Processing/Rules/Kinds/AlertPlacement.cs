using System.Text.Json.Nodes;
using Millrace.Core.Model;

namespace Millrace.Hub.Processing.Rules;

/// <summary>
/// Where an alerting asset sits in the plant, added to alert payloads: <c>plant</c> and <c>line</c> (the asset's line,
/// or its area for assets on no line). Workflows need them to act on the line (a schedule change for the asset's line)
/// and the expression language cannot take them apart from the asset id.
/// </summary>
internal static class AlertPlacement
{
    public static void Add(JsonObject data, Equipment equipment)
    {
        data["plant"] = equipment.SiteId;
        data["line"] = equipment.LineId ?? equipment.AreaId;
    }
}
