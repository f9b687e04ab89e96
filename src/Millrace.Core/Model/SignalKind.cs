namespace Millrace.Core.Model;

/// <summary>How the values of a signal behave over time; rules treat each kind differently.</summary>
public enum SignalKind
{
    /// <summary>An instantaneous measurement that goes up and down (temperature, vibration, speed).</summary>
    Gauge,
    /// <summary>A cumulative total that only increases, except when the device resets it (good and scrap counts, energy).</summary>
    Counter,
    /// <summary>A discrete state from a known set (running, idle, down, …).</summary>
    State,
}
