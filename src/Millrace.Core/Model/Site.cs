namespace Millrace.Core.Model;

/// <summary>An ISA-95 site: a plant. Its full id is its local id, e.g. <c>plant-03</c>.</summary>
/// <param name="Id">Plant id.</param>
/// <param name="Name">Display name, e.g. "Acme Detroit".</param>
public sealed record Site(string Id, string Name)
{
    /// <summary>City, for people and dashboards.</summary>
    public string? City { get; init; }

    /// <summary>ISO 3166-1 alpha-2 country code.</summary>
    public string? Country { get; init; }

    /// <summary>IANA time zone, e.g. <c>America/Detroit</c>; shift calendars and local timestamps use it.</summary>
    public string? TimeZone { get; init; }

    /// <summary>Free text for people.</summary>
    public string? Description { get; init; }
}
