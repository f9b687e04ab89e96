using Millrace.Core.Units;

namespace Millrace.Core.Model;

/// <summary>Usage status of a lot, as ERP stock types know it.</summary>
public enum MaterialLotStatus
{
    /// <summary>Free to use and ship.</summary>
    Unrestricted,
    /// <summary>Awaiting a quality decision.</summary>
    QualityInspection,
    /// <summary>Blocked (for example after a cold-chain excursion).</summary>
    Blocked,
}

/// <summary>A material lot (batch): a quantity of one material with a common history.</summary>
/// <param name="Id">Lot id, unique per material.</param>
/// <param name="MaterialId">The material.</param>
/// <param name="Quantity">Current quantity.</param>
/// <param name="Unit">Unit of <paramref name="Quantity"/>.</param>
public sealed record MaterialLot(string Id, string MaterialId, double Quantity, Unit Unit)
{
    /// <summary>Usage status.</summary>
    public MaterialLotStatus Status { get; init; } = MaterialLotStatus.Unrestricted;

    /// <summary>Where the lot is stored (full id), if known.</summary>
    public string? StorageLocationId { get; init; }

    /// <summary>The production order that produced the lot, if any.</summary>
    public string? ProductionOrderId { get; init; }

    /// <summary>When the lot was produced or received.</summary>
    public DateTimeOffset? ProducedAt { get; init; }

    /// <summary>Shelf-life expiry.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }
}
