using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using Millrace.Core.Units;
using Millrace.Hub.Processing.Telemetry;

namespace Millrace.Rules.Benchmarks;

/// <summary>
/// The decode and normalise step of the HTTP/MQTT ingest path: one 500-sample JSON batch (~150 bytes a sample, RFC 3339
/// times, units given and converted where they differ from the declared one) read by <see cref="TelemetryBatchReader"/>
/// into a pooled sample array, as <c>POST /ingest/telemetry</c> does. Mean and Allocated are per batch; divide by
/// 500 for a sample. The target is 0 B per sample: only the per-batch lists remain.
/// </summary>
[MemoryDiagnoser]
public class TelemetryDecodeBenchmarks
{
    private const int BatchSize = 500;
    private ReadOnlySequence<byte> _batch;
    private TelemetryCatalog _catalog = null!;
    private readonly List<PayloadError> _errors = [];
    private readonly List<SampleRejection> _rejections = [];

    [Params(512, 50_000)]
    public int Assets { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var set = BenchPlant.Build(Assets, "1m", "100");
        _catalog = TelemetryCatalog.From(set.Model);
        var random = new Random(7);
        var json = new StringBuilder("[");
        string[] signals = ["vibration", "temperature", "good-count", "scrap-count", "state", "speed"];
        for (int i = 0; i < BatchSize; i++)
        {
            string asset = _catalog.AssetId(random.Next(_catalog.AssetCount));
            string signal = signals[i % signals.Length];
            string value = signal switch
            {
                "state" => "\"running\"",
                "temperature" => (150 + random.Next(20)).ToString(System.Globalization.CultureInfo.InvariantCulture), // °F, converted
                _ => (random.NextDouble() * 100).ToString("F3", System.Globalization.CultureInfo.InvariantCulture),
            };
            string unit = signal switch { "vibration" => ",\"unit\":\"mm/s\"", "temperature" => ",\"unit\":\"°F\"", _ => "" };
            if (i > 0) json.Append(',');
            json.Append("{\"asset\":\"").Append(asset).Append("\",\"signal\":\"").Append(signal).Append("\",\"value\":").Append(value)
                .Append(",\"ts\":\"2026-11-22T10:00:").Append((i % 60).ToString("00")).Append(".125Z\"").Append(unit).Append(",\"quality\":\"good\"}");
        }
        _batch = new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(json.Append(']').ToString()));
        if (Decode() != BatchSize) throw new InvalidOperationException($"the batch did not decode whole: {_errors.FirstOrDefault()} {_rejections.FirstOrDefault()}");
    }

    /// <summary>Decodes and normalises one batch of 500 samples.</summary>
    [Benchmark(OperationsPerInvoke = 1)]
    public int Decode()
    {
        _errors.Clear();
        _rejections.Clear();
        var samples = TelemetrySamplePool.Shared.Rent(512);
        int count = TelemetryBatchReader.Read(_batch, _catalog, UnitCatalog.Default, ref samples, _errors, _rejections);
        TelemetrySamplePool.Shared.Return(samples);
        return count;
    }
}
