using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;

namespace Millrace.Sandbox.Systems;

/// <summary>
/// The sandbox ERP (<c>/erp</c>): production orders and confirmations, goods receipts and movements, stock by
/// material/location/lot with batch status and blocks, reservations, schedule changes, cost postings, exceptions and
/// inbound deliveries (ASN). Stock semantics: available = unblocked stock of the material (in the plant) minus open
/// reservations; a reservation beyond it is refused 422; releasing a released or unknown reservation succeeds.
/// </summary>
internal static class ErpSystem
{
    public static void Seed(SandboxSystem erp)
    {
        foreach (var o in SandboxSeed.Orders())
            erp.Add("production-orders", OrderDocument(o.Id, o.Plant, o.Line, o.Material, o.Planned, o.Unit), null);
        foreach (var l in SandboxSeed.Lots())
        {
            erp.Add("stock", new JsonObject { ["material"] = l.Material, ["plant"] = l.Plant, ["location"] = l.Location, ["lot"] = l.LotId, ["quantity"] = l.Quantity, ["unit"] = l.Unit, ["blocked"] = false }, null);
            erp.Add("batches", new JsonObject { ["material"] = l.Material, ["lot"] = l.LotId, ["status"] = "released" }, null);
        }
    }

    public static void Map(RouteGroupBuilder g, SandboxSystem erp, SandboxOptions options)
    {
        SandboxHttp.Read(g, erp, "/production-orders/{order}", "read-production-order", (s, r) => SandboxAnswer.Ok(FindOrder(s, r.Text("order")).DeepClone().AsObject()));
        SandboxHttp.Create(g, erp, "POST", "/production-orders/{order}/confirmations", "confirm-production", (s, r) => Confirm(s, r, options));
        SandboxHttp.Create(g, erp, "POST", "/goods-receipts", "post-goods-receipt", (s, r) => GoodsReceipt(s, r, options));
        SandboxHttp.Create(g, erp, "PUT", "/materials/{material}/lots/{lot}/status", "set-batch-status", BatchStatus);
        SandboxHttp.Create(g, erp, "POST", "/goods-movements", "post-goods-movement", GoodsMovement);
        SandboxHttp.Create(g, erp, "POST", "/stock-blocks", "block-stock", BlockStock);
        SandboxHttp.Read(g, erp, "/stock", "read-stock", ReadStock);
        SandboxHttp.Create(g, erp, "POST", "/reservations", "reserve-material", Reserve);
        SandboxHttp.Create(g, erp, "POST", "/reservations/{reservation}/release", "release-reservation", Release);
        SandboxHttp.Create(g, erp, "POST", "/schedule-changes", "update-schedule", (s, r) => Simple(s, r, "schedule-changes", "scheduleChange", "SC",
            ["plant", "line", "asset", "from", "until", "reason", "reference"]));
        SandboxHttp.Create(g, erp, "POST", "/cost-postings", "post-cost", CostPosting);
        SandboxHttp.Create(g, erp, "POST", "/exceptions", "post-exception", (s, r) =>
        {
            r.Array("lots");
            return Simple(s, r, "exceptions", "exception", "EX", ["kind", "reference", "details"], ["lots", "shipment", "location"]);
        });
        SandboxHttp.Create(g, erp, "POST", "/inbound-deliveries", "post-asn", Asn);
        foreach (var c in new[] { "production-orders", "confirmations", "goods-movements", "batches", "reservations", "schedule-changes", "cost-postings", "exceptions", "inbound-deliveries" })
            SandboxHttp.List(g, erp, "/" + c, c);
        SandboxHttp.List(g, erp, "/stock-items", "stock"); // all of it; /stock is read-stock (by material)
    }

    private static JsonObject OrderDocument(string id, string plant, string line, string material, double planned, string unit) => new()
    {
        ["order"] = id, ["plant"] = plant, ["line"] = line, ["material"] = material, ["plannedQuantity"] = planned, ["unit"] = unit,
        ["status"] = "released", ["confirmedGood"] = 0.0, ["confirmedScrap"] = 0.0,
    };

    private static JsonObject FindOrder(SandboxSystem s, string order)
        => s.Collection("production-orders").FirstOrDefault(o => (string?)o["order"] == order) ?? throw SandboxRequest.NotFound("production order", order);

