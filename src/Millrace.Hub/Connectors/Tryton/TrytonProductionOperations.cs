using System.Text.Json;
using System.Text.Json.Nodes;
using static Millrace.Hub.Connectors.Tryton.TrytonValues;

namespace Millrace.Hub.Connectors.Tryton;

/// <summary>
/// <c>read-production-order</c> and <c>confirm-production</c> on Tryton productions. A production order is the Tryton
/// production whose <c>reference</c> is the order id (the plan). Each confirmation is a production whose reference is
/// <c>&lt;order&gt;/&lt;idempotency key&gt;</c>, driven to <c>done</c>: a final confirmation turns the plan itself into
/// it (reference, quantities and moves rewritten while draft), a partial one is a new production beside the plan.
/// Because the key is in the reference and is looked up first, a repeated or resumed call finds the document instead
/// of creating a second one, and a production left half-way (created or rewritten, not done) is finished.
/// </summary>
internal sealed class TrytonProductionOperations(TrytonJsonRpcClient rpc, TrytonMasterData master)
{
    private static readonly JsonArray ProductionFields = Fields("reference", "state", "number", "product", "bom", "warehouse",
        "location", "uom", "quantity", "inputs", "outputs");

    public async Task<ConnectorResult> ReadOrderAsync(TrytonInput input, CancellationToken ct)
    {
        var order = input.RequiredString("order");
        var (plan, confirmations) = await FindAsync(order, null, ct).ConfigureAwait(false);
        var any = plan ?? (confirmations.Count > 0 ? confirmations[^1] : (JsonElement?)null)
            ?? throw new TrytonInputException($"production order '{order}' not found in Tryton (no production with reference '{order}')");
        var product = await master.ProductAsync(Id(any, "product"), ct).ConfigureAwait(false);
        var warehouse = await master.LocationAsync(Id(any, "warehouse"), ct).ConfigureAwait(false);
        var (good, scrap) = await TotalsAsync(confirmations, ct).ConfigureAwait(false);
        var output = new JsonObject
        {
            ["order"] = order,
            ["plant"] = warehouse.Code,
            ["line"] = null, // Tryton 6.0 productions carry no line (production_work is not activated)
            ["material"] = product.Code,
            ["plannedQuantity"] = plan is { } p ? Number(p, "quantity") : good + scrap,
            ["unit"] = CanonicalUnit(product.UomSymbol),
            ["status"] = plan is { } q ? Str(q, "state") : "done",
            ["confirmedGood"] = good,
            ["confirmedScrap"] = scrap,
            ["confirmations"] = confirmations.Count,
            ["production"] = plan is { } r ? Str(r, "number") : null,
        };
        return ConnectorResult.Success(JsonSerializer.SerializeToElement(output), order);
    }

