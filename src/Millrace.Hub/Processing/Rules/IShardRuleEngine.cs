using System.Buffers;
using Millrace.Hub.Processing.Telemetry;

namespace Millrace.Hub.Processing.Rules;

/// <summary>
/// The rules of the assets one shard owns. The pipeline calls it from that shard's thread only, so per-asset state
/// needs no locks. Everything it emits goes to the sink passed in; it never does I/O itself.
/// </summary>
public interface IShardRuleEngine
{
    /// <summary>Evaluates every rule of the sample's asset and signal. Must not allocate unless a fact is emitted.</summary>
    void OnSample(in TelemetrySample sample, IRuleEventSink sink);

    /// <summary>
    /// The shard's watermark moved to <paramref name="watermarkMs"/> (event time minus allowed lateness, or wall time
    /// for idle assets): close windows and complete minimum-duration episodes that are now due.
    /// </summary>
    void AdvanceWatermark(long watermarkMs, IRuleEventSink sink);

    /// <summary>Writes the whole state of this shard's rules (counters, open episodes, windows, de-dup memory).</summary>
    void WriteCheckpoint(IBufferWriter<byte> output);

    /// <summary>What the shard did with samples so far (read from any thread; values may lag by a sample).</summary>
    RuleEngineCounters Counters { get; }

    /// <summary>Restores state written by <see cref="WriteCheckpoint"/>; rejects a foreign or corrupt checkpoint with a reason.</summary>
    void RestoreCheckpoint(ReadOnlySpan<byte> checkpoint);
}
