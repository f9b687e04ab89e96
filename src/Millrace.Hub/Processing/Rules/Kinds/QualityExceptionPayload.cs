using System.Text.Json.Nodes;

namespace Millrace.Hub.Processing.Rules;

/// <summary>
/// The data of a <c>quality.exception.raised</c> fact found by a threshold rule (<c>payload: quality-exception</c>):
/// an inline measurement (a checkweigher's pack weight, a torque) outside its specification limits. The order,
/// material and lot are those produced on the asset's line when the episode started, so the QMS notification and
/// the ERP stock block name the right lot.
/// </summary>
internal static class QualityExceptionPayload
{
    public static JsonObject Create(string factKey, string assetId, string characteristic, double measured, string unit,
        ThresholdParameters limits, string severity, long raisedAtMs, Millrace.Hub.Processing.Context.AssetContext context)
    {
        var data = new JsonObject
        {
            ["exceptionId"] = FactIds.Short("qe", factKey),
            ["asset"] = assetId,
            ["characteristic"] = characteristic,
            ["measured"] = measured,
            ["unit"] = unit,
        };
        if (limits.Below is { } lower) data["lowerLimit"] = lower;
        if (limits.Above is { } upper) data["upperLimit"] = upper;
        data["severity"] = severity;
        data["raisedAt"] = FactIds.Time(raisedAtMs);
        if (context.Order is { } order)
        {
            data["orderId"] = order.OrderId;
            data["material"] = order.MaterialId;
            data["lot"] = context.LotId ?? order.OrderId; // as production.completed names the lot
        }
        return data;
    }
}
