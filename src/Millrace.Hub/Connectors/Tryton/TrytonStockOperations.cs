using System.Text.Json;
using System.Text.Json.Nodes;
using static Millrace.Hub.Connectors.Tryton.TrytonValues;

namespace Millrace.Hub.Connectors.Tryton;

/// <summary>
/// Stock operations on Tryton documents that carry a free <c>reference</c>, so the idempotency key can be looked up
/// before create: <c>post-goods-movement</c> is an internal shipment (storage / lost-and-found locations),
/// <c>post-goods-receipt</c> a supplier shipment (received into the warehouse), <c>create-lot</c> a lot looked up by
/// number, <c>read-stock</c> the product's and its lots' quantities at a location.
/// </summary>
internal sealed class TrytonStockOperations(TrytonJsonRpcClient rpc, TrytonMasterData master, TrytonOptions options)
{
    public async Task<ConnectorResult> PostMovementAsync(TrytonInput input, string key, CancellationToken ct)
    {
        const string op = "post-goods-movement";
        var product = await master.ProductAsync(input.RequiredString("material"), ct).ConfigureAwait(false);
        var quantity = input.NonNegative("quantity", input.RequiredNumber("quantity"));
        TrytonMasterData.CheckUnit(op, product, input.OptionalString("unit"));
        var from = await master.LocationAsync(input.RequiredString("from"), ct).ConfigureAwait(false);
        var to = await master.LocationAsync(input.RequiredString("to"), ct).ConfigureAwait(false);
        foreach (var l in new[] { from, to })
            if (l.Type is not ("storage" or "lost_found"))
                throw new TrytonInputException($"{op}: location '{l.Code}' is of type {l.Type}; Tryton moves stock without a document only between storage and lost-and-found locations (receipts: post-goods-receipt; consumption: confirm-production)");
        var lot = input.OptionalString("lot");

        var (replayed, id, state) = await FindByReferenceAsync("stock.shipment.internal", key, $"{op}: the movement for this key (internal shipment", ct).ConfigureAwait(false);
        if (!replayed)
        {
            var move = new JsonObject
            {
                ["product"] = product.Id, ["uom"] = product.Uom, ["quantity"] = Round(quantity, product.UomDigits),
                ["from_location"] = from.Id, ["to_location"] = to.Id, ["company"] = rpc.Company,
            };
            if (lot is not null)
                move["lot"] = await master.EnsureLotAsync(lot, product, ct).ConfigureAwait(false);
            var created = await rpc.CallAsync("stock.shipment.internal", "create", new JsonArray(new JsonArray(new JsonObject
            {
                ["reference"] = key, ["company"] = rpc.Company, ["from_location"] = from.Id, ["to_location"] = to.Id,
                ["moves"] = new JsonArray(new JsonArray("create", new JsonArray(move))),
            })), cancellationToken: ct).ConfigureAwait(false);
            id = created[0].GetInt32();
            state = "draft";
        }
        if (state == "draft")
            await Button("stock.shipment.internal", "wait", id, ct).ConfigureAwait(false);
        if (state is "draft" or "waiting")
        {
            var assigned = await rpc.CallAsync("stock.shipment.internal", "assign_try", new JsonArray(new JsonArray(id)), cancellationToken: ct).ConfigureAwait(false);
            if (!Truthy(assigned))
                throw new TrytonInputException($"{op}: not enough stock of '{product.Code}' at '{from.Code}' in Tryton (internal shipment id {id} waits); post the missing stock, then resubmit");
        }
        if (state != "done")
            await Button("stock.shipment.internal", "done", id, ct).ConfigureAwait(false);
        var number = await DoneNumberAsync("stock.shipment.internal", id, op, ct).ConfigureAwait(false);
        var output = new JsonObject
        {
            ["movement"] = number, ["material"] = product.Code, ["quantity"] = quantity, ["unit"] = CanonicalUnit(product.UomSymbol),
            ["from"] = from.Code, ["to"] = to.Code, ["lot"] = lot, ["reason"] = input.OptionalString("reason"),
        };
        return ConnectorResult.Success(JsonSerializer.SerializeToElement(output), number, replayed);
    }

