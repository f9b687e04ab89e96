using System.Collections.Immutable;

namespace Millrace.Core.Model;

/// <summary>
/// An ISA-95 equipment element: an asset that reports signals (a CNC machine, a filler, a temperature sensor).
/// </summary>
/// <param name="Id">Full id: <c>plant/line/asset</c>, or <c>plant/area/asset</c> when not on a line.</param>
/// <param name="LocalId">Id within its line (or area).</param>
/// <param name="Name">Display name.</param>
/// <param name="Class">The asset class.</param>
/// <param name="SiteId">The plant.</param>
/// <param name="AreaId">The area (full id).</param>
/// <param name="LineId">The line (full id), or null for assets outside any line.</param>
/// <param name="CellId">The work cell (full id), or null.</param>
public sealed record Equipment(
    string Id, string LocalId, string Name, AssetClass Class, string SiteId, string AreaId, string? LineId, string? CellId)
{
    /// <summary>
    /// The effective signals: the class's signals with this asset's overrides applied, then the asset's own additions.
    /// </summary>
    public ImmutableArray<SignalDefinition> Signals { get; init; } = Class.Signals;

    /// <summary>For cold-chain sensors: the storage location watched (full id).</summary>
    public string? StorageLocationId { get; init; }

    /// <summary>Manufacturer, for maintenance systems.</summary>
    public string? Manufacturer { get; init; }

    /// <summary>Model designation.</summary>
    public string? Model { get; init; }

    /// <summary>Serial number.</summary>
    public string? SerialNumber { get; init; }

    /// <summary>Free text for people.</summary>
    public string? Description { get; init; }

    /// <summary>
    /// Dense index 0..N-1 assigned by <see cref="EnterpriseModel"/>; -1 until the asset belongs to a model.
    /// The hot path uses it to address per-asset state in arrays.
    /// </summary>
    public int Index { get; init; } = -1;
}
