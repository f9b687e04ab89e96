namespace Millrace.Core.Model;

/// <summary>The plausible (engineering) range of a signal or limit; either bound may be open.</summary>
/// <param name="Min">Inclusive lower bound, or null for none.</param>
/// <param name="Max">Inclusive upper bound, or null for none.</param>
public readonly record struct ValueRange(double? Min, double? Max)
{
    /// <summary>Whether <paramref name="value"/> lies within the bounds.</summary>
    public bool Contains(double value) => (Min is not { } lo || value >= lo) && (Max is not { } hi || value <= hi);

    /// <inheritdoc />
    public override string ToString() => $"[{Min?.ToString("R", System.Globalization.CultureInfo.InvariantCulture) ?? "-inf"}, {Max?.ToString("R", System.Globalization.CultureInfo.InvariantCulture) ?? "+inf"}]";
}
