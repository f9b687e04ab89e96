using Millrace.Core.Units;

namespace Millrace.Core.Model;

/// <summary>Allowed temperatures for stored goods (cold chain), in a stated unit.</summary>
/// <param name="Min">Lowest allowed temperature, inclusive.</param>
/// <param name="Max">Highest allowed temperature, inclusive.</param>
/// <param name="Unit">A temperature unit.</param>
public sealed record TemperatureRange(double Min, double Max, Unit Unit)
{
    /// <summary>Whether a reading in <paramref name="readingUnit"/> lies within the range.</summary>
    public bool Contains(double reading, Unit readingUnit)
    {
        var value = ReferenceEquals(readingUnit, Unit) ? reading : readingUnit.ConverterTo(Unit).Convert(reading);
        return value >= Min && value <= Max;
    }
}
