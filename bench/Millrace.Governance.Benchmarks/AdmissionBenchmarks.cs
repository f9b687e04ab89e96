using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using Millrace.Core.Config;
using Millrace.Core.Events;
using Millrace.Hub.DeadLetters;
using Millrace.Hub.Governance;
using Millrace.Hub.Governance.Admission;
using Millrace.Hub.Governance.Rules;
using Millrace.Hub.Log;
using Millrace.Hub.Observability;
using Millrace.Log.Sqlite;

namespace Millrace.Governance.Benchmarks;

/// <summary>
/// The gate's decision for one production-completed event (registry and rules of samples/acme): parsing the envelope
/// from bytes and checking it (what HTTP and MQTT ingest do per event), and checking an already parsed event (what a
/// rule's output costs). Valid, schema-invalid (good as text: full basic output) and rule-violating events.
/// </summary>
[MemoryDiagnoser]
public class AdmissionBenchmarks
{
    private const string Valid = """
        {"specversion":"1.0","id":"c-1","source":"/acme/plant-01/mes","type":"com.acme.production.completed.v1",
         "dataschema":"https://millrace.dev/schemas/com.acme.production.completed.v1/1","time":"2026-11-22T08:14:55Z","plant":"plant-01",
         "data":{"orderId":"1000004711","operation":"0020","plant":"plant-01","asset":"plant-01/pack-1/filler-01","material":"BRKT-7731-A",
                 "good":480,"scrap":3.5,"unit":"pcs","lot":"L2026-1122-07","startedAt":"2026-11-22T06:00:00Z","completedAt":"2026-11-22T08:14:55.120Z"}}
        """;

    private string _dir = "";
    private SchemaRegistry _registry = null!;
    private SqliteEventLog _log = null!;
    private SqliteQuarantineStore _quarantine = null!;
    private AdmissionGate _gate = null!;
    private byte[] _validBytes = [], _invalidBytes = [], _ruleBytes = [];
    private CloudEvent _valid = null!, _invalid = null!, _rule = null!;

    [GlobalSetup]
    public void Setup()
    {
        _dir = Path.Combine(Path.GetTempPath(), "millrace-bench-admission", Guid.NewGuid().ToString("n"));
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "Millrace.slnx"))) root = root.Parent!;
        var config = new ConfigLoader(GovernanceConfig.Sections()).LoadDirectory(Path.Combine(root.FullName, "samples", "acme")).Config;
        _registry = SchemaRegistry.Open(Path.Combine(_dir, "registry.db"));
        _registry.Apply(config.Get<ConfigCatalog<SchemaDefinition>>()!.All);
        var telemetry = new HubTelemetry();
        _log = SqliteEventLog.Open(new SqliteEventLogOptions { Path = Path.Combine(_dir, "log.db"), PartitionCount = 1 });
        _quarantine = SqliteQuarantineStore.Open(Path.Combine(_dir, "hub.db"), telemetry);
        _gate = new AdmissionGate(_registry, config.Get<BusinessRuleSet>()!, new BusinessEventLog(_log, telemetry, TimeProvider.System), _quarantine,
            telemetry, plant => plant.StartsWith("plant-0", StringComparison.Ordinal), NullLogger<AdmissionGate>.Instance);
        _validBytes = Encoding.UTF8.GetBytes(Valid);
        _invalidBytes = Encoding.UTF8.GetBytes(Valid.Replace("\"good\":480", "\"good\":\"480 pcs\""));
        _ruleBytes = Encoding.UTF8.GetBytes(Valid.Replace("\"good\":480", "\"good\":10").Replace("\"scrap\":3.5", "\"scrap\":90"));
        (_valid, _invalid, _rule) = (CloudEventJsonReader.Parse(_validBytes), CloudEventJsonReader.Parse(_invalidBytes), CloudEventJsonReader.Parse(_ruleBytes));
        if (!_gate.Check(_valid).Admitted || _gate.Check(_invalid).ReasonClass != "schema" || _gate.Check(_rule).ReasonClass != "rule")
            throw new InvalidOperationException("benchmark events do not have the intended verdicts");
    }

    [Benchmark(Baseline = true)]
    public bool Parse_and_check_valid() => _gate.Check(EventSubmission.Parse("bench", _validBytes)).Admitted;

    [Benchmark]
    public bool Parse_and_check_schema_invalid() => _gate.Check(EventSubmission.Parse("bench", _invalidBytes)).Admitted;

    [Benchmark]
    public bool Parse_and_check_rule_violation() => _gate.Check(EventSubmission.Parse("bench", _ruleBytes)).Admitted;

    [Benchmark]
    public bool Check_parsed_valid() => _gate.Check(_valid).Admitted;

    [GlobalCleanup]
    public void Cleanup()
    {
        _quarantine.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _log.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _registry.Dispose();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
