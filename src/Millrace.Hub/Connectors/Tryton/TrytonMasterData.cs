using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using static Millrace.Hub.Connectors.Tryton.TrytonValues;

namespace Millrace.Hub.Connectors.Tryton;

/// <summary>
/// The mapping between the hub's canonical ids and Tryton's integer ids, recomputed from Tryton by code and kept in
/// memory for the connector's life: a material is the product whose <c>code</c> is the material id, a plant the
/// warehouse whose <c>code</c> is the plant id, a location the location with that <c>code</c>, a lot the
/// <c>stock.lot</c> with that <c>number</c> for the product. Tryton's ids never change for a record, so the cache
/// cannot go stale except by deletion; a record deleted in Tryton is a permanent error on the next use.
/// </summary>
internal sealed class TrytonMasterData(TrytonJsonRpcClient rpc)
{
    internal sealed record Product(int Id, string Code, int Uom, string UomSymbol, int UomDigits, double CostPrice);
    internal sealed record Location(int Id, string Code, string Type, int Storage, int Input, int[] Waste);
    internal sealed record BomLine(int Product, double Quantity, int Uom, int UomDigits);
    internal sealed record Bom(int Id, BomLine[] Inputs, BomLine[] Outputs);

    private readonly ConcurrentDictionary<string, Product> _productsByCode = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<int, Product> _productsById = new();
    private readonly ConcurrentDictionary<string, Location> _locationsByCode = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<int, Location> _locationsById = new();
    private readonly ConcurrentDictionary<int, (string Symbol, int Digits)> _uoms = new();
    private readonly ConcurrentDictionary<int, Bom> _boms = new();
    private readonly ConcurrentDictionary<string, int> _parties = new(StringComparer.Ordinal);
    private int _currency;

    private static readonly string[] LocationFields = ["code", "type", "storage_location", "input_location", "waste_locations"];

    public async Task<Product> ProductAsync(string material, CancellationToken ct)
    {
        if (_productsByCode.TryGetValue(material, out var cached))
            return cached;
        var found = await rpc.CallAsync("product.product", "search_read",
            new JsonArray(new JsonArray(Clause("code", "=", material)), 0, 2, null, Fields("code", "default_uom", "cost_price")),
            cancellationToken: ct).ConfigureAwait(false);
        if (found.GetArrayLength() == 0)
            throw new TrytonInputException($"material '{material}' has no product in Tryton (no product.product with code '{material}')");
        return await RememberAsync(found[0], ct).ConfigureAwait(false);
    }

    public async Task<Product> ProductAsync(int id, CancellationToken ct)
    {
        if (_productsById.TryGetValue(id, out var cached))
            return cached;
        var found = await rpc.CallAsync("product.product", "read",
            new JsonArray(new JsonArray(id), Fields("code", "default_uom", "cost_price")), cancellationToken: ct).ConfigureAwait(false);
        return await RememberAsync(found[0], ct).ConfigureAwait(false);
    }

    private async Task<Product> RememberAsync(JsonElement p, CancellationToken ct)
    {
        var uomId = Id(p, "default_uom");
        var uom = await UomAsync(uomId, ct).ConfigureAwait(false);
        var product = new Product(Id(p, "id"), Str(p, "code") ?? "", uomId, uom.Symbol, uom.Digits, Number(p, "cost_price"));
        _productsById[product.Id] = product;
        if (product.Code.Length > 0)
            _productsByCode[product.Code] = product;
        return product;
    }

    public async Task<(string Symbol, int Digits)> UomAsync(int id, CancellationToken ct)
    {
        if (_uoms.TryGetValue(id, out var cached))
            return cached;
        var r = await rpc.CallAsync("product.uom", "read", new JsonArray(new JsonArray(id), Fields("symbol", "digits")), cancellationToken: ct)
            .ConfigureAwait(false);
        return _uoms[id] = (Str(r[0], "symbol") ?? "", (int)Number(r[0], "digits"));
    }

    /// <summary>Checks a call's unit against the product's unit in Tryton (the connector does not convert units).</summary>
    public static void CheckUnit(string operation, Product product, string? unit)
    {
        if (unit is not null && TrytonUnit(unit) != product.UomSymbol)
            throw new TrytonInputException(
                $"{operation}: unit '{unit}' does not match the unit of material '{product.Code}' in Tryton ('{CanonicalUnit(product.UomSymbol)}')");
    }

    public async Task<Location> LocationAsync(string code, CancellationToken ct)
    {
        if (_locationsByCode.TryGetValue(code, out var cached))
            return cached;
        var found = await rpc.CallAsync("stock.location", "search_read",
            new JsonArray(new JsonArray(Clause("code", "=", code)), 0, 2, null, Fields(LocationFields)), cancellationToken: ct).ConfigureAwait(false);
        if (found.GetArrayLength() == 0)
            throw new TrytonInputException($"location '{code}' does not exist in Tryton (no stock.location with code '{code}')");
        return Remember(found[0]);
    }

