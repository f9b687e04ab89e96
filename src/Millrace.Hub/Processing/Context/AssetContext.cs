namespace Millrace.Hub.Processing.Context;

/// <summary>
/// What the hub knows about an asset's surroundings at a moment: its place in the ISA-95 hierarchy (fixed by the
/// model) and the production context that changes through events (the order running on its line, the active lot,
/// the storage location it watches). Held in memory, looked up without I/O on the hot path.
/// </summary>
/// <param name="Asset">Dense asset index.</param>
/// <param name="AssetId">Asset id, e.g. <c>plant-01/line-1/filler-01</c>.</param>
/// <param name="PlantId">Site id.</param>
/// <param name="LineId">Production line id (null for assets outside a line, e.g. a cold store).</param>
/// <param name="CellId">Work cell id, when the asset sits in one.</param>
/// <param name="Order">The production order running on the line at that moment, if any.</param>
/// <param name="LotId">The material lot being produced or stored, if known.</param>
/// <param name="StorageLocationId">The storage location a cold-chain sensor watches, if any.</param>
public sealed record AssetContext(
    int Asset,
    string AssetId,
    string PlantId,
    string? LineId,
    string? CellId,
    ActiveOrder? Order,
    string? LotId,
    string? StorageLocationId);

/// <summary>A production order as seen by rules: released on a line at a time, for a material and quantity.</summary>
/// <param name="OrderId">Production order id.</param>
/// <param name="MaterialId">Material produced.</param>
/// <param name="PlannedQuantity">Planned quantity in <paramref name="Unit"/>.</param>
/// <param name="Unit">Unit of the quantities.</param>
/// <param name="ReleasedAtMs">Event time the order became active on the line (Unix ms).</param>
public sealed record ActiveOrder(string OrderId, string MaterialId, double PlannedQuantity, string Unit, long ReleasedAtMs);

/// <summary>
/// Answers "what was this asset's context at time t" for rules. Implementations keep a short history per line so a
/// sample is attributed to the order in effect at its own event time, not at its arrival time.
/// </summary>
public interface IAssetContextSource
{
    /// <summary>The asset's context at event time <paramref name="timeMs"/>. Never null for a known asset.</summary>
    AssetContext At(int asset, long timeMs);
}
