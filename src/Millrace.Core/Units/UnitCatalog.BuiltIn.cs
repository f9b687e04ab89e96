namespace Millrace.Core.Units;

public sealed partial class UnitCatalog
{
    private const decimal Pi = 3.1415926535897932384626433833m;
    private const decimal PoundForce = 4.4482216152605m;   // N, exact by definition (lb × gn)
    private const decimal Inch = 0.0254m;                  // m, exact
    private const decimal Foot = 0.3048m;                  // m, exact
    private const decimal Pound = 0.45359237m;             // kg, exact
    private const decimal UsGallon = 0.003785411784m;      // m³, exact

    // Factors are exact decimals relative to the SI base unit of each dimension.
    private static Unit[] BuiltInUnits() =>
    [
        U("1", "dimensionless", Dimension.Dimensionless, 1m, "none"),

        U("ratio", "ratio (fraction of one)", Dimension.Ratio, 1m, "fraction"),
        U("%", "percent", Dimension.Ratio, 0.01m, "percent", "pct"),
        U("%RH", "percent relative humidity", Dimension.Ratio, 0.01m, "%rh", "RH%"),
        U("ppm", "parts per million", Dimension.Ratio, 0.000001m),

        U("count", "count (items)", Dimension.Count, 1m, "pcs", "ea", "each", "pieces", "parts", "cycles"),

        U("count/s", "items per second", Dimension.CountRate, 1m, "pcs/s", "parts/s"),
        U("count/min", "items per minute", Dimension.CountRate, 1m / 60m, "pcs/min", "parts/min", "bpm"),
        U("count/h", "items per hour", Dimension.CountRate, 1m / 3600m, "pcs/h", "parts/h", "uph"),

        U("K", "kelvin", Dimension.Temperature, 1m, "kelvin"),
        U("°C", "degree Celsius", Dimension.Temperature, 1m, 273.15m, "degC", "℃", "celsius", "Cel"),
        U("°F", "degree Fahrenheit", Dimension.Temperature, 5m / 9m, 459.67m * 5m / 9m, "degF", "℉", "fahrenheit"),

        U("m", "metre", Dimension.Length, 1m, "meter", "metre"),
        U("km", "kilometre", Dimension.Length, 1000m),
        U("cm", "centimetre", Dimension.Length, 0.01m),
        U("mm", "millimetre", Dimension.Length, 0.001m),
        U("µm", "micrometre", Dimension.Length, 0.000001m, "um", "μm", "micron"),
        U("in", "inch", Dimension.Length, Inch, "inch"),
        U("ft", "foot", Dimension.Length, Foot, "foot", "feet"),

        U("m/s", "metre per second", Dimension.Velocity, 1m),
        U("mm/s", "millimetre per second", Dimension.Velocity, 0.001m),
        U("µm/s", "micrometre per second", Dimension.Velocity, 0.000001m, "um/s", "μm/s"),
        U("m/min", "metre per minute", Dimension.Velocity, 1m / 60m),
        U("km/h", "kilometre per hour", Dimension.Velocity, 1000m / 3600m, "kph"),
        U("in/s", "inch per second", Dimension.Velocity, Inch, "ips"),
        U("ft/s", "foot per second", Dimension.Velocity, Foot, "fps"),
        U("ft/min", "foot per minute", Dimension.Velocity, Foot / 60m, "fpm"),
        U("mph", "mile per hour", Dimension.Velocity, 0.44704m),

        U("m/s²", "metre per second squared", Dimension.Acceleration, 1m, "m/s^2", "m/s2"),
        U("mm/s²", "millimetre per second squared", Dimension.Acceleration, 0.001m, "mm/s^2", "mm/s2"),
        U("gn", "standard gravity", Dimension.Acceleration, 9.80665m, "g0"),

        U("Hz", "hertz", Dimension.Frequency, 1m, "hz", "1/s"),
        U("kHz", "kilohertz", Dimension.Frequency, 1000m, "khz"),

        U("rev/s", "revolution per second", Dimension.RotationalSpeed, 1m, "rps", "r/s"),
        U("rpm", "revolution per minute", Dimension.RotationalSpeed, 1m / 60m, "r/min", "rev/min"),
        U("rad/s", "radian per second", Dimension.RotationalSpeed, 1m / (2m * Pi)),

        U("Pa", "pascal", Dimension.Pressure, 1m),
        U("hPa", "hectopascal", Dimension.Pressure, 100m),
        U("kPa", "kilopascal", Dimension.Pressure, 1000m),
        U("MPa", "megapascal", Dimension.Pressure, 1000000m),
        U("bar", "bar", Dimension.Pressure, 100000m),
        U("mbar", "millibar", Dimension.Pressure, 100m),
        U("psi", "pound-force per square inch", Dimension.Pressure, PoundForce / (Inch * Inch), "lbf/in²", "lbf/in2"),
        U("atm", "standard atmosphere", Dimension.Pressure, 101325m),
        U("mmHg", "millimetre of mercury", Dimension.Pressure, 133.322387415m),

        U("kg", "kilogram", Dimension.Mass, 1m),
        U("g", "gram", Dimension.Mass, 0.001m),
        U("mg", "milligram", Dimension.Mass, 0.000001m),
        U("t", "tonne", Dimension.Mass, 1000m, "tonne"),
        U("lb", "pound", Dimension.Mass, Pound, "lbs"),
        U("oz", "ounce", Dimension.Mass, Pound / 16m),

        U("m³", "cubic metre", Dimension.Volume, 1m, "m3", "m^3"),
        U("L", "litre", Dimension.Volume, 0.001m, "l", "litre", "liter"),
        U("mL", "millilitre", Dimension.Volume, 0.000001m, "ml"),
        U("gal", "US gallon", Dimension.Volume, UsGallon),

        U("m³/s", "cubic metre per second", Dimension.VolumetricFlow, 1m, "m3/s", "m^3/s"),
        U("m³/h", "cubic metre per hour", Dimension.VolumetricFlow, 1m / 3600m, "m3/h", "m^3/h"),
        U("m³/min", "cubic metre per minute", Dimension.VolumetricFlow, 1m / 60m, "m3/min", "m^3/min"),
        U("L/s", "litre per second", Dimension.VolumetricFlow, 0.001m, "l/s"),
        U("L/min", "litre per minute", Dimension.VolumetricFlow, 0.001m / 60m, "l/min", "lpm"),
        U("L/h", "litre per hour", Dimension.VolumetricFlow, 0.001m / 3600m, "l/h"),
        U("gal/min", "US gallon per minute", Dimension.VolumetricFlow, UsGallon / 60m, "gpm"),

        U("kg/s", "kilogram per second", Dimension.MassFlow, 1m),
        U("kg/h", "kilogram per hour", Dimension.MassFlow, 1m / 3600m),
        U("t/h", "tonne per hour", Dimension.MassFlow, 1000m / 3600m),
        U("lb/h", "pound per hour", Dimension.MassFlow, Pound / 3600m),

        U("A", "ampere", Dimension.Current, 1m, "amp"),
        U("mA", "milliampere", Dimension.Current, 0.001m),
        U("kA", "kiloampere", Dimension.Current, 1000m),

        U("V", "volt", Dimension.Voltage, 1m, "volt"),
        U("mV", "millivolt", Dimension.Voltage, 0.001m),
        U("kV", "kilovolt", Dimension.Voltage, 1000m),

        U("W", "watt", Dimension.Power, 1m, "watt"),
        U("kW", "kilowatt", Dimension.Power, 1000m),
        U("MW", "megawatt", Dimension.Power, 1000000m),
        U("hp", "mechanical horsepower", Dimension.Power, 550m * Foot * PoundForce),

        U("J", "joule", Dimension.Energy, 1m),
        U("kJ", "kilojoule", Dimension.Energy, 1000m),
        U("MJ", "megajoule", Dimension.Energy, 1000000m),
        U("Wh", "watt hour", Dimension.Energy, 3600m),
        U("kWh", "kilowatt hour", Dimension.Energy, 3600000m),
        U("MWh", "megawatt hour", Dimension.Energy, 3600000000m),

        U("N·m", "newton metre", Dimension.Torque, 1m, "N.m", "Nm", "N*m"),
        U("lbf·ft", "pound-force foot", Dimension.Torque, PoundForce * Foot, "lbf.ft", "ft·lbf", "ft.lbf"),
        U("lbf·in", "pound-force inch", Dimension.Torque, PoundForce * Inch, "lbf.in", "in·lbf", "in.lbf"),

        U("N", "newton", Dimension.Force, 1m),
        U("kN", "kilonewton", Dimension.Force, 1000m),
        U("lbf", "pound-force", Dimension.Force, PoundForce),

        U("s", "second", Dimension.Time, 1m, "sec"),
        U("ms", "millisecond", Dimension.Time, 0.001m),
        U("min", "minute", Dimension.Time, 60m),
        U("h", "hour", Dimension.Time, 3600m, "hr"),
        U("d", "day", Dimension.Time, 86400m, "day"),
    ];

    private static Unit U(string symbol, string name, Dimension dimension, decimal scale, params string[] aliases)
        => new(symbol, name, dimension, scale, 0m, aliases);

    private static Unit U(string symbol, string name, Dimension dimension, decimal scale, decimal offset, params string[] aliases)
        => new(symbol, name, dimension, scale, offset, aliases);
}
