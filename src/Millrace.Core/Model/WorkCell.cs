namespace Millrace.Core.Model;

/// <summary>An ISA-95 work cell: a group of assets on a line. Its full id is <c>plant/line/cell</c>.</summary>
/// <param name="Id">Full id, e.g. <c>plant-03/cnc-1/cell-a</c>.</param>
/// <param name="LocalId">Id within the line.</param>
/// <param name="SiteId">The plant.</param>
/// <param name="AreaId">The area (full id).</param>
/// <param name="LineId">The line (full id).</param>
/// <param name="Name">Display name.</param>
public sealed record WorkCell(string Id, string LocalId, string SiteId, string AreaId, string LineId, string Name)
{
    /// <summary>Free text for people.</summary>
    public string? Description { get; init; }
}
