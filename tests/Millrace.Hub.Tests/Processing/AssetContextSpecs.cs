using System.Text.Json;
using Millrace.Core.Events;
using Millrace.Hub.Processing.Context;

namespace Millrace.Hub.Tests.Processing;

public class AssetContextSpecs
{
    private const int Cnc = 0; // plant-01/line-1/cnc-01 in the fixture catalogue
    private const int ColdSensor = 1;

    [Fact]
    public void A_late_sample_is_attributed_to_the_order_in_effect_at_its_own_event_time()
    {
        var context = EnterpriseContextSource.From(HubFixture.Catalog);
        Assert.True(context.Apply(Released("PO-1", 1_000)));
        Assert.True(context.Apply(Released("PO-2", 5_000)));

        Assert.Null(context.At(Cnc, 999).Order);
        Assert.Equal("PO-1", context.At(Cnc, 1_000).Order!.OrderId);
        Assert.Equal("PO-1", context.At(Cnc, 4_999).Order!.OrderId); // arrives after PO-2 was released, still PO-1's
        Assert.Equal("PO-2", context.At(Cnc, 9_000).Order!.OrderId);
        var c = context.At(Cnc, 9_000);
        Assert.Equal(("plant-01", "plant-01/line-1"), (c.PlantId, c.LineId));
        Assert.Equal(500, c.Order!.PlannedQuantity);
        Assert.Same(c, context.At(Cnc, 9_500)); // same period: the cached context, no allocation per sample
    }

    [Fact]
    public void Releases_arriving_out_of_order_and_twice_give_the_same_timeline()
    {
        var context = EnterpriseContextSource.From(HubFixture.Catalog);
        context.Apply(Released("PO-2", 5_000));
        context.Apply(Released("PO-1", 1_000));
        context.Apply(Released("PO-1", 1_000));
        Assert.Equal("PO-1", context.At(Cnc, 2_000).Order!.OrderId);
        Assert.Equal("PO-2", context.At(Cnc, 6_000).Order!.OrderId);
    }

    [Fact]
    public void Completing_an_order_ends_it_only_while_it_is_still_the_running_one()
    {
        var context = EnterpriseContextSource.From(HubFixture.Catalog);
        context.Apply(Released("PO-1", 1_000));
        context.Apply(Released("PO-2", 5_000));
        Assert.False(context.Apply(Event("com.acme.production.order.completed.v1", 6_000, new() { ["orderId"] = "PO-1", ["line"] = "plant-01/line-1" })));
        Assert.Equal("PO-2", context.At(Cnc, 7_000).Order!.OrderId);
        Assert.True(context.Apply(Event("com.acme.production.order.closed.v1", 8_000, new() { ["orderId"] = "PO-2", ["line"] = "plant-01/line-1" })));
        Assert.Null(context.At(Cnc, 8_000).Order);
        Assert.Equal("PO-2", context.At(Cnc, 7_999).Order!.OrderId);
    }

    [Fact]
    public void The_simulators_flat_release_shape_and_events_for_unknown_lines_are_handled()
    {
        var context = EnterpriseContextSource.From(HubFixture.Catalog);
        Assert.True(context.Apply(Event("com.acme.production.order.released.v1", 1_000,
            new() { ["order"] = "PO-9", ["line"] = "plant-01/line-1", ["material"] = "FG-1", ["quantity"] = 750, ["unit"] = "pcs", ["lot"] = "L-7" })));
        var c = context.At(Cnc, 1_500);
        Assert.Equal(("PO-9", 750.0, "L-7"), (c.Order!.OrderId, c.Order.PlannedQuantity, c.LotId));
        Assert.False(context.Apply(Released("PO-X", 1_000, line: "plant-09/line-7")));
        Assert.Null(context.At(ColdSensor, 1_500).Order); // not on a line
    }

    private static CloudEvent Released(string order, long timeMs, string line = "plant-01/line-1")
        => Event("com.acme.production.order.released.v1", timeMs, new()
        {
            ["orderId"] = order, ["line"] = line, ["material"] = "FG-1", ["plannedQuantity"] = new Dictionary<string, object> { ["value"] = 500, ["unit"] = "pcs" },
        });

    private static CloudEvent Event(string type, long timeMs, Dictionary<string, object> data) => new()
    {
        Id = Guid.NewGuid().ToString(),
        Source = "/test",
        Type = type,
        Time = DateTimeOffset.FromUnixTimeMilliseconds(timeMs),
        DataKind = CloudEventDataKind.Json,
        Data = JsonSerializer.SerializeToUtf8Bytes(data),
    };
}
