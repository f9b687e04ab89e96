using System.Text.Json;
using System.Text.Json.Nodes;
using Millrace.Hub.Connectors;
using Millrace.Hub.Connectors.Tryton;

namespace Millrace.Hub.Tests.Connectors.Tryton;

/// <summary>Goods movements, receipts, lots and stock reads against a real trytond.</summary>
public sealed class TrytonConnectorStockTests(TrytonServer tryton) : IClassFixture<TrytonServer>
{
    private static ConnectorCall Call(string operation, string json, string key = "k") => new(operation, TrytonServer.Json(json), key);

    private static double Available(ConnectorResult r) => r.Output!.Value.GetProperty("available").GetDouble();

    private async Task<int> CountAsync(string model, string field, string value)
    {
        using var rpc = tryton.NewClient();
        return (await rpc.CallAsync(model, "search_count", new JsonArray(new JsonArray(new JsonArray(field, "=", value))))).GetInt32();
    }

    [Fact]
    public async Task A_goods_receipt_with_a_lot_raises_the_lots_stock_once_however_often_it_is_posted()
    {
        var lot = "RCV-" + Guid.NewGuid().ToString("N")[..8];
        await using var erp = new TrytonConnector("erp", tryton.Options);
        var receipt = Call("post-goods-receipt", $$"""{"order":"PUR-77","material":"RM-3001","quantity":12.5,"unit":"kg","lot":"{{lot}}"}""", "asn-1:" + lot);

        var first = await erp.InvokeAsync(receipt);
        var again = await erp.InvokeAsync(receipt);
        var stock = await erp.InvokeAsync(Call("read-stock", $$"""{"material":"RM-3001","location":"STO","lot":"{{lot}}"}"""));

        Assert.True(first.Outcome == ConnectorOutcome.Succeeded, first.Reason);
        Assert.False(first.Replayed);
        Assert.Equal((ConnectorOutcome.Succeeded, true, first.DocumentId), (again.Outcome, again.Replayed, again.DocumentId));
        Assert.Equal(12.5, Available(stock));
        Assert.Equal(1, await CountAsync("stock.shipment.in", "reference", "PUR-77/asn-1:" + lot));
    }

    [Fact]
    public async Task An_adjustment_moves_stock_to_lost_and_found_once_per_key()
    {
        await using var erp = new TrytonConnector("erp", tryton.Options);
        var before = Available(await erp.InvokeAsync(Call("read-stock", """{"material":"CP-5001","location":"STO"}""")));
        var key = "adj-" + Guid.NewGuid().ToString("N")[..8];
        var adjustment = Call("post-goods-movement", """{"material":"CP-5001","quantity":40,"unit":"ea","from":"STO","to":"LF","reason":"adjustment"}""", key);

        var first = await erp.InvokeAsync(adjustment);
        var again = await erp.InvokeAsync(adjustment);
        var after = Available(await erp.InvokeAsync(Call("read-stock", """{"material":"CP-5001","location":"STO"}""")));

        Assert.Equal((ConnectorOutcome.Succeeded, ConnectorOutcome.Succeeded, true), (first.Outcome, again.Outcome, again.Replayed));
        Assert.Equal(before - 40, after);
        Assert.Equal(1, await CountAsync("stock.shipment.internal", "reference", key));
    }

    [Fact]
    public async Task A_movement_of_an_unknown_material_is_permanent_and_names_the_material()
    {
        await using var erp = new TrytonConnector("erp", tryton.Options);

        var result = await erp.InvokeAsync(Call("post-goods-movement", """{"material":"XX-0000","quantity":1,"from":"STO","to":"LF"}"""));

        Assert.Equal(ConnectorOutcome.Permanent, result.Outcome);
        Assert.Contains("material 'XX-0000' has no product in Tryton", result.Reason);
    }

    [Fact]
    public async Task A_movement_to_a_supplier_location_is_permanent_and_points_to_the_right_operation()
    {
        await using var erp = new TrytonConnector("erp", tryton.Options);

        var result = await erp.InvokeAsync(Call("post-goods-movement", """{"material":"CP-5001","quantity":1,"from":"STO","to":"SUP"}"""));

        Assert.Equal(ConnectorOutcome.Permanent, result.Outcome);
        Assert.Contains("post-goods-receipt", result.Reason);
    }

    [Fact]
    public async Task Creating_a_lot_twice_is_one_lot()
    {
        var lot = "LOT-" + Guid.NewGuid().ToString("N")[..8];
        await using var erp = new TrytonConnector("erp", tryton.Options);

        var first = await erp.InvokeAsync(Call("create-lot", $$"""{"material":"FG-2001","lot":"{{lot}}"}"""));
        var second = await erp.InvokeAsync(Call("create-lot", $$"""{"material":"FG-2001","lot":"{{lot}}"}"""));

        Assert.Equal(first.Output!.Value.GetProperty("id").GetInt32(), second.Output!.Value.GetProperty("id").GetInt32());
        Assert.Equal(1, await CountAsync("stock.lot", "number", lot));
    }

    [Fact]
    public async Task A_confirmation_short_of_stock_is_permanent_and_succeeds_on_resubmit_once_the_stock_is_received()
    {
        var order = "PO-S" + Guid.NewGuid().ToString("N")[..8];
        await tryton.CreatePlannedOrderAsync(order, "FG-2001", 1000);
        await using var erp = new TrytonConnector("erp", tryton.Options);
        var stock = Available(await erp.InvokeAsync(Call("read-stock", """{"material":"RM-4001","location":"STO"}""")));
        // more housings than the bar in stock allows (1.8 kg each)
        var good = Math.Ceiling(stock / 1.8) + 10;
        var confirm = Call("confirm-production", $$"""{"order":"{{order}}","good":{{good}},"scrap":0,"lot":"L-{{order}}","final":true}""", "wf-short:confirm");

        var refused = await erp.InvokeAsync(confirm);
        var received = await erp.InvokeAsync(Call("post-goods-receipt", """{"material":"RM-4001","quantity":100,"unit":"kg"}""", "fix-" + order));
        var resubmitted = await erp.InvokeAsync(confirm);

        Assert.Equal(ConnectorOutcome.Permanent, refused.Outcome);
        Assert.Contains("not enough stock", refused.Reason);
        Assert.Equal(ConnectorOutcome.Succeeded, received.Outcome);
        Assert.Equal(ConnectorOutcome.Succeeded, resubmitted.Outcome);
        Assert.Equal(good, resubmitted.Output!.Value.GetProperty("confirmedGood").GetDouble());
        using var rpc = tryton.NewClient();
        var productions = await rpc.CallAsync("production", "search_count", new JsonArray(new JsonArray(new JsonArray("reference", "like", order + "%"))));
        Assert.Equal(1, productions.GetInt32());
    }
}
