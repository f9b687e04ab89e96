using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Millrace.Hub.Processing.Context;
using Millrace.Hub.Processing.Rules;
using Millrace.Hub.Processing.Telemetry;

namespace Millrace.Pipeline.CrashHost;

/// <summary>
/// A deliberately small rules engine for pipeline tests (the real engine lives in Processing/Rules): a cumulative
/// <c>good_count</c> counter per asset becomes quantities per production order (order from the asset context at the
/// sample's time), emitted every <see cref="ChunkSize"/> units and when the order changes. Samples not newer than the
/// last one seen are ignored, so re-delivered telemetry counts once. Records every watermark it is given.
/// </summary>
public sealed class CounterQuantityEngine(TelemetryCatalog catalog, IAssetContextSource context) : IShardRuleEngine
{
    public const string EventType = "com.acme.production.completed.v1";
    public const double ChunkSize = 50;

    private readonly Dictionary<int, AssetState> _assets = [];

    public RuleEngineCounters Counters { get; } = new();

    /// <summary>Watermarks received, in order.</summary>
    public List<long> Watermarks { get; } = [];

    public void OnSample(in TelemetrySample sample, IRuleEventSink sink)
    {
        if (catalog.SignalName(sample.Signal) != "good_count") return;
        if (!_assets.TryGetValue(sample.Asset, out var state)) _assets[sample.Asset] = state = new AssetState();
        if (sample.TimestampMs <= state.LastTs) return;
        string order = context.At(sample.Asset, sample.TimestampMs).Order?.OrderId ?? "none";
        if (state.Order is { } previous && previous != order)
        {
            Emit(sample.Asset, state, sample.TimestampMs, sink);
            state.Sequence = 0;
        }
        state.Order = order;
        double delta = sample.Value >= state.LastCounter ? sample.Value - state.LastCounter : sample.Value; // reset: counted from 0
        state.LastCounter = sample.Value;
        state.LastTs = sample.TimestampMs;
        state.Accumulated += delta;
        if (state.Accumulated >= ChunkSize) Emit(sample.Asset, state, sample.TimestampMs, sink);
    }

    private void Emit(int asset, AssetState state, long timeMs, IRuleEventSink sink)
    {
        if (state.Accumulated <= 0) return;
        string key = $"count/{catalog.AssetId(asset)}/{state.Order}/{state.Sequence++}";
        sink.Emit(new RuleEvent(EventType, "count", asset, timeMs, key,
            new JsonObject { ["orderId"] = state.Order, ["asset"] = catalog.AssetId(asset), ["good"] = state.Accumulated }));
        state.Accumulated = 0;
    }

    public void AdvanceWatermark(long watermarkMs, IRuleEventSink sink) => Watermarks.Add(watermarkMs);

    public void WriteCheckpoint(IBufferWriter<byte> output)
    {
        var text = new StringBuilder("counter-quantity/1\n");
        foreach (var (asset, s) in _assets.OrderBy(a => a.Key))
            text.Append(CultureInfo.InvariantCulture, $"{asset}|{s.LastTs}|{s.LastCounter:R}|{s.Accumulated:R}|{s.Sequence}|{s.Order}\n");
        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        bytes.CopyTo(output.GetSpan(bytes.Length));
        output.Advance(bytes.Length);
    }

    public void RestoreCheckpoint(ReadOnlySpan<byte> checkpoint)
    {
        var lines = Encoding.UTF8.GetString(checkpoint).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length == 0 || lines[0] != "counter-quantity/1") throw new InvalidDataException("not a counter-quantity/1 checkpoint");
        _assets.Clear();
        foreach (var line in lines.Skip(1))
        {
            var f = line.Split('|');
            _assets[int.Parse(f[0], CultureInfo.InvariantCulture)] = new AssetState
            {
                LastTs = long.Parse(f[1], CultureInfo.InvariantCulture),
                LastCounter = double.Parse(f[2], CultureInfo.InvariantCulture),
                Accumulated = double.Parse(f[3], CultureInfo.InvariantCulture),
                Sequence = int.Parse(f[4], CultureInfo.InvariantCulture),
                Order = f[5].Length == 0 ? null : f[5],
            };
        }
    }

    private sealed class AssetState
    {
        public long LastTs = long.MinValue;
        public double LastCounter;
        public double Accumulated;
        public int Sequence;
        public string? Order;
    }
}
