using Millrace.Core.Units;

namespace Millrace.Core.Tests.Units;

public sealed class UnitCatalogTests
{
    private static readonly UnitCatalog Units = UnitCatalog.Default;

    [Theory]
    [InlineData("°C", "°C")]
    [InlineData("degC", "°C")]
    [InlineData("℃", "°C")]
    [InlineData("degF", "°F")]
    [InlineData("K", "K")]
    [InlineData("mm/s", "mm/s")]
    [InlineData("ips", "in/s")]
    [InlineData("m/s^2", "m/s²")]
    [InlineData("um", "µm")]
    [InlineData("μm", "µm")]
    [InlineData("m3/h", "m³/h")]
    [InlineData("pcs", "count")]
    [InlineData(" kWh ", "kWh")]
    [InlineData("Nm", "N·m")]
    [InlineData("%", "%")]
    public void Symbols_and_aliases_parse_to_the_canonical_unit(string text, string symbol)
    {
        Assert.True(Units.TryParse(text, out var unit));
        Assert.Equal(symbol, unit.Symbol);
    }

    [Fact]
    public void Parsing_is_case_sensitive_because_case_changes_meaning()
    {
        Assert.Equal(Dimension.Length, Units.Parse("mm").Dimension);
        Assert.False(Units.TryParse("MM", out _));
        Assert.Equal(Dimension.Mass, Units.Parse("g").Dimension); // gram, not standard gravity
        Assert.Equal(Dimension.Acceleration, Units.Parse("gn").Dimension);
    }

    [Theory]
    [InlineData("C", "ambiguous unit 'C' (coulomb or degree Celsius?); write '°C'")]
    [InlineData("F", "ambiguous unit 'F' (farad or degree Fahrenheit?); write '°F'")]
    [InlineData("°K", "ambiguous unit '°K' (kelvin takes no degree sign); write 'K'")]
    [InlineData("mm/ss", "unknown unit 'mm/ss'; did you mean 'mm/s'?")]
    [InlineData("RPM", "unknown unit 'RPM'; did you mean 'rpm'?")]
    [InlineData("kwh", "unknown unit 'kwh'; did you mean 'kWh'?")]
    [InlineData("furlong/fortnight", "unknown unit 'furlong/fortnight' (see docs/configuration.md, \"Units\")")]
    [InlineData("", "empty unit")]
    public void Unknown_and_ambiguous_units_are_explained_with_a_suggestion(string text, string error)
    {
        Assert.False(Units.TryParse(text, out _, out var actual));
        Assert.Equal(error, actual);
        Assert.Equal(error, Assert.Throws<FormatException>(() => Units.Parse(text)).Message);
    }

    [Fact]
    public void Span_lookup_finds_the_same_instance_as_string_lookup()
    {
        const string payload = "{\"unit\":\"mm/s\"}";
        Assert.True(Units.TryParse(payload.AsSpan(9, 4), out var fromSpan));
        Assert.Same(Units.Parse("mm/s"), fromSpan);
    }

    [Fact]
    public void Every_dimension_has_exactly_one_base_unit_and_every_spelling_is_unique()
    {
        foreach (var dimension in Enum.GetValues<Dimension>())
        {
            Assert.Single(Units.OfDimension(dimension), u => u.ScaleToBase == 1 && u.OffsetToBase == 0);
        }
        var spellings = Units.All.SelectMany(u => u.Aliases.Prepend(u.Symbol)).ToList();
        Assert.Equal(spellings.Count, spellings.Distinct(StringComparer.Ordinal).Count());
    }
}
