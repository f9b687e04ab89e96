namespace Millrace.Core.Model;

/// <summary>
/// A place where material lots are stored (a cold-store bay, a warehouse zone). Full id <c>plant/area/location</c>.
/// Cold-chain sensors name the storage location they watch.
/// </summary>
/// <param name="Id">Full id, e.g. <c>plant-01/cold-store/bay-a</c>.</param>
/// <param name="LocalId">Id within the area.</param>
/// <param name="SiteId">The plant.</param>
/// <param name="AreaId">The area (full id).</param>
/// <param name="Name">Display name.</param>
public sealed record StorageLocation(string Id, string LocalId, string SiteId, string AreaId, string Name)
{
    /// <summary>Required storage temperature (cold chain), if any.</summary>
    public TemperatureRange? Temperature { get; init; }

    /// <summary>Free text for people.</summary>
    public string? Description { get; init; }
}
