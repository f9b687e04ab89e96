namespace Millrace.Hub.Processing.Rules;

/// <summary>
/// Counts of one shard's rule engine, so nothing it drops is dropped silently. Written by the shard's thread only;
/// other threads read them with <see cref="Volatile"/> semantics (a reading may lag by a sample).
/// </summary>
public sealed class RuleEngineCounters
{
    internal long SamplesValue;
    internal long DuplicatesValue;
    internal long LateValue;
    internal long BadQualityValue;
    internal long EventsValue;
    internal double UnattributedQuantityValue;

    /// <summary>Samples handed to the engine.</summary>
    public long Samples => Volatile.Read(ref SamplesValue);

    /// <summary>Samples dropped as duplicates: same (asset, signal, timestamp), or a message id already seen.</summary>
    public long Duplicates => Volatile.Read(ref DuplicatesValue);

    /// <summary>Samples older than the allowed lateness (also reported through <see cref="IRuleEventSink.Late"/>).</summary>
    public long Late => Volatile.Read(ref LateValue);

    /// <summary>Samples of quality Bad, which update no rule.</summary>
    public long BadQuality => Volatile.Read(ref BadQualityValue);

    /// <summary>Business facts emitted.</summary>
    public long Events => Volatile.Read(ref EventsValue);

    /// <summary>Counted quantity produced while no production order was active on the asset's line (no event carries it).</summary>
    public double UnattributedQuantity => Volatile.Read(ref UnattributedQuantityValue);
}
