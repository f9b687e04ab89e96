using System.Globalization;
using System.Text.Json;
using Millrace.Core.Events;

namespace Millrace.Hub.Processing.Context;

/// <summary>What a context event changes: the period of a line (order, lot) or of a storage location (lot) from a time on.</summary>
/// <param name="ScopeId">Full id of the line or storage location.</param>
/// <param name="Period">The new period.</param>
/// <param name="EndsOrderId">For an order completed/closed event: the order that ends (the period applies only if it is still the running one).</param>
internal sealed record ContextChange(string ScopeId, LinePeriod Period, string? EndsOrderId = null);

/// <summary>
/// Reads the events that move production context. Types are matched by their name without the publisher prefix and
/// version (<c>com.acme.production.order.released.v1</c> is <c>production.order.released</c>), so any enterprise's
/// catalogue works:
/// <list type="bullet">
/// <item><c>production.order.released</c>: the order runs on <c>data.line</c> (else the partition key) from the event time;
/// data in the catalogue shape (<c>orderId</c>, <c>plannedQuantity {value, unit}</c>) or the simulator's flat shape
/// (<c>order</c>, <c>quantity</c>, <c>unit</c>); <c>lot</c> when present.</item>
/// <item><c>production.order.completed</c> / <c>production.order.closed</c>: the line has no order from the event time.</item>
/// <item><c>inventory.moved</c> with <c>lot</c>: that lot is in <c>toLocation</c> from <c>movedAt</c> (or the event time).</item>
/// </list>
/// </summary>
internal static class ContextEvents
{
    /// <summary>True for the types that move context (cheap: the log keeps the type beside the payload).</summary>
    public static bool IsContextType(string? type) => type is not null && Kind(type) != ContextKind.None;

    /// <summary>The change the event makes, or null when it is not a context event or lacks what it needs.</summary>
    public static ContextChange? Read(CloudEvent e)
    {
        var kind = Kind(e.Type);
        if (kind == ContextKind.None || e.DataKind != CloudEventDataKind.Json || e.Data.IsEmpty) return null;
        try
        {
            using var doc = JsonDocument.Parse(e.Data);
            var data = doc.RootElement;
            if (data.ValueKind != JsonValueKind.Object) return null;
            long? time = e.Time?.ToUnixTimeMilliseconds();
            switch (kind)
            {
                case ContextKind.OrderReleased:
                {
                    string? line = Text(data, "line") ?? e.PartitionKey;
                    string? order = Text(data, "orderId") ?? Text(data, "order") ?? e.Subject;
                    time ??= Timestamp(data, "releasedAt");
                    if (line is null || order is null || time is null) return null;
                    double planned = 0;
                    string unit = Text(data, "unit") ?? "pcs";
                    if (data.TryGetProperty("plannedQuantity", out var pq) && pq.ValueKind == JsonValueKind.Object)
                    {
                        if (pq.TryGetProperty("value", out var v) && v.ValueKind == JsonValueKind.Number) planned = v.GetDouble();
                        unit = Text(pq, "unit") ?? unit;
                    }
                    else if (data.TryGetProperty("quantity", out var q) && q.ValueKind == JsonValueKind.Number) planned = q.GetDouble();
                    var active = new ActiveOrder(order, Text(data, "material") ?? "", planned, unit, time.Value);
                    return new ContextChange(line, new LinePeriod(time.Value, active, Text(data, "lot")));
                }
                case ContextKind.OrderEnded:
                {
                    string? line = Text(data, "line") ?? e.PartitionKey;
                    string? order = Text(data, "orderId") ?? Text(data, "order") ?? e.Subject;
                    if (line is null || order is null || time is null) return null;
                    return new ContextChange(line, new LinePeriod(time.Value, null, null), order);
                }
                case ContextKind.LotMoved:
                {
                    string? location = Text(data, "toLocation");
                    string? lot = Text(data, "lot");
                    time = Timestamp(data, "movedAt") ?? time;
                    if (location is null || lot is null || time is null) return null;
                    return new ContextChange(location, new LinePeriod(time.Value, null, lot));
                }
            }
        }
        catch (JsonException)
        {
        }
        return null;
    }

    private enum ContextKind { None, OrderReleased, OrderEnded, LotMoved }

    private static ContextKind Kind(string type)
    {
        var name = type.AsSpan();
        // Drop a trailing ".v<digits>" version.
        int dot = name.LastIndexOf('.');
        if (dot > 0 && name.Length > dot + 2 && name[dot + 1] == 'v' && int.TryParse(name[(dot + 2)..], NumberStyles.None, CultureInfo.InvariantCulture, out _))
            name = name[..dot];
        if (EndsWithName(name, "production.order.released")) return ContextKind.OrderReleased;
        if (EndsWithName(name, "production.order.completed") || EndsWithName(name, "production.order.closed")) return ContextKind.OrderEnded;
        if (EndsWithName(name, "inventory.moved")) return ContextKind.LotMoved;
        return ContextKind.None;
    }

    private static bool EndsWithName(ReadOnlySpan<char> type, string name)
        => type.EndsWith(name, StringComparison.Ordinal) && (type.Length == name.Length || type[type.Length - name.Length - 1] == '.');

    private static string? Text(JsonElement obj, string name)
        => obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s ? s : null;

    private static long? Timestamp(JsonElement obj, string name)
        => Text(obj, name) is { } s && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
            ? t.ToUnixTimeMilliseconds() : null;
}
