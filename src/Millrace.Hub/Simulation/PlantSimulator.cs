using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Millrace.Core.Events;
using Millrace.Core.Model;

namespace Millrace.Hub.Simulation;

/// <summary>
/// Realistic telemetry for an enterprise model: every signal of every asset in turn, in the JSON the HTTP ingest
/// takes. Deterministic for a seed. Not thread-safe: one producer generates, any number of senders send.
/// </summary>
public sealed class PlantSimulator
{
    private readonly EnterpriseModel _model;
    private readonly SimulatorOptions _options;
    private readonly Random _random;
    private readonly SignalBehaviour[] _behaviours;
    private readonly bool[] _assetDown;
    private readonly int[] _stateSignalOfAsset;
    private int _cursor;
    private readonly int[][] _signalsOfAsset;
    private int _assetCursor;
    private int _orderSequence;

    /// <summary>Prepares a behaviour for every signal of the model.</summary>
    public PlantSimulator(EnterpriseModel model, SimulatorOptions options)
    {
        options.Validate();
        if (model.SignalCount == 0) throw new ArgumentException("the enterprise model has no signals to simulate", nameof(model));
        _model = model;
        _options = options;
        _random = new Random(options.Seed);
        _behaviours = new SignalBehaviour[model.SignalCount];
        _assetDown = new bool[model.AssetCount];
        _stateSignalOfAsset = new int[model.AssetCount];
        Array.Fill(_stateSignalOfAsset, -1);
        var byAsset = new List<int>[model.AssetCount];
        for (int i = 0; i < model.SignalCount; i++)
        {
            var signal = model.GetSignal(i);
            _behaviours[i] = new SignalBehaviour(signal, signal.Asset.StorageLocationId is not null, _random, model.GetStorageLocation(signal.Asset)?.Temperature);
            if (signal.Definition.Kind == SignalKind.State) _stateSignalOfAsset[signal.Asset.Index] = i;
            (byAsset[signal.Asset.Index] ??= []).Add(i);
        }
        _signalsOfAsset = [.. byAsset.Select(l => l?.ToArray() ?? [])];
    }

    /// <summary>Samples generated so far, faults included.</summary>
    public long Generated { get; private set; }

    /// <summary>Samples deliberately sent for an unknown asset so far.</summary>
    public long FaultsInjected { get; private set; }

    /// <summary>Writes the next batch as a JSON array of samples stamped <paramref name="now"/>; returns the sample count.</summary>
    public int WriteBatch(IBufferWriter<byte> output, DateTimeOffset now)
    {
        using var writer = new Utf8JsonWriter(output, new JsonWriterOptions { SkipValidation = true });
        long ts = now.ToUnixTimeMilliseconds();
        int count = _options.BatchSize;
        bool fault = _options.FaultRate > 0 && _random.NextDouble() < _options.FaultRate;
        writer.WriteStartArray();
        for (int i = 0; i < count; i++)
        {
            if (fault && i == count / 2)
            {
                WriteSample(writer, "plant-00/unregistered/ghost-01", "spindle_vibration", 4.2, null, ts);
                FaultsInjected++;
                continue;
            }
            int s = _cursor;
            _cursor = (_cursor + 1) % _behaviours.Length;
            var signal = _model.GetSignal(s);
            int asset = signal.Asset.Index;
            double value = _behaviours[s].Next(_random, _assetDown[asset]);
            if (_stateSignalOfAsset[asset] == s) _assetDown[asset] = _behaviours[s].IsDown;
            var states = signal.Definition.States;
            string? state = signal.Definition.Kind == SignalKind.State && !states.IsDefaultOrEmpty ? states[(int)value] : null;
            WriteSample(writer, signal.Asset.Id, signal.Name, value, state, ts);
        }
        writer.WriteEndArray();
        Generated += count;
        return count;
    }