    public async Task<Location> LocationAsync(int id, CancellationToken ct)
    {
        if (_locationsById.TryGetValue(id, out var cached))
            return cached;
        var found = await rpc.CallAsync("stock.location", "read", new JsonArray(new JsonArray(id), Fields(LocationFields)), cancellationToken: ct)
            .ConfigureAwait(false);
        return Remember(found[0]);
    }

    /// <summary>The warehouse of a plant (its code), or the only warehouse when no plant is named.</summary>
    public async Task<Location> WarehouseAsync(string? plant, CancellationToken ct)
    {
        if (plant is not null)
        {
            var w = await LocationAsync(plant, ct).ConfigureAwait(false);
            return w.Type == "warehouse" ? w : throw new TrytonInputException($"plant '{plant}' is a Tryton location of type {w.Type}, not a warehouse");
        }
        var found = await rpc.CallAsync("stock.location", "search_read",
            new JsonArray(new JsonArray(Clause("type", "=", "warehouse")), 0, 2, null, Fields(LocationFields)), cancellationToken: ct).ConfigureAwait(false);
        if (found.GetArrayLength() != 1)
            throw new TrytonInputException($"no plant given and Tryton has {found.GetArrayLength()} warehouses; name the plant (warehouse code)");
        return Remember(found[0]);
    }

    private Location Remember(JsonElement l)
    {
        var location = new Location(Id(l, "id"), Str(l, "code") ?? "", Str(l, "type") ?? "", Id(l, "storage_location"),
            Id(l, "input_location"), Ids(l, "waste_locations"));
        _locationsById[location.Id] = location;
        if (location.Code.Length > 0)
            _locationsByCode[location.Code] = location;
        return location;
    }

    public async Task<Bom> BomAsync(int id, CancellationToken ct)
    {
        if (_boms.TryGetValue(id, out var cached))
            return cached;
        var inputs = rpc.CallAsync("production.bom.input", "search_read",
            new JsonArray(new JsonArray(Clause("bom", "=", id)), 0, null, null, Fields("product", "quantity", "uom")), cancellationToken: ct);
        var outputs = rpc.CallAsync("production.bom.output", "search_read",
            new JsonArray(new JsonArray(Clause("bom", "=", id)), 0, null, null, Fields("product", "quantity", "uom")), cancellationToken: ct);
        async Task<BomLine[]> Lines(Task<JsonElement> lines)
        {
            var result = new List<BomLine>();
            foreach (var line in (await lines.ConfigureAwait(false)).EnumerateArray())
            {
                var uom = await UomAsync(Id(line, "uom"), ct).ConfigureAwait(false);
                result.Add(new BomLine(Id(line, "product"), Number(line, "quantity"), Id(line, "uom"), uom.Digits));
            }
            return [.. result];
        }
        return _boms[id] = new Bom(id, await Lines(inputs).ConfigureAwait(false), await Lines(outputs).ConfigureAwait(false));
    }

    /// <summary>The company's currency (stock moves with a unit price need it).</summary>
    public async Task<int> CurrencyAsync(CancellationToken ct)
    {
        if (_currency != 0)
            return _currency;
        // the client logs in on its first call, so ask for something first to know the company
        var companies = await rpc.CallAsync("company.company", "search_read",
            new JsonArray(new JsonArray(), 0, null, null, Fields("currency")), cancellationToken: ct).ConfigureAwait(false);
        foreach (var c in companies.EnumerateArray())
            if (Id(c, "id") == rpc.Company)
                return _currency = Id(c, "currency");
        throw new TrytonInputException("the Tryton user's company has no currency");
    }

    public async Task<int> PartyAsync(string name, CancellationToken ct)
    {
        if (_parties.TryGetValue(name, out var cached))
            return cached;
        var found = await rpc.CallAsync("party.party", "search",
            new JsonArray(new JsonArray(Clause("name", "=", name)), 0, 2, null), cancellationToken: ct).ConfigureAwait(false);
        if (found.GetArrayLength() == 0)
            throw new TrytonInputException($"supplier '{name}' has no party in Tryton (no party.party named '{name}')");
        return _parties[name] = found[0].GetInt32();
    }

    /// <summary>The lots with this number (of any product).</summary>
    public Task<JsonElement> FindLotsAsync(string number, CancellationToken ct)
        => rpc.CallAsync("stock.lot", "search_read",
            new JsonArray(new JsonArray(Clause("number", "=", number)), 0, null, null, Fields("product")), cancellationToken: ct);

    /// <summary>The lot with this number for the product, created when Tryton has none (lookup before create: a retry finds it).</summary>
    public async Task<int> EnsureLotAsync(string number, Product product, CancellationToken ct, JsonElement? found = null)
    {
        found ??= await FindLotsAsync(number, ct).ConfigureAwait(false);
        foreach (var l in found.Value.EnumerateArray())
            if (Id(l, "product") == product.Id)
                return Id(l, "id");
        var created = await rpc.CallAsync("stock.lot", "create",
            new JsonArray(new JsonArray(new JsonObject { ["number"] = number, ["product"] = product.Id })), cancellationToken: ct).ConfigureAwait(false);
        return created[0].GetInt32();
    }
}
