namespace Millrace.Expressions.Benchmarks;

/// <summary>A telemetry sample as the rules engine holds it: a struct with the asset's signal values in an array.</summary>
public struct Sample
{
    public double Value;
    public int Quality;
    public double Ambient;
    public double[] Signals;
}
