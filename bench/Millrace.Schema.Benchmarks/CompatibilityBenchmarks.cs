using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using Millrace.Schema.Compatibility;

namespace Millrace.Schema.Benchmarks;

/// <summary>
/// Compatibility check of two 50-property event schemas (v1 and a v2 that adds an optional property, widens an
/// enum and loosens a bound): every property is compared, with strings, numbers, enums, a nested object and a $ref.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
[Config(typeof(ShortConfig))]
public class CompatibilityBenchmarks
{
    private JsonDocument _v1 = null!;
    private JsonDocument _v2 = null!;

    [GlobalSetup]
    public void Setup()
    {
        _v1 = JsonDocument.Parse(Build(version: 1));
        _v2 = JsonDocument.Parse(Build(version: 2));
        if (SchemaCompatibility.Check(_v2.RootElement, _v1.RootElement).Count != 0 || SchemaCompatibility.Check(_v1.RootElement, _v2.RootElement).Count == 0)
            throw new InvalidOperationException("benchmark schemas do not have the expected verdicts");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _v1.Dispose();
        _v2.Dispose();
    }

    [Benchmark(Baseline = true, Description = "Check backward (v2 reads v1), compatible, 50 properties")]
    public int Backward() => SchemaCompatibility.Check(_v2.RootElement, _v1.RootElement).Count;

    [Benchmark(Description = "Check forward (v1 reads v2), incompatible, 50 properties")]
    public int Forward() => SchemaCompatibility.Check(_v1.RootElement, _v2.RootElement).Count;

    [Benchmark(Description = "CheckAgainst FULL (both directions)")]
    public int Full() => SchemaCompatibility.CheckAgainst(CompatibilityMode.Full, _v2.RootElement, [_v1.RootElement]).Count;

    /// <summary>50 properties: strings with patterns/lengths, numbers with bounds, enums, a $ref'd quantity, timestamps.</summary>
    internal static string Build(int version)
    {
        var sb = new StringBuilder();
        sb.Append("""{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","properties":{""");
        int count = version == 1 ? 50 : 51;
        for (int i = 0; i < count; i++)
        {
            if (i > 0) sb.Append(',');
            sb.Append($"\"p{i:00}\":");
            sb.Append((i % 5) switch
            {
                0 => """{"type":"string","minLength":1,"maxLength":40,"pattern":"^[A-Z0-9-]+$"}""",
                1 => version == 1 ? """{"type":"number","minimum":0,"maximum":1000}""" : """{"type":"number","minimum":0,"maximum":100000}""",
                2 => version == 1 ? """{"enum":["A","B","C"]}""" : """{"enum":["A","B","C","D"]}""",
                3 => """{"$ref":"#/$defs/quantity"}""",
                _ => """{"type":"string","format":"date-time"}""",
            });
        }
        sb.Append("""},"required":["p00","p01","p02","p03","p04"],"additionalProperties":false,""");
        sb.Append("""
            "$defs":{"quantity":{"type":"object","properties":{"value":{"type":"number","minimum":0},"unit":{"enum":["pcs","kg","m"]}},"required":["value","unit"],"additionalProperties":false}}}
            """);
        return sb.ToString();
    }

    private sealed class ShortConfig : ManualConfig
    {
        public ShortConfig() => AddJob(Job.ShortRun.WithWarmupCount(3).WithIterationCount(5).WithLaunchCount(1));
    }
}
