namespace Millrace.Core.Units;

/// <summary>
/// A precomputed conversion between two units of the same dimension: <c>to = from * Scale + Offset</c>.
/// Create it once (at configuration time) and call <see cref="Convert"/> on the hot path: one fused multiply-add,
/// no lookups, no allocation.
/// </summary>
public readonly struct UnitConverter : IEquatable<UnitConverter>
{
    /// <summary>The converter that returns its input unchanged.</summary>
    public static readonly UnitConverter Identity = new(1.0, 0.0);

    /// <summary>Creates a converter from explicit coefficients.</summary>
    public UnitConverter(double scale, double offset)
    {
        Scale = scale;
        Offset = offset;
    }

    /// <summary>Multiplier applied to the source value.</summary>
    public double Scale { get; }

    /// <summary>Offset added after multiplying (temperature only, in practice).</summary>
    public double Offset { get; }

    /// <summary>Whether the conversion is a no-op.</summary>
    public bool IsIdentity => Scale == 1.0 && Offset == 0.0;

    /// <summary>Converts one value.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public double Convert(double value) => Math.FusedMultiplyAdd(value, Scale, Offset);

    /// <summary>Converts values in place.</summary>
    public void ConvertInPlace(Span<double> values)
    {
        for (var i = 0; i < values.Length; i++)
            values[i] = Math.FusedMultiplyAdd(values[i], Scale, Offset);
    }

    /// <summary>Creates the converter from <paramref name="from"/> to <paramref name="to"/>.</summary>
    /// <exception cref="InvalidOperationException">The units have different dimensions.</exception>
    public static UnitConverter Create(Unit from, Unit to)
    {
        if (!TryCreate(from, to, out var converter))
            throw new InvalidOperationException(
                $"cannot convert '{from.Symbol}' ({from.Dimension}) to '{to.Symbol}' ({to.Dimension}): different dimensions");
        return converter;
    }

    /// <summary>Creates the converter, or returns false when the dimensions differ.</summary>
    public static bool TryCreate(Unit from, Unit to, out UnitConverter converter)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        if (from.Dimension != to.Dimension)
        {
            converter = default;
            return false;
        }
        if (ReferenceEquals(from, to))
        {
            converter = Identity;
            return true;
        }
        // base = v*sf + of;  to = (base - ot)/st  =>  to = v*(sf/st) + (of - ot)/st, computed in decimal.
        var scale = from.ExactScale / to.ExactScale;
        var offset = (from.ExactOffset - to.ExactOffset) / to.ExactScale;
        converter = new UnitConverter((double)scale, (double)offset);
        return true;
    }

    /// <inheritdoc />
    public bool Equals(UnitConverter other) => Scale.Equals(other.Scale) && Offset.Equals(other.Offset);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is UnitConverter other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Scale, Offset);

    /// <inheritdoc />
    public override string ToString() => Offset == 0 ? $"x * {Scale:R}" : $"x * {Scale:R} + {Offset:R}";
}
