using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace Millrace.Schema.Benchmarks;

/// <summary>
/// Validation throughput of the compiled production.completed v1 schema (formats asserted) on small events.
/// Events per second = 1 / mean. The Parse benchmarks include JsonDocument.Parse of the UTF-8 payload.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
[Config(typeof(ShortConfig))]
public class ProductionCompletedBenchmarks
{
    private JsonSchemaValidator _validator = null!;
    private JsonDocument _valid = null!;
    private JsonDocument _invalid = null!;
    private byte[] _validUtf8 = null!;
    private JsonSchemaValidator _sample = null!;
    private JsonDocument _sampleValid = null!;
    private JsonDocument _sampleInvalid = null!;

    [GlobalSetup]
    public void Setup()
    {
        _validator = JsonSchema.Compile(ProductionCompletedSchema.Schema, new JsonSchemaOptions { AssertFormats = true });
        _valid = JsonDocument.Parse(ProductionCompletedSchema.ValidEvent);
        _invalid = JsonDocument.Parse(ProductionCompletedSchema.InvalidEvent);
        _validUtf8 = Encoding.UTF8.GetBytes(ProductionCompletedSchema.ValidEvent);
        if (!_validator.IsValid(_valid.RootElement) || _validator.IsValid(_invalid.RootElement))
            throw new InvalidOperationException("benchmark events do not have the expected verdicts");
        _sample = JsonSchema.Compile(SampleProductionCompletedSchema.Schema, new JsonSchemaOptions { AssertFormats = true });
        _sampleValid = JsonDocument.Parse(SampleProductionCompletedSchema.ValidEvent);
        _sampleInvalid = JsonDocument.Parse(SampleProductionCompletedSchema.InvalidEvent);
        if (!_sample.IsValid(_sampleValid.RootElement) || _sample.IsValid(_sampleInvalid.RootElement))
            throw new InvalidOperationException("sample events do not have the expected verdicts");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _valid.Dispose();
        _invalid.Dispose();
        _sampleValid.Dispose();
        _sampleInvalid.Dispose();
    }

    [Benchmark(Baseline = true, Description = "IsValid, valid event")]
    public bool IsValid_valid() => _validator.IsValid(_valid.RootElement);

    [Benchmark(Description = "IsValid, invalid event")]
    public bool IsValid_invalid() => _validator.IsValid(_invalid.RootElement);

    [Benchmark(Description = "Validate (basic output), valid event")]
    public bool Validate_valid() => _validator.Validate(_valid.RootElement).IsValid;

    [Benchmark(Description = "Validate (basic output), invalid event")]
    public int Validate_invalid() => _validator.Validate(_invalid.RootElement).Errors.Count;

    [Benchmark(Description = "Parse UTF-8 + IsValid, valid event")]
    public bool Parse_and_IsValid_valid()
    {
        using var doc = JsonDocument.Parse(_validUtf8);
        return _validator.IsValid(doc.RootElement);
    }

    [Benchmark(Description = "samples/acme schema: IsValid, valid event")]
    public bool Sample_IsValid_valid() => _sample.IsValid(_sampleValid.RootElement);

    [Benchmark(Description = "samples/acme schema: IsValid, invalid event")]
    public bool Sample_IsValid_invalid() => _sample.IsValid(_sampleInvalid.RootElement);

    private sealed class ShortConfig : ManualConfig
    {
        public ShortConfig() => AddJob(Job.ShortRun.WithWarmupCount(3).WithIterationCount(5).WithLaunchCount(1));
    }
}