    public async Task<ConnectorResult> ConfirmAsync(TrytonInput input, string key, CancellationToken ct)
    {
        var order = input.RequiredString("order");
        var good = input.NonNegative("good", input.RequiredNumber("good"));
        var scrap = input.NonNegative("scrap", input.OptionalNumber("scrap") ?? 0);
        if (good + scrap <= 0)
            throw new TrytonInputException($"confirm-production: order '{order}': good and scrap are both zero; nothing to confirm");
        var lot = input.OptionalString("lot");
        var final = input.OptionalBool("final") ?? false;
        var unit = input.OptionalString("unit");
        var reference = $"{order}/{key}";

        // the lot lookup does not depend on the order: ask Tryton both questions at once
        var lots = lot is not null && good > 0 ? master.FindLotsAsync(lot, ct) : null;
        var (plan, confirmations) = await FindAsync(order, reference, ct).ConfigureAwait(false);
        var earlier = confirmations.Where(c => Str(c, "state") == "done" && Str(c, "reference") != reference).Select(c => Id(c, "id")).ToList();
        var existing = confirmations.FirstOrDefault(c => Str(c, "reference") == reference);
        if (existing.ValueKind == JsonValueKind.Object)
        {
            // the key was seen: done means a replay; anything else is a call interrupted half-way, finished now
            var state = Str(existing, "state");
            if (state == "cancelled")
                throw new TrytonInputException($"confirm-production: the confirmation of order '{order}' for this key (production {Str(existing, "number")}) was cancelled in Tryton");
            if (state != "done")
                await AdvanceAsync(existing, order, ct).ConfigureAwait(false);
            return await ResultAsync(order, Id(existing, "id"), earlier, lot, replayed: true, ct).ConfigureAwait(false);
        }
        if (plan is not { } planned)
            throw new TrytonInputException(confirmations.Count > 0
                ? $"confirm-production: order '{order}' is already finally confirmed in Tryton; no further confirmation can be posted"
                : $"confirm-production: production order '{order}' not found in Tryton (no production with reference '{order}')");
        var planState = Str(planned, "state");
        if (planState is "done" or "cancelled")
            throw new TrytonInputException($"confirm-production: order '{order}' is {planState} in Tryton");

        var product = await master.ProductAsync(Id(planned, "product"), ct).ConfigureAwait(false);
        TrytonMasterData.CheckUnit("confirm-production", product, unit);
        var warehouse = await master.LocationAsync(Id(planned, "warehouse"), ct).ConfigureAwait(false);
        var bomId = Id(planned, "bom");
        if (bomId == 0)
            throw new TrytonInputException($"confirm-production: order '{order}' has no BOM in Tryton, so its consumption cannot be computed");
        var bom = await master.BomAsync(bomId, ct).ConfigureAwait(false);
        var currency = await master.CurrencyAsync(ct).ConfigureAwait(false);
        int? lotId = lots is not null ? await master.EnsureLotAsync(lot!, product, ct, await lots.ConfigureAwait(false)).ConfigureAwait(false) : null;
        var production = Id(planned, "location");

        var inputs = Inputs(bom, product, good + scrap, warehouse, production, rpc.Company, currency, order);
        var outputs = Outputs(product, good, scrap, lotId, warehouse, production, rpc.Company, currency, order);
        int id;
        if (final)
        {
            id = Id(planned, "id");
            if (planState is "assigned" or "waiting")
            {
                // only a draft production's quantities and moves can be rewritten: step back (assigned -> waiting -> draft)
                if (planState == "assigned")
                    await Transition("wait", id, ct).ConfigureAwait(false);
                await Transition("draft", id, ct).ConfigureAwait(false);
            }
            else if (planState == "running")
            {
                throw new TrytonInputException($"confirm-production: order '{order}' was started in Tryton (running); finish it there");
            }
            await rpc.CallAsync("production", "write", new JsonArray(new JsonArray(id), new JsonObject
            {
                ["reference"] = reference,
                ["quantity"] = Round(good + scrap, product.UomDigits),
                ["inputs"] = new JsonArray(new JsonArray("delete", new JsonArray(Ids(planned, "inputs").Select(i => (JsonNode?)i).ToArray())),
                    new JsonArray("create", inputs)),
                ["outputs"] = new JsonArray(new JsonArray("delete", new JsonArray(Ids(planned, "outputs").Select(i => (JsonNode?)i).ToArray())),
                    new JsonArray("create", outputs)),
            }), cancellationToken: ct).ConfigureAwait(false);
        }
        else
        {
            var created = await rpc.CallAsync("production", "create", new JsonArray(new JsonArray(new JsonObject
            {
                ["reference"] = reference,
                ["company"] = rpc.Company,
                ["warehouse"] = warehouse.Id,
                ["location"] = production,
                ["product"] = product.Id,
                ["bom"] = bomId,
                ["uom"] = Id(planned, "uom"),
                ["quantity"] = Round(good + scrap, product.UomDigits),
                ["inputs"] = new JsonArray(new JsonArray("create", inputs)),
                ["outputs"] = new JsonArray(new JsonArray("create", outputs)),
            })), cancellationToken: ct).ConfigureAwait(false);
            id = created[0].GetInt32();
        }
        await AdvanceAsync(id, "draft", order, ct).ConfigureAwait(false);
        return await ResultAsync(order, id, earlier, lot, replayed: false, ct).ConfigureAwait(false);
    }

