using System.Globalization;

namespace Millrace.Sandbox;

/// <summary>
/// Master data consistent with <c>samples/acme</c>: eight plants with the same lines and cold-store bays, the same
/// materials, a few released production orders per plant, and stock (lots per storage location) for every plant, so
/// read-stock and read-lots-at-location return real things.
/// </summary>
internal static class SandboxSeed
{
    public static readonly string[] Plants = [.. Enumerable.Range(1, 8).Select(i => "plant-" + i.ToString("D2", CultureInfo.InvariantCulture))];

    /// <summary>Material id → unit, as in <c>samples/acme/materials.yaml</c> (count is <c>ea</c> in ERP terms).</summary>
    public static readonly IReadOnlyDictionary<string, string> Materials = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["FG-1001"] = "ea", ["FG-2001"] = "ea", ["FG-2002"] = "ea", ["RM-3001"] = "kg", ["RM-3002"] = "kg", ["RM-4001"] = "kg", ["CP-5001"] = "ea",
    };

    public sealed record Order(string Id, string Plant, string Line, string Material, double Planned, string Unit);

    public sealed record Lot(string Plant, string Location, string Material, string LotId, double Quantity, string Unit);

    public sealed record Shipment(string Id, string Plant, string Destination, string[] Lots);

    /// <summary>Orders <c>PO-{plant}{n}</c>: packaging orders for FG-1001, assembly orders for FG-2002, machining for FG-2001.</summary>
    public static IEnumerable<Order> Orders()
    {
        for (int p = 1; p <= 8; p++)
        {
            string plant = Plants[p - 1];
            yield return new Order($"PO-{p}00001", plant, "pack-1", "FG-1001", 12000, "ea");
            yield return new Order($"PO-{p}00002", plant, "pack-2", "FG-1001", 12000, "ea");
            yield return new Order($"PO-{p}00003", plant, "asm-1", "FG-2002", 400, "ea");
            yield return new Order($"PO-{p}00004", plant, "asm-2", "FG-2002", 400, "ea");
            yield return new Order($"PO-{p}00005", plant, "cnc-1", "FG-2001", 250, "ea");
        }
    }

    /// <summary>Lots per location: chilled culture in bays a and b, frozen fruit in c and d, parts and bar stock in stores, finished goods in the warehouse.</summary>
    public static IEnumerable<Lot> Lots()
    {
        for (int p = 1; p <= 8; p++)
        {
            string plant = Plants[p - 1];
            string Loc(string place) => plant + "/" + place;
            string LotId(string material, int n) => $"L{p}-{material}-{n:D3}";
            yield return new Lot(plant, Loc("cold-store/bay-a"), "RM-3001", LotId("RM-3001", 1), 400, "kg");
            yield return new Lot(plant, Loc("cold-store/bay-a"), "RM-3001", LotId("RM-3001", 2), 250, "kg");
            yield return new Lot(plant, Loc("cold-store/bay-b"), "RM-3001", LotId("RM-3001", 3), 300, "kg");
            yield return new Lot(plant, Loc("cold-store/bay-c"), "RM-3002", LotId("RM-3002", 1), 800, "kg");
            yield return new Lot(plant, Loc("cold-store/bay-d"), "RM-3002", LotId("RM-3002", 2), 600, "kg");
            yield return new Lot(plant, Loc("stores"), "CP-5001", LotId("CP-5001", 1), 20000, "ea");
            yield return new Lot(plant, Loc("stores"), "RM-4001", LotId("RM-4001", 1), 1500, "kg");
            yield return new Lot(plant, Loc("warehouse"), "FG-1001", LotId("FG-1001", 1), 24000, "ea");
            yield return new Lot(plant, Loc("warehouse"), "FG-2002", LotId("FG-2002", 1), 120, "ea");
        }
    }

    /// <summary>One outbound shipment per plant carrying the chilled lots of bay a.</summary>
    public static IEnumerable<Shipment> Shipments()
    {
        for (int p = 1; p <= 8; p++)
            yield return new Shipment($"SH-{p}0001", Plants[p - 1], "DC-" + p.ToString("D2", CultureInfo.InvariantCulture), [$"L{p}-RM-3001-001", $"L{p}-RM-3001-002"]);
    }
}
