namespace Millrace.Core.Model;

/// <summary>An ISA-95 area of a plant (packaging hall, machining, cold store).</summary>
/// <param name="Id">Full id, e.g. <c>plant-03/machining</c>.</param>
/// <param name="LocalId">Id within the plant, e.g. <c>machining</c>.</param>
/// <param name="SiteId">The plant.</param>
/// <param name="Name">Display name.</param>
public sealed record Area(string Id, string LocalId, string SiteId, string Name)
{
    /// <summary>Free text for people.</summary>
    public string? Description { get; init; }
}
