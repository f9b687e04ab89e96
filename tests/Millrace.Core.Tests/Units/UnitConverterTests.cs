using Millrace.Core.Units;

namespace Millrace.Core.Tests.Units;

public sealed class UnitConverterTests
{
    private static UnitConverter C(string from, string to) => UnitConverter.Create(UnitCatalog.Default.Parse(from), UnitCatalog.Default.Parse(to));

    [Theory]
    [InlineData("°F", "°C", 212, 100)]
    [InlineData("°F", "°C", 32, 0)]
    [InlineData("°F", "°C", -40, -40)]
    [InlineData("°F", "°C", 98.6, 37)]
    [InlineData("°C", "°F", 100, 212)]
    [InlineData("°C", "K", 0, 273.15)]
    [InlineData("K", "°C", 0, -273.15)]
    [InlineData("K", "°F", 0, -459.67)]
    [InlineData("°F", "K", 32, 273.15)]
    public void Temperature_conversions_are_affine_and_exact(string from, string to, double value, double expected)
    {
        Assert.Equal(expected, C(from, to).Convert(value), 12);
    }

    [Theory]
    [InlineData("in/s", "mm/s", 1, 25.4)]
    [InlineData("mm/s", "in/s", 25.4, 1)]
    [InlineData("in/s", "mm/s", 0.3, 7.62)]
    [InlineData("psi", "kPa", 1, 6.894757293168361)]
    [InlineData("bar", "psi", 1, 14.503773773020924)]
    [InlineData("bar", "kPa", 1, 100)]
    [InlineData("mbar", "Pa", 1, 100)]
    [InlineData("lb", "kg", 1, 0.45359237)]
    [InlineData("kg", "lb", 1, 2.2046226218487757)]
    [InlineData("oz", "g", 1, 28.349523125)]
    [InlineData("rpm", "rad/s", 60, 6.283185307179586)]
    [InlineData("rpm", "rev/s", 6000, 100)]
    [InlineData("kWh", "MJ", 1, 3.6)]
    [InlineData("hp", "kW", 1, 0.745699871582270)]
    [InlineData("gal/min", "L/min", 1, 3.785411784)]
    [InlineData("m³/h", "L/min", 60, 1000)]
    [InlineData("gn", "m/s²", 1, 9.80665)]
    [InlineData("%", "ratio", 50, 0.5)]
    [InlineData("count/min", "count/h", 10, 600)]
    [InlineData("lbf·ft", "N·m", 1, 1.3558179483314004)]
    [InlineData("ft/min", "m/s", 196.8503937007874, 1)]
    [InlineData("min", "s", 1.5, 90)]
    public void Linear_conversions_use_exact_definitions(string from, string to, double value, double expected)
    {
        Assert.Equal(expected, C(from, to).Convert(value), 12);
    }

    [Fact]
    public void Inch_per_second_to_millimetre_per_second_is_the_exact_factor()
    {
        var c = C("in/s", "mm/s");
        Assert.Equal(25.4, c.Scale);
        Assert.Equal(0.0, c.Offset);
    }

    [Fact]
    public void Same_unit_is_the_identity()
    {
        Assert.True(C("mm/s", "mm/s").IsIdentity);
        Assert.Equal(UnitConverter.Identity, C("°C", "°C"));
    }

    [Fact]
    public void Converting_between_dimensions_is_refused()
    {
        var error = Assert.Throws<InvalidOperationException>(() => C("°C", "mm/s"));
        Assert.Equal("cannot convert '°C' (Temperature) to 'mm/s' (Velocity): different dimensions", error.Message);
        Assert.False(UnitConverter.TryCreate(UnitCatalog.Default.Parse("bar"), UnitCatalog.Default.Parse("kg"), out _));
    }

    [Fact]
    public void Round_trip_returns_the_original_value()
    {
        var there = C("°F", "K");
        var back = C("K", "°F");
        foreach (var v in new[] { -459.67, -40, 0, 32, 72.5, 451 })
            Assert.Equal(v, back.Convert(there.Convert(v)), 10);
    }

    [Fact]
    public void Convert_in_place_applies_to_every_value()
    {
        double[] values = [32, 212, -40];
        C("°F", "°C").ConvertInPlace(values);
        Assert.Equal(0, values[0], 12);
        Assert.Equal(100, values[1], 12);
        Assert.Equal(-40, values[2], 12);
    }
}
