namespace Millrace.Hub.Processing.Telemetry;

/// <summary>OPC UA-style quality of a sample, kept from the source through processing.</summary>
public enum SampleQuality : byte
{
    /// <summary>The value is trustworthy.</summary>
    Good,
    /// <summary>The source doubts the value (sensor drift, stale, substituted).</summary>
    Uncertain,
    /// <summary>The value must not drive decisions.</summary>
    Bad,
}

/// <summary>
/// One canonical telemetry sample after normalisation: asset and signal interned to dense integers
/// (<see cref="TelemetryCatalog"/>), the value converted to the signal's declared unit, the time in UTC.
/// A plain struct so batches are arrays with no per-sample allocation.
/// </summary>
public struct TelemetrySample
{
    /// <summary>Dense asset index.</summary>
    public int Asset;

    /// <summary>Dense (asset, signal) index.</summary>
    public int Signal;

    /// <summary>Value in the signal's declared unit (booleans are 1 and 0).</summary>
    public double Value;

    /// <summary>Source time, Unix milliseconds, UTC.</summary>
    public long TimestampMs;

    /// <summary>Quality reported by the source.</summary>
    public SampleQuality Quality;

    /// <summary>
    /// A 64-bit hash of the message id the source gave the sample, or 0 when it gave none. Rules drop a sample whose
    /// non-zero id was already seen (a source re-sending after a lost acknowledgement).
    /// </summary>
    public ulong MessageId;
}