    private static SandboxAnswer Confirm(SandboxSystem s, SandboxRequest r, SandboxOptions options)
    {
        string orderId = r.Text("order");
        double good = r.Number("good"), scrap = r.OptionalNumber("scrap") ?? 0;
        if (good < 0 || scrap < 0) throw SandboxRequest.Unprocessable("good and scrap must not be negative");
        var order = s.Collection("production-orders").FirstOrDefault(o => (string?)o["order"] == orderId);
        if (order is null)
        {
            if (!options.AcceptUnknownOrders) throw SandboxRequest.NotFound("production order", orderId);
            order = OrderDocument(orderId, "", "", "", 0, r.OptionalText("unit") ?? "ea");
            s.Add("production-orders", order, null);
        }
        if ((string?)order["status"] == "closed") throw SandboxRequest.Unprocessable($"production order '{orderId}' is closed");
        order["confirmedGood"] = (double)order["confirmedGood"]! + good;
        order["confirmedScrap"] = (double)order["confirmedScrap"]! + scrap;
        if (r.OptionalBoolean("final") == true) order["status"] = "closed";
        var id = s.NextId("CONF");
        s.Add("confirmations", new JsonObject
        {
            ["confirmation"] = id, ["order"] = orderId, ["operation"] = r.OptionalText("operation"), ["good"] = good, ["scrap"] = scrap,
            ["unit"] = r.OptionalText("unit"), ["lot"] = r.OptionalText("lot"), ["asset"] = r.OptionalText("asset"), ["final"] = r.OptionalBoolean("final") ?? false,
        }, r.Key);
        return SandboxAnswer.Created(new JsonObject { ["confirmation"] = id, ["order"] = orderId, ["confirmedGood"] = order["confirmedGood"]!.DeepClone(), ["confirmedScrap"] = order["confirmedScrap"]!.DeepClone() });
    }

    private static void RequireMaterial(string material)
    {
        if (!SandboxSeed.Materials.ContainsKey(material)) throw SandboxRequest.Unprocessable($"material '{material}' is not in the material master");
    }

    private static string PlantOf(string location) => location.Split('/')[0];

    private static SandboxAnswer GoodsReceipt(SandboxSystem s, SandboxRequest r, SandboxOptions options)
    {
        string material = r.Text("material"), lot = r.Text("lot"), location = r.Text("location");
        double quantity = r.Number("quantity");
        // the demo's simulated orders make products the seeded master lacks; like their orders, they are accepted
        if (!options.AcceptUnknownOrders) RequireMaterial(material);
        if (quantity <= 0) throw SandboxRequest.Unprocessable("quantity must be positive");
        AddStock(s, material, location, lot, quantity, r.OptionalText("unit") ?? SandboxSeed.Materials.GetValueOrDefault(material, "ea"));
        var id = s.NextId("GM");
        s.Add("goods-movements", new JsonObject { ["movement"] = id, ["type"] = "receipt", ["order"] = r.OptionalText("order"), ["material"] = material, ["quantity"] = quantity, ["lot"] = lot, ["to"] = location }, r.Key);
        return SandboxAnswer.Created(new JsonObject { ["movement"] = id });
    }

    private static void AddStock(SandboxSystem s, string material, string location, string lot, double quantity, string unit)
    {
        // a batch blocked before it was received (a quality block on the lot in production) receives blocked stock
        bool blocked = s.Collection("batches").Any(b => (string?)b["material"] == material && (string?)b["lot"] == lot && (string?)b["status"] != "released");
        var item = s.Collection("stock").FirstOrDefault(i => (string?)i["material"] == material && (string?)i["location"] == location && (string?)i["lot"] == lot && (bool)i["blocked"]! == blocked);
        if (item is not null) item["quantity"] = (double)item["quantity"]! + quantity;
        else s.Add("stock", new JsonObject { ["material"] = material, ["plant"] = PlantOf(location), ["location"] = location, ["lot"] = lot, ["quantity"] = quantity, ["unit"] = unit, ["blocked"] = blocked }, null);
        if (!s.Collection("batches").Any(b => (string?)b["material"] == material && (string?)b["lot"] == lot))
            s.Add("batches", new JsonObject { ["material"] = material, ["lot"] = lot, ["status"] = "released" }, null);
    }

    private static SandboxAnswer BatchStatus(SandboxSystem s, SandboxRequest r)
    {
        string material = r.Text("material"), lot = r.Text("lot"), status = r.Text("status");
        if (status is not ("released" or "restricted" or "blocked")) throw SandboxRequest.Unprocessable($"batch status '{status}' is not one of released, restricted, blocked");
        var batch = s.Collection("batches").FirstOrDefault(b => (string?)b["material"] == material && (string?)b["lot"] == lot) ?? throw SandboxRequest.NotFound($"batch of {material}", lot);
        batch["status"] = status;
        foreach (var item in s.Collection("stock").Where(i => (string?)i["material"] == material && (string?)i["lot"] == lot)) item["blocked"] = status != "released";
        return SandboxAnswer.Ok(new JsonObject { ["lot"] = lot, ["status"] = status });
    }

