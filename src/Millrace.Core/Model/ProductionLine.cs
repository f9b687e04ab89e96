namespace Millrace.Core.Model;

/// <summary>An ISA-95 production line. Its full id is <c>plant/line</c> (the area is not part of it).</summary>
/// <param name="Id">Full id, e.g. <c>plant-03/pack-1</c>.</param>
/// <param name="LocalId">Id within the plant.</param>
/// <param name="SiteId">The plant.</param>
/// <param name="AreaId">The area the line stands in (full id).</param>
/// <param name="Name">Display name.</param>
public sealed record ProductionLine(string Id, string LocalId, string SiteId, string AreaId, string Name)
{
    /// <summary>Free text for people.</summary>
    public string? Description { get; init; }
}
