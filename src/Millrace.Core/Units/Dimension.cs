namespace Millrace.Core.Units;

/// <summary>
/// The physical dimension of a <see cref="Unit"/>. Only units of the same dimension convert into each other.
/// </summary>
public enum Dimension
{
    /// <summary>A pure number with no unit (for example a code or an index).</summary>
    Dimensionless,
    /// <summary>A ratio: fraction, percent, parts per million.</summary>
    Ratio,
    /// <summary>A number of discrete items: parts, bottles, cycles.</summary>
    Count,
    /// <summary>Items per unit of time: parts per minute.</summary>
    CountRate,
    /// <summary>Thermodynamic temperature (°C, °F, K); conversions are affine.</summary>
    Temperature,
    /// <summary>Length or distance.</summary>
    Length,
    /// <summary>Linear velocity, including vibration velocity (mm/s, in/s).</summary>
    Velocity,
    /// <summary>Linear acceleration, including vibration acceleration (m/s², gn).</summary>
    Acceleration,
    /// <summary>Frequency of a periodic phenomenon (Hz).</summary>
    Frequency,
    /// <summary>Rotational speed of a shaft or spindle (rpm).</summary>
    RotationalSpeed,
    /// <summary>Pressure (Pa, bar, psi).</summary>
    Pressure,
    /// <summary>Mass (kg, lb).</summary>
    Mass,
    /// <summary>Volume (L, m³, gal).</summary>
    Volume,
    /// <summary>Volumetric flow rate (L/min, m³/h).</summary>
    VolumetricFlow,
    /// <summary>Mass flow rate (kg/h).</summary>
    MassFlow,
    /// <summary>Electric current (A).</summary>
    Current,
    /// <summary>Electric potential (V).</summary>
    Voltage,
    /// <summary>Power (W, kW, hp).</summary>
    Power,
    /// <summary>Energy (J, kWh).</summary>
    Energy,
    /// <summary>Torque (N·m).</summary>
    Torque,
    /// <summary>Force (N).</summary>
    Force,
    /// <summary>Duration (s, min, h).</summary>
    Time,
}