    private static SandboxAnswer GoodsMovement(SandboxSystem s, SandboxRequest r)
    {
        string material = r.Text("material"), from = r.Text("from"), to = r.Text("to"), reason = r.Text("reason");
        string? lot = r.OptionalText("lot");
        double quantity = r.Number("quantity");
        RequireMaterial(material);
        if (quantity <= 0) throw SandboxRequest.Unprocessable("quantity must be positive");
        var sources = s.Collection("stock").Where(i => (string?)i["material"] == material && (string?)i["location"] == from && !(bool)i["blocked"]! && (lot is null || (string?)i["lot"] == lot)).ToList();
        double have = sources.Sum(i => (double)i["quantity"]!);
        if (have < quantity) throw SandboxRequest.Unprocessable($"only {have} of {material} unblocked at {from}, {quantity} asked to move");
        double left = quantity;
        foreach (var item in sources)
        {
            double take = Math.Min(left, (double)item["quantity"]!);
            item["quantity"] = (double)item["quantity"]! - take;
            AddStock(s, material, to, (string)item["lot"]!, take, (string)item["unit"]!);
            if ((left -= take) <= 0) break;
        }
        s.Collection("stock").RemoveAll(i => (double)i["quantity"]! <= 0);
        var id = s.NextId("GM");
        s.Add("goods-movements", new JsonObject { ["movement"] = id, ["type"] = "transfer", ["material"] = material, ["quantity"] = quantity, ["lot"] = lot, ["from"] = from, ["to"] = to, ["reason"] = reason }, r.Key);
        return SandboxAnswer.Created(new JsonObject { ["movement"] = id });
    }

    private static SandboxAnswer BlockStock(SandboxSystem s, SandboxRequest r)
    {
        string material = r.Text("material"), lot = r.Text("lot"), reason = r.Text("reason");
        string? location = r.OptionalText("location");
        double? quantity = r.OptionalNumber("quantity");
        var items = s.Collection("stock").Where(i => (string?)i["material"] == material && (string?)i["lot"] == lot && !(bool)i["blocked"]! && (location is null || (string?)i["location"] == location)).ToList();
        if (items.Count == 0 && !s.Collection("stock").Any(i => (string?)i["material"] == material && (string?)i["lot"] == lot))
        {
            // nothing of the lot received yet (it is still being produced): a quantity cannot be blocked, the batch can —
            // what is received later arrives blocked
            if (quantity is not null || location is not null) throw SandboxRequest.NotFound($"stock of {material}", lot);
            var batch = s.Collection("batches").FirstOrDefault(b => (string?)b["material"] == material && (string?)b["lot"] == lot);
            if (batch is null) s.Add("batches", batch = new JsonObject { ["material"] = material, ["lot"] = lot }, null);
            batch["status"] = "blocked";
        }
        double want = quantity ?? double.MaxValue, blocked = 0;
        foreach (var item in items)
        {
            double q = (double)item["quantity"]!, take = Math.Min(q, want - blocked);
            if (take <= 0) break;
            if (take < q)
            {
                item["quantity"] = q - take;
                s.Add("stock", new JsonObject { ["material"] = material, ["plant"] = item["plant"]!.DeepClone(), ["location"] = item["location"]!.DeepClone(), ["lot"] = lot, ["quantity"] = take, ["unit"] = item["unit"]!.DeepClone(), ["blocked"] = true }, null);
            }
            else item["blocked"] = true;
            blocked += take;
        }
        if (quantity is { } q2 && blocked < q2) throw SandboxRequest.Unprocessable($"only {blocked} of lot {lot} unblocked, {q2} asked to block");
        var id = s.NextId("GM");
        s.Add("goods-movements", new JsonObject { ["movement"] = id, ["type"] = "block", ["material"] = material, ["lot"] = lot, ["quantity"] = blocked, ["location"] = location, ["reason"] = reason }, r.Key);
        return SandboxAnswer.Created(new JsonObject { ["movement"] = id, ["blockedQuantity"] = blocked });
    }

