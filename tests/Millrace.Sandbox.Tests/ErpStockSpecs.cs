using System.Net;
using System.Text.Json;

namespace Millrace.Sandbox.Tests;

/// <summary>ERP stock semantics: seeded lots per location, blocks, movements, reservations against available stock.</summary>
public sealed class ErpStockSpecs : IAsyncLifetime
{
    private readonly SandboxClient _c = new();

    public Task InitializeAsync() => _c.InitializeAsync();

    public Task DisposeAsync() => _c.DisposeAsync();

    private async Task<double> AvailableAsync(string material, string plant)
        => (await _c.GetJsonAsync($"erp/stock?material={material}&plant={plant}")).GetProperty("available").GetDouble();

    [Fact]
    public async Task Seeded_stock_matches_the_acme_locations_and_the_wms_lots()
    {
        var stock = await _c.GetJsonAsync("erp/stock?material=RM-3001&location=plant-05/cold-store/bay-b");
        var lots = await _c.GetJsonAsync("wms/lots?location=plant-05%2Fcold-store%2Fbay-b");
        var item = Assert.Single(stock.GetProperty("items").EnumerateArray());
        Assert.Equal(("L5-RM-3001-003", 300.0, "kg", false), (item.GetProperty("lot").GetString(), item.GetProperty("quantity").GetDouble(), item.GetProperty("unit").GetString(), item.GetProperty("blocked").GetBoolean()));
        Assert.Equal("L5-RM-3001-003", Assert.Single(lots.GetProperty("lots").EnumerateArray()).GetProperty("lot").GetString());
        Assert.Equal(950, await AvailableAsync("RM-3001", "plant-05"));
    }