    private Task AdvanceAsync(JsonElement production, string order, CancellationToken ct)
        => AdvanceAsync(Id(production, "id"), Str(production, "state") ?? "draft", order, ct);

    /// <summary>Drives a production from <paramref name="state"/> to done: wait, assign, run (inputs consumed), done (outputs received).</summary>
    private async Task AdvanceAsync(int id, string state, string order, CancellationToken ct)
    {
        if (state is "request" or "draft")
            await Transition("wait", id, ct).ConfigureAwait(false);
        if (state is "request" or "draft" or "waiting")
        {
            var assigned = await rpc.CallAsync("production", "assign_try", new JsonArray(new JsonArray(id)), cancellationToken: ct).ConfigureAwait(false);
            if (assigned.ValueKind is not (JsonValueKind.True or JsonValueKind.Number) || (assigned.ValueKind == JsonValueKind.Number && assigned.GetInt32() == 0))
                throw new TrytonInputException($"confirm-production: not enough stock in Tryton for the inputs of order '{order}' (production id {id} waits); post the missing stock, then resubmit");
        }
        if (state is not "running")
            await Transition("run", id, ct).ConfigureAwait(false);
        await Transition("done", id, ct).ConfigureAwait(false);
    }

    private Task<JsonElement> Transition(string button, int id, CancellationToken ct)
        => rpc.CallAsync("production", button, new JsonArray(new JsonArray(id)), cancellationToken: ct);

    private static JsonArray Inputs(TrytonMasterData.Bom bom, TrytonMasterData.Product product, double produced,
        TrytonMasterData.Location warehouse, int production, int company, int currency, string order)
    {
        var per = bom.Outputs.FirstOrDefault(o => o.Product == product.Id)?.Quantity ?? 0;
        if (per <= 0)
            throw new TrytonInputException($"confirm-production: the BOM of order '{order}' has no output of '{product.Code}'");
        var moves = new JsonArray();
        foreach (var line in bom.Inputs)
        {
            moves.Add(new JsonObject
            {
                ["product"] = line.Product,
                ["uom"] = line.Uom,
                ["quantity"] = Round(line.Quantity * produced / per, line.UomDigits),
                ["from_location"] = warehouse.Storage,
                ["to_location"] = production,
                ["company"] = company,
                ["currency"] = currency,
            });
        }
        return moves;
    }

    private static JsonArray Outputs(TrytonMasterData.Product product, double good, double scrap, int? lot,
        TrytonMasterData.Location warehouse, int production, int company, int currency, string order)
    {
        var moves = new JsonArray();
        JsonObject Move(double quantity, int to) => new()
        {
            ["product"] = product.Id,
            ["uom"] = product.Uom,
            ["quantity"] = Round(quantity, product.UomDigits),
            ["from_location"] = production,
            ["to_location"] = to,
            ["company"] = company,
            ["currency"] = currency,
            ["unit_price"] = Decimal(0),
        };
        if (good > 0)
        {
            var m = Move(good, warehouse.Storage);
            if (lot is { } l)
                m["lot"] = l;
            moves.Add(m);
        }
        if (scrap > 0)
        {
            if (warehouse.Waste.Length == 0)
                throw new TrytonInputException($"confirm-production: order '{order}' reports scrap but warehouse '{warehouse.Code}' has no waste location in Tryton");
            moves.Add(Move(scrap, warehouse.Waste[0]));
        }
        return moves;
    }