    private static double Available(SandboxSystem s, string material, string? plant)
    {
        double stock = s.Collection("stock").Where(i => (string?)i["material"] == material && !(bool)i["blocked"]! && (plant is null || (string?)i["plant"] == plant)).Sum(i => (double)i["quantity"]!);
        double reserved = s.Collection("reservations").Where(x => (string?)x["material"] == material && (string?)x["status"] == "open" && (plant is null || (string?)x["plant"] == plant)).Sum(x => (double)x["quantity"]!);
        return stock - reserved;
    }

    private static SandboxAnswer ReadStock(SandboxSystem s, SandboxRequest r)
    {
        string material = r.Text("material");
        string? plant = r.OptionalText("plant"), location = r.OptionalText("location"), lot = r.OptionalText("lot");
        var items = new JsonArray();
        foreach (var i in s.Collection("stock").Where(i => (string?)i["material"] == material && (plant is null || (string?)i["plant"] == plant) && (location is null || (string?)i["location"] == location) && (lot is null || (string?)i["lot"] == lot)))
            items.Add(new JsonObject { ["location"] = i["location"]!.DeepClone(), ["lot"] = i["lot"]!.DeepClone(), ["quantity"] = i["quantity"]!.DeepClone(), ["unit"] = i["unit"]!.DeepClone(), ["blocked"] = i["blocked"]!.DeepClone() });
        return SandboxAnswer.Ok(new JsonObject { ["material"] = material, ["items"] = items, ["available"] = Available(s, material, plant) });
    }

    private static SandboxAnswer Reserve(SandboxSystem s, SandboxRequest r)
    {
        string material = r.Text("material"), plant = r.Text("plant"), reference = r.Text("reference");
        double quantity = r.Number("quantity");
        RequireMaterial(material);
        if (quantity <= 0) throw SandboxRequest.Unprocessable("quantity must be positive");
        double available = Available(s, material, plant);
        if (available < quantity) throw SandboxRequest.Unprocessable($"only {available} of {material} available in {plant}, {quantity} asked to reserve");
        var id = s.NextId("RES");
        s.Add("reservations", new JsonObject { ["reservation"] = id, ["material"] = material, ["quantity"] = quantity, ["unit"] = r.OptionalText("unit"), ["plant"] = plant, ["reference"] = reference, ["status"] = "open" }, r.Key);
        return SandboxAnswer.Created(new JsonObject { ["reservation"] = id });
    }

    private static SandboxAnswer Release(SandboxSystem s, SandboxRequest r)
    {
        string id = r.Text("reservation");
        var reservation = s.Collection("reservations").FirstOrDefault(x => (string?)x["reservation"] == id);
        if (reservation is not null) reservation["status"] = "released"; // unknown or already released: nothing to undo, still a success
        return SandboxAnswer.Ok(new JsonObject { ["reservation"] = id, ["status"] = "released" });
    }

    private static SandboxAnswer CostPosting(SandboxSystem s, SandboxRequest r)
    {
        double amount = r.Number("amount");
        string currency = r.Text("currency");
        if (currency.Length != 3) throw SandboxRequest.Unprocessable($"currency '{currency}' is not an ISO 4217 code");
        return Simple(s, r, "cost-postings", "costPosting", "CP", ["reference", "costCenter", "category"], extra: new() { ["amount"] = amount, ["currency"] = currency });
    }

    private static SandboxAnswer Asn(SandboxSystem s, SandboxRequest r)
    {
        foreach (var line in r.Array("lines"))
            if (line is not JsonObject l || l["material"] is null || l["quantity"] is null) throw new SandboxRefusal(400, "Invalid input", "every ASN line needs material and quantity");
            else RequireMaterial((string)l["material"]!);
        return Simple(s, r, "inbound-deliveries", "inboundDelivery", "IBD", ["asn", "supplier", "purchaseOrder", "plant", "expectedArrival"], ["lines"]);
    }

    /// <summary>A document made of required text members and optional raw members, under a new id.</summary>
    internal static SandboxAnswer Simple(SandboxSystem s, SandboxRequest r, string collection, string idName, string prefix, string[] required, string[]? optional = null, JsonObject? extra = null)
    {
        var doc = new JsonObject();
        foreach (var name in required) doc[name] = r.Text(name);
        foreach (var name in optional ?? []) doc[name] = r.Raw(name);
        foreach (var (k, v) in extra ?? []) doc[k] = v?.DeepClone();
        var id = s.NextId(prefix);
        doc.Insert(0, idName, id);
        s.Add(collection, doc, r.Key);
        return SandboxAnswer.Created(new JsonObject { [idName] = id });
    }
}
