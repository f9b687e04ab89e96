using System.Buffers;
using System.Text.Json;
using Millrace.Core.Config;
using Millrace.Core.Units;
using Millrace.Hub.Governance;
using Millrace.Hub.Processing.Rules;
using Millrace.Hub.Processing.Telemetry;
using Millrace.Hub.Simulation;
using Millrace.Schema;

namespace Millrace.Hub.Tests.Processing.Rules;

/// <summary>samples/acme/rules.yaml against the plant simulator: all four business event kinds, every one schema-valid.</summary>
public sealed class AcmeRulesSpecs
{
    private static readonly string Root = FindRoot();

    [Fact]
    public void Acme_rules_turn_simulated_telemetry_into_alerts_downtime_production_excursions_and_quality_exceptions_that_match_their_schemas()
    {
        var loaded = new ConfigLoader(GovernanceConfig.Sections()).LoadDirectory(Path.Combine(Root, "samples", "acme"));
        Assert.False(loaded.HasErrors, string.Join("\n", loaded.Diagnostics));
        var model = loaded.Config.Model;
        var set = RuleSet.Compile(loaded.Config.Get<RuleBook>()!, model);
        var context = new ScheduledContext(model);
        foreach (var line in model.Lines) context.Release(line.Id, "PO-" + (100000 + line.GetHashCode() % 1000 + 1000).ToString(), 0);
        var engine = set.CreateShard(0, 1, context);
        var sink = new CollectingSink();
        var catalog = TelemetryCatalog.From(model);
        var simulator = new PlantSimulator(model, new SimulatorOptions { BatchSize = 500, Seed = 7, FaultRate = 0 });
        var buffer = new ArrayBufferWriter<byte>();
        var samples = ArrayPool<TelemetrySample>.Shared.Rent(1024);
        var errors = new List<PayloadError>();
        var rejections = new List<SampleRejection>();
        long ms = 1_800_000_000_000;
        for (int batch = 0; batch < 2_500; batch++) // about 600 readings of every signal
        {
            buffer.ResetWrittenCount();
            simulator.WriteBatch(buffer, DateTimeOffset.FromUnixTimeMilliseconds(ms += 250));
            int n = TelemetryBatchReader.Read(new ReadOnlySequence<byte>(buffer.WrittenMemory), catalog, UnitCatalog.Default, ref samples, errors, rejections);
            Assert.Empty(errors);
            for (int i = 0; i < n; i++) engine.OnSample(in samples[i], sink);
        }
        engine.AdvanceWatermark(ms + 120_000, sink);
        ArrayPool<TelemetrySample>.Shared.Return(samples);

        var schemas = loaded.Config.Get<ConfigCatalog<SchemaDefinition>>()!;
        var counts = sink.Events.GroupBy(e => e.Type).ToDictionary(g => g.Key, g => g.Count());
        foreach (var type in new[] { "com.acme.maintenance.alert.raised.v1", "com.acme.asset.downtime.started.v1", "com.acme.asset.downtime.ended.v1",
                     "com.acme.production.completed.v1", "com.acme.coldchain.excursion.detected.v1", "com.acme.quality.exception.raised.v1" })
            Assert.True(counts.GetValueOrDefault(type) > 0, $"no {type}; got {string.Join(", ", counts)}");
        foreach (var group in sink.Events.GroupBy(e => e.Type))
        {
            var validator = JsonSchema.Compile(schemas[group.Key].Schema);
            foreach (var e in group)
            {
                var result = validator.Validate(JsonSerializer.SerializeToElement(e.Data));
                Assert.True(result.IsValid, $"{e.Type} {e.Data.ToJsonString()}: {result.ToJson()}");
            }
        }
        Assert.Equal(sink.Events.Count, sink.Events.Select(e => e.FactKey).Distinct().Count());
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Millrace.slnx"))) return dir.FullName;
        throw new InvalidOperationException("Millrace.slnx not found above " + AppContext.BaseDirectory);
    }
}