    /// <summary>The plan (reference = order) and the confirmations (reference = order/…) of an order.</summary>
    private async Task<(JsonElement? Plan, List<JsonElement> Confirmations)> FindAsync(string order, string? reference, CancellationToken ct)
    {
        // LIKE has no escape character in Tryton 6.0: '_' and '%' in an order id over-match, so filter exactly below
        var found = await rpc.CallAsync("production", "search_read", new JsonArray(
            new JsonArray("OR", Clause("reference", "=", order), Clause("reference", "like", order + "/%")),
            0, null, null, ProductionFields.DeepClone()), cancellationToken: ct).ConfigureAwait(false);
        JsonElement? plan = null;
        var confirmations = new List<JsonElement>();
        var prefix = order + "/";
        foreach (var p in found.EnumerateArray())
        {
            var r = Str(p, "reference");
            if (r == order && Str(p, "state") != "cancelled")
                plan = p;
            else if (r is not null && r.StartsWith(prefix, StringComparison.Ordinal))
                confirmations.Add(p);
        }
        return (plan, confirmations);
    }

    /// <summary>Good and scrap confirmed so far: the done output moves of the order's confirmations (good into storage, scrap into waste).</summary>
    private async Task<(double Good, double Scrap)> TotalsAsync(List<JsonElement> confirmations, CancellationToken ct)
    {
        var done = confirmations.Where(c => Str(c, "state") == "done").Select(c => (JsonNode?)Id(c, "id")).ToArray();
        if (done.Length == 0)
            return (0, 0);
        var moves = await rpc.CallAsync("stock.move", "search_read", new JsonArray(
            new JsonArray(Clause("production_output", "in", new JsonArray(done)), Clause("state", "=", "done")),
            0, null, null, Fields("quantity", "to_location")), cancellationToken: ct).ConfigureAwait(false);
        double good = 0, scrap = 0;
        foreach (var m in moves.EnumerateArray())
        {
            var to = await master.LocationAsync(Id(m, "to_location"), ct).ConfigureAwait(false);
            if (to.Type == "lost_found")
                scrap += Number(m, "quantity");
            else
                good += Number(m, "quantity");
        }
        return (good, scrap);
    }

    /// <summary>
    /// The answer: the order's totals over its done confirmations. Our production's done output moves prove it is done
    /// (Tryton's <c>done</c> is a silent no-op in a wrong state, so this is checked, not assumed) and carry its number.
    /// </summary>
    private async Task<ConnectorResult> ResultAsync(string order, int id, List<int> earlier, string? lot, bool replayed, CancellationToken ct)
    {
        var ids = new JsonArray(earlier.Append(id).Select(i => (JsonNode?)i).ToArray());
        var moves = await rpc.CallAsync("stock.move", "search_read", new JsonArray(
            new JsonArray(Clause("production_output", "in", ids), Clause("state", "=", "done")),
            0, null, null, Fields("quantity", "to_location", "production_output", "production_output.number")), cancellationToken: ct).ConfigureAwait(false);
        double good = 0, scrap = 0;
        string? number = null;
        foreach (var m in moves.EnumerateArray())
        {
            var to = await master.LocationAsync(Id(m, "to_location"), ct).ConfigureAwait(false);
            if (to.Type == "lost_found")
                scrap += Number(m, "quantity");
            else
                good += Number(m, "quantity");
            if (Id(m, "production_output") == id && m.TryGetProperty("production_output.", out var p) && p.ValueKind == JsonValueKind.Object)
                number = Str(p, "number");
        }
        if (number is null)
        {
            var read = await rpc.CallAsync("production", "read", new JsonArray(new JsonArray(id), Fields("state")), cancellationToken: ct).ConfigureAwait(false);
            throw new TrytonInputException($"confirm-production: production id {id} of order '{order}' is {Str(read[0], "state")} after done, not done");
        }
        var output = new JsonObject
        {
            ["confirmation"] = number,
            ["order"] = order,
            ["confirmedGood"] = good,
            ["confirmedScrap"] = scrap,
            ["production"] = id,
            ["lot"] = lot,
        };
        return ConnectorResult.Success(JsonSerializer.SerializeToElement(output), number, replayed);
    }
}