    [Fact]
    public async Task A_reservation_takes_from_available_stock_and_one_beyond_it_is_refused()
    {
        using var ok = await _c.PostAsync("erp/reservations", """{"material":"RM-3001","quantity":900,"unit":"kg","plant":"plant-04","reference":"MC-1"}""", "res-1");
        using var tooMuch = await _c.PostAsync("erp/reservations", """{"material":"RM-3001","quantity":100,"unit":"kg","plant":"plant-04","reference":"MC-2"}""", "res-2");
        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.UnprocessableEntity), (ok.StatusCode, tooMuch.StatusCode));
        Assert.Contains("only 50 of RM-3001 available in plant-04", (await _c.JsonAsync(tooMuch)).GetProperty("detail").GetString());
        Assert.Equal(50, await AvailableAsync("RM-3001", "plant-04"));
    }

    [Fact]
    public async Task Releasing_a_reservation_is_safe_to_repeat_and_to_aim_at_an_unknown_one()
    {
        using var reserved = await _c.PostAsync("erp/reservations", """{"material":"CP-5001","quantity":5000,"unit":"ea","plant":"plant-06","reference":"MC-1"}""", "res-3");
        var id = (await _c.JsonAsync(reserved)).GetProperty("reservation").GetString();
        Assert.Equal(15000, await AvailableAsync("CP-5001", "plant-06"));
        foreach (var (target, key) in new[] { (id, "rel-1"), (id, "rel-2"), ("RES-999999", "rel-3") })
        {
            using var released = await _c.PostAsync($"erp/reservations/{target}/release", "{}", key);
            Assert.Equal(HttpStatusCode.OK, released.StatusCode);
            Assert.Equal("released", (await _c.JsonAsync(released)).GetProperty("status").GetString());
        }
        Assert.Equal(20000, await AvailableAsync("CP-5001", "plant-06"));
    }

    [Fact]
    public async Task Blocking_a_lot_takes_it_out_of_available_stock_and_shows_it_blocked()
    {
        using var blocked = await _c.PostAsync("erp/stock-blocks", """{"material":"RM-3001","lot":"L7-RM-3001-001","quantity":100,"reason":"cold-chain"}""", "blk-1");
        var body = await _c.JsonAsync(blocked);
        Assert.Equal(100, body.GetProperty("blockedQuantity").GetDouble());
        var items = (await _c.GetJsonAsync("erp/stock?material=RM-3001&lot=L7-RM-3001-001")).GetProperty("items").EnumerateArray()
            .Select(i => (i.GetProperty("quantity").GetDouble(), i.GetProperty("blocked").GetBoolean())).Order().ToList();
        Assert.Equal([(100.0, true), (300.0, false)], items);
        Assert.Equal(850, await AvailableAsync("RM-3001", "plant-07"));
    }

    [Fact]
    public async Task Blocking_a_lot_not_received_yet_blocks_its_batch_so_what_is_received_later_arrives_blocked()
    {
        using var blocked = await _c.PostAsync("erp/stock-blocks", """{"material":"FG-1001","lot":"L1-FG-1001-777","reason":"quality exception qe-1"}""", "blk-early");
        Assert.Equal(HttpStatusCode.Created, blocked.StatusCode);
        Assert.Equal(0, (await _c.JsonAsync(blocked)).GetProperty("blockedQuantity").GetDouble());
        using var receipt = await _c.PostAsync("erp/goods-receipts", """{"order":"PO-1","material":"FG-1001","quantity":40,"unit":"ea","lot":"L1-FG-1001-777","location":"plant-01"}""", "gr-early");
        Assert.Equal(HttpStatusCode.Created, receipt.StatusCode);
        var item = Assert.Single((await _c.GetJsonAsync("erp/stock?material=FG-1001&lot=L1-FG-1001-777")).GetProperty("items").EnumerateArray());
        Assert.Equal((40.0, true), (item.GetProperty("quantity").GetDouble(), item.GetProperty("blocked").GetBoolean()));
        using var quantity = await _c.PostAsync("erp/stock-blocks", """{"material":"FG-1001","lot":"L1-FG-1001-778","quantity":5,"reason":"x"}""", "blk-none");
        Assert.Equal(HttpStatusCode.NotFound, quantity.StatusCode); // a quantity of a lot that is nowhere cannot be blocked
    }

    [Fact]
    public async Task A_goods_movement_moves_stock_between_locations_and_refuses_more_than_is_there()
    {
        using var moved = await _c.PostAsync("erp/goods-movements", """{"material":"RM-4001","quantity":500,"unit":"kg","from":"plant-08/stores","to":"plant-08/cnc-1","reason":"line supply"}""", "mv-1");
        using var tooMuch = await _c.PostAsync("erp/goods-movements", """{"material":"RM-4001","quantity":5000,"unit":"kg","from":"plant-08/stores","to":"plant-08/cnc-1","reason":"line supply"}""", "mv-2");
        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.UnprocessableEntity), (moved.StatusCode, tooMuch.StatusCode));
        var at = (await _c.GetJsonAsync("erp/stock?material=RM-4001&plant=plant-08")).GetProperty("items").EnumerateArray()
            .Select(i => (i.GetProperty("location").GetString(), i.GetProperty("quantity").GetDouble())).Order().ToList();
        Assert.Equal([("plant-08/cnc-1", 500.0), ("plant-08/stores", 1000.0)], at);
    }

    [Fact]
    public async Task Confirmations_add_up_on_the_order_and_a_final_one_closes_it()
    {
        using var a = await _c.PostAsync("erp/production-orders/PO-200003/confirmations", """{"good":100,"scrap":2,"unit":"ea","final":false}""", "c-1");
        using var b = await _c.PostAsync("erp/production-orders/PO-200003/confirmations", """{"good":50,"scrap":1,"unit":"ea","final":true}""", "c-2");
        using var late = await _c.PostAsync("erp/production-orders/PO-200003/confirmations", """{"good":1,"unit":"ea"}""", "c-3");
        var order = await _c.GetJsonAsync("erp/production-orders/PO-200003");
        Assert.Equal((150.0, 3.0, "closed"), (order.GetProperty("confirmedGood").GetDouble(), order.GetProperty("confirmedScrap").GetDouble(), order.GetProperty("status").GetString()));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, late.StatusCode);
    }

    [Fact]
    public async Task A_batch_status_other_than_released_blocks_the_lots_stock()
    {
        using var set = await _c.PostAsync("erp/materials/RM-3002/lots/L1-RM-3002-001/status", """{"status":"blocked"}""", "bs-1", HttpMethod.Put);
        using var bad = await _c.PostAsync("erp/materials/RM-3002/lots/L1-RM-3002-001/status", """{"status":"frozen"}""", "bs-2", HttpMethod.Put);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.UnprocessableEntity), (set.StatusCode, bad.StatusCode));
        Assert.Equal(600, await AvailableAsync("RM-3002", "plant-01"));
    }
}