    public async Task<ConnectorResult> PostReceiptAsync(TrytonInput input, string key, CancellationToken ct)
    {
        const string op = "post-goods-receipt";
        var product = await master.ProductAsync(input.RequiredString("material"), ct).ConfigureAwait(false);
        var quantity = input.NonNegative("quantity", input.RequiredNumber("quantity"));
        TrytonMasterData.CheckUnit(op, product, input.OptionalString("unit"));
        var order = input.OptionalString("order");
        var lot = input.OptionalString("lot");
        var reference = order is null ? key : $"{order}/{key}";
        var warehouse = await master.WarehouseAsync(input.OptionalString("plant"), ct).ConfigureAwait(false);

        var (replayed, id, state) = await FindByReferenceAsync("stock.shipment.in", reference, $"{op}: the receipt for this key (supplier shipment", ct).ConfigureAwait(false);
        if (!replayed)
        {
            var supplier = await master.PartyAsync(input.OptionalString("supplier") ?? options.DefaultSupplier, ct).ConfigureAwait(false);
            var supplierLocation = await master.LocationAsync("SUP", ct).ConfigureAwait(false);
            var move = new JsonObject
            {
                ["product"] = product.Id, ["uom"] = product.Uom, ["quantity"] = Round(quantity, product.UomDigits),
                ["from_location"] = supplierLocation.Id, ["to_location"] = warehouse.Input, ["company"] = rpc.Company,
                ["currency"] = await master.CurrencyAsync(ct).ConfigureAwait(false), ["unit_price"] = Decimal(product.CostPrice),
            };
            if (lot is not null)
                move["lot"] = await master.EnsureLotAsync(lot, product, ct).ConfigureAwait(false);
            var created = await rpc.CallAsync("stock.shipment.in", "create", new JsonArray(new JsonArray(new JsonObject
            {
                ["reference"] = reference, ["company"] = rpc.Company, ["supplier"] = supplier, ["warehouse"] = warehouse.Id,
                ["incoming_moves"] = new JsonArray(new JsonArray("create", new JsonArray(move))),
            })), cancellationToken: ct).ConfigureAwait(false);
            id = created[0].GetInt32();
            state = "draft";
        }
        // draft -> received (inventory moves input -> storage are made, carrying the lot) -> done. Without a purchase
        // Tryton warns that the moves "have no origin"; the origin is the order/ASN in the reference, so accept it.
        static bool NoOrigin(string warning) => warning.Contains("have no origin", StringComparison.Ordinal);
        if (state == "draft")
            await rpc.CallAcceptingWarningAsync("stock.shipment.in", "receive", new JsonArray(new JsonArray(id)), NoOrigin, ct).ConfigureAwait(false);
        if (state != "done")
            await rpc.CallAcceptingWarningAsync("stock.shipment.in", "done", new JsonArray(new JsonArray(id)), NoOrigin, ct).ConfigureAwait(false);
        var number = await DoneNumberAsync("stock.shipment.in", id, op, ct).ConfigureAwait(false);
        var output = new JsonObject
        {
            ["movement"] = number, ["order"] = order, ["material"] = product.Code, ["quantity"] = quantity,
            ["unit"] = CanonicalUnit(product.UomSymbol), ["lot"] = lot, ["plant"] = warehouse.Code,
        };
        return ConnectorResult.Success(JsonSerializer.SerializeToElement(output), number, replayed);
    }

    public async Task<ConnectorResult> CreateLotAsync(TrytonInput input, CancellationToken ct)
    {
        var product = await master.ProductAsync(input.RequiredString("material"), ct).ConfigureAwait(false);
        var lot = input.RequiredString("lot");
        var id = await master.EnsureLotAsync(lot, product, ct).ConfigureAwait(false);
        var output = new JsonObject { ["lot"] = lot, ["material"] = product.Code, ["id"] = id };
        return ConnectorResult.Success(JsonSerializer.SerializeToElement(output), lot);
    }

