using Millrace.Core.Units;

namespace Millrace.Core.Model;

/// <summary>A material (product, component, raw material) in its base unit of measure.</summary>
/// <param name="Id">Enterprise-wide material id.</param>
/// <param name="Name">Display name.</param>
/// <param name="BaseUnit">Unit quantities are counted in (count, kg, L, …).</param>
public sealed record Material(string Id, string Name, Unit BaseUnit)
{
    /// <summary>Required storage temperature, for cold-chain materials.</summary>
    public TemperatureRange? StorageTemperature { get; init; }

    /// <summary>Free text for people.</summary>
    public string? Description { get; init; }
}