    /// <summary>
    /// Writes every signal of the next asset (assets in turn) as a JSON array of samples without <c>asset</c>, the
    /// MQTT payload whose topic names the asset. Returns the asset's full id, or, for an injected fault (see
    /// <see cref="SimulatorOptions.FaultRate"/>, per message here), an id no model has.
    /// </summary>
    public string WriteAssetBatch(IBufferWriter<byte> output, DateTimeOffset now, out int count)
    {
        using var writer = new Utf8JsonWriter(output, new JsonWriterOptions { SkipValidation = true });
        long ts = now.ToUnixTimeMilliseconds();
        writer.WriteStartArray();
        if (_options.FaultRate > 0 && _random.NextDouble() < _options.FaultRate)
        {
            WriteSample(writer, null, "spindle_vibration", 4.2, null, ts);
            writer.WriteEndArray();
            FaultsInjected++;
            Generated++;
            count = 1;
            return "plant-00/unregistered/ghost-01";
        }
        int asset;
        do
        {
            asset = _assetCursor;
            _assetCursor = (_assetCursor + 1) % _signalsOfAsset.Length;
        }
        while (_signalsOfAsset[asset].Length == 0);
        foreach (int s in _signalsOfAsset[asset])
        {
            var signal = _model.GetSignal(s);
            double value = _behaviours[s].Next(_random, _assetDown[asset]);
            if (_stateSignalOfAsset[asset] == s) _assetDown[asset] = _behaviours[s].IsDown;
            var states = signal.Definition.States;
            string? state = signal.Definition.Kind == SignalKind.State && !states.IsDefaultOrEmpty ? states[(int)value] : null;
            WriteSample(writer, null, signal.Name, value, state, ts);
        }
        writer.WriteEndArray();
        count = _signalsOfAsset[asset].Length;
        Generated += count;
        return _model.GetAsset(asset).Id;
    }

    /// <summary>One <c>production.order.released.v1</c> event per production line: work for the counters to count.</summary>
    public IReadOnlyList<CloudEvent> ReleaseOrders(DateTimeOffset now)
    {
        var events = new List<CloudEvent>(_model.Lines.Length);
        foreach (var line in _model.Lines)
        {
            string order = "PO-" + (100000 + ++_orderSequence).ToString(CultureInfo.InvariantCulture);
            var data = OrderReleasedData(order, line.SiteId, line.Id, "FG-" + (1000 + _orderSequence % 40).ToString(CultureInfo.InvariantCulture),
                500 + _random.Next(0, 20) * 50, now);
            events.Add(new CloudEvent
            {
                Id = $"{order}-released",
                Source = "/millrace/simulator/erp",
                Type = "com.acme.production.order.released.v1",
                DataSchema = "https://millrace.dev/schemas/com.acme.production.order.released.v1/1",
                Subject = order,
                Time = now,
                DataContentType = "application/json",
                PartitionKey = line.Id,
                Plant = line.SiteId,
                DataKind = CloudEventDataKind.Json,
                Data = data,
            });
        }
        return events;
    }

    /// <summary>The <c>data</c> of an order release, valid against the catalogue's production.order.released.v1 schema.</summary>
    private static byte[] OrderReleasedData(string order, string plant, string line, string material, int quantity, DateTimeOffset now)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("orderId"u8, order);
            w.WriteString("plant"u8, plant);
            w.WriteString("line"u8, line);
            w.WriteString("material"u8, material);
            w.WriteStartObject("plannedQuantity"u8);
            w.WriteNumber("value"u8, quantity);
            w.WriteString("unit"u8, "pcs");
            w.WriteEndObject();
            w.WriteStartArray("operations"u8);
            w.WriteStartObject();
            w.WriteString("operation"u8, "0010");
            w.WriteString("workCenter"u8, "WC-" + line[(line.LastIndexOf('/') + 1)..].ToUpperInvariant()[..Math.Min(13, line.Length - line.LastIndexOf('/') - 1)]);
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteString("releasedAt"u8, now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteSample(Utf8JsonWriter writer, string? asset, string signal, double value, string? state, long ts)
    {
        writer.WriteStartObject();
        if (asset is not null) writer.WriteString("asset"u8, asset);
        writer.WriteString("signal"u8, signal);
        if (state is not null) writer.WriteString("value"u8, state);
        else writer.WriteNumber("value"u8, Math.Round(value, 3));
        writer.WriteNumber("ts"u8, ts);
        writer.WriteEndObject();
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, object>))]
[System.Text.Json.Serialization.JsonSerializable(typeof(int))]
[System.Text.Json.Serialization.JsonSerializable(typeof(string))]
internal sealed partial class SimulationJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