    public async Task<ConnectorResult> ReadStockAsync(TrytonInput input, CancellationToken ct)
    {
        var product = await master.ProductAsync(input.RequiredString("material"), ct).ConfigureAwait(false);
        var code = input.OptionalString("location");
        var location = code is not null
            ? await master.LocationAsync(code, ct).ConfigureAwait(false)
            : await master.WarehouseAsync(input.OptionalString("plant"), ct).ConfigureAwait(false);
        var lot = input.OptionalString("lot");
        // quantities are function fields computed for the locations in the context (children included)
        var context = new JsonObject { ["locations"] = new JsonArray(location.Id) };
        var total = await rpc.CallAsync("product.product", "read",
            new JsonArray(new JsonArray(product.Id), Fields("quantity", "forecast_quantity")), context, ct).ConfigureAwait(false);
        var domain = new JsonArray(Clause("product", "=", product.Id));
        if (lot is not null)
            domain.Add(Clause("number", "=", lot));
        var lots = await rpc.CallAsync("stock.lot", "search_read",
            new JsonArray(domain, 0, null, null, Fields("number", "quantity")), context, ct).ConfigureAwait(false);
        var unit = CanonicalUnit(product.UomSymbol);
        var items = new JsonArray();
        double inLots = 0;
        foreach (var l in lots.EnumerateArray())
        {
            var q = Number(l, "quantity");
            if (q == 0)
                continue;
            inLots += q;
            items.Add(new JsonObject { ["location"] = location.Code, ["lot"] = Str(l, "number"), ["quantity"] = q, ["unit"] = unit, ["blocked"] = false });
        }
        var quantity = Number(total[0], "quantity");
        if (lot is null && Math.Round(quantity - inLots, 6) != 0)
            items.Add(new JsonObject { ["location"] = location.Code, ["lot"] = null, ["quantity"] = Math.Round(quantity - inLots, 6), ["unit"] = unit, ["blocked"] = false });
        var output = new JsonObject
        {
            ["material"] = product.Code, ["location"] = location.Code, ["items"] = items,
            ["available"] = lot is null ? quantity : inLots, ["forecast"] = Number(total[0], "forecast_quantity"), ["unit"] = unit,
        };
        return ConnectorResult.Success(JsonSerializer.SerializeToElement(output), product.Code);
    }

    private Task<JsonElement> Button(string model, string button, int id, CancellationToken ct)
        => rpc.CallAsync(model, button, new JsonArray(new JsonArray(id)), cancellationToken: ct);

    /// <summary>Reads the document back: a workflow button called in the wrong state is a silent no-op in Tryton.</summary>
    private async Task<string> DoneNumberAsync(string model, int id, string op, CancellationToken ct)
    {
        var read = await rpc.CallAsync(model, "read", new JsonArray(new JsonArray(id), Fields("state", "number")), cancellationToken: ct).ConfigureAwait(false);
        var state = Str(read[0], "state");
        if (state != "done")
            throw new TrytonInputException($"{op}: {model} id {id} is {state} after done, not done");
        return Str(read[0], "number") ?? id.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The shipment of <paramref name="model"/> whose reference carries the call's key (the idempotency lookup before
    /// create): found (and not cancelled) → its id and state; not found → (false, 0, ""). A cancelled one is permanent.
    /// </summary>
    private async Task<(bool Found, int Id, string State)> FindByReferenceAsync(string model, string reference, string cancelledWhat, CancellationToken ct)
    {
        var found = await rpc.CallAsync(model, "search_read", new JsonArray(
            new JsonArray(Clause("reference", "=", reference)), 0, 1, null, Fields("state", "number")), cancellationToken: ct).ConfigureAwait(false);
        if (found.GetArrayLength() == 0) return (false, 0, "");
        var state = Str(found[0], "state")!;
        if (state == "cancelled")
            throw new TrytonInputException($"{cancelledWhat} {Str(found[0], "number")}) was cancelled in Tryton");
        return (true, Id(found[0], "id"), state);
    }

    internal static bool Truthy(JsonElement e) => e.ValueKind == JsonValueKind.True || (e.ValueKind == JsonValueKind.Number && e.GetInt32() != 0);
}
