namespace Millrace.Core.Units;

/// <summary>
/// A unit of measure from a <see cref="UnitCatalog"/>. A value <c>v</c> in this unit equals
/// <c>v * ScaleToBase + OffsetToBase</c> in the base (SI) unit of its <see cref="Dimension"/>.
/// Instances are unique per catalogue, so reference equality is unit equality.
/// </summary>
public sealed class Unit
{
    internal Unit(string symbol, string name, Dimension dimension, decimal scale, decimal offset, string[] aliases)
    {
        Symbol = symbol;
        Name = name;
        Dimension = dimension;
        ExactScale = scale;
        ExactOffset = offset;
        Aliases = aliases;
    }

    /// <summary>The canonical symbol, e.g. <c>°C</c> or <c>mm/s</c>. This is what Millrace writes out.</summary>
    public string Symbol { get; }

    /// <summary>The English name, e.g. "degree Celsius".</summary>
    public string Name { get; }

    /// <summary>The physical dimension.</summary>
    public Dimension Dimension { get; }

    /// <summary>Other spellings accepted by <see cref="UnitCatalog.TryParse(string?, out Unit?)"/>, e.g. <c>degC</c>.</summary>
    public IReadOnlyList<string> Aliases { get; }

    /// <summary>Multiplier to the base unit of the dimension.</summary>
    public double ScaleToBase => (double)ExactScale;

    /// <summary>Offset (in base units) added after scaling; non-zero only for °C and °F.</summary>
    public double OffsetToBase => (double)ExactOffset;

    // Kept in decimal so converters are computed without accumulating binary rounding (25.4 stays 25.4).
    internal decimal ExactScale { get; }
    internal decimal ExactOffset { get; }

    /// <summary>Whether this unit converts to <paramref name="other"/> (same dimension).</summary>
    public bool IsConvertibleTo(Unit other) => other is not null && other.Dimension == Dimension;

    /// <summary>A precomputed converter from this unit to <paramref name="target"/>.</summary>
    /// <exception cref="InvalidOperationException">The units have different dimensions.</exception>
    public UnitConverter ConverterTo(Unit target) => UnitConverter.Create(this, target);

    /// <inheritdoc />
    public override string ToString() => Symbol;
}
