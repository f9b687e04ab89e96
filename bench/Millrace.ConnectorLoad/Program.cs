// Connector load: kind: http connector calls per second against the in-process sandbox ERP with zero latency.
// Usage: dotnet run -c Release --project bench/Millrace.ConnectorLoad -- [--seconds 10] [--workers 16]
// Bounded in time; each call posts a distinct confirmation (its own idempotency key) through the full connector
// stack (path/body templates, resilience pipeline, HTTP over loopback, classification).
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Millrace.Core.Config;
using Millrace.Hub.Connectors;
using Millrace.Hub.Connectors.Configuration;
using Millrace.Hub.Governance;
using Millrace.Sandbox;

int seconds = Arg("--seconds", 10), workers = Arg("--workers", 16);
const string Yaml = """
    connectors:
      - id: erp
        kind: http
        url: sandbox://erp
        timeout: 10s
        concurrency: 64
        circuit-breaker: { minimum-throughput: 1000 }
        operations:
          confirm-production:
            method: POST
            path: /production-orders/{input.order}/confirmations
            document: response.confirmation
    """;
var dir = Directory.CreateTempSubdirectory("millrace-connector-load").FullName;
File.WriteAllText(Path.Combine(dir, "enterprise.yaml"), "enterprise:\n  id: acme\n  name: Acme\n");
File.WriteAllText(Path.Combine(dir, "connectors.yaml"), Yaml);
var loaded = new ConfigLoader(GovernanceConfig.Sections()).LoadDirectory(dir);
Directory.Delete(dir, true);
if (loaded.HasErrors) { foreach (var e in loaded.Errors) Console.Error.WriteLine(e); return 1; }

await using var sandbox = await SandboxSystems.StartAsync();
await using var connectors = ConnectorSet.Create(loaded.Config.Get<ConfigCatalog<ConnectorDefinition>>()!, new ConnectorEnvironment { SandboxAddress = sandbox.BaseAddress });
var erp = connectors["erp"];
var input = JsonDocument.Parse("""{"order":"PO-100001","operation":"0010","good":1,"scrap":0,"unit":"ea","final":false}""").RootElement;

// warm-up: connections, JIT
for (int i = 0; i < 200; i++) await erp.InvokeAsync(new ConnectorCall("confirm-production", input, "warm-" + i));

long calls = 0, failed = 0;
var latencies = new List<double>[workers];
using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
var clock = Stopwatch.StartNew();
var tasks = Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
{
    var mine = latencies[w] = new List<double>(100_000);
    int n = 0;
    while (!stop.IsCancellationRequested && mine.Count < 5_000_000)
    {
        long t0 = Stopwatch.GetTimestamp();
        var r = await erp.InvokeAsync(new ConnectorCall("confirm-production", input, $"w{w}-{n++}"));
        mine.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
        Interlocked.Increment(ref calls);
        if (r.Outcome != ConnectorOutcome.Succeeded) Interlocked.Increment(ref failed);
    }
})).ToArray();
await Task.WhenAll(tasks);
clock.Stop();
var all = latencies.SelectMany(l => l).Order().ToArray();
double P(double q) => all[Math.Min(all.Length - 1, (int)(q * all.Length))];
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{calls:N0} calls in {clock.Elapsed.TotalSeconds:0.0} s with {workers} workers: {calls / clock.Elapsed.TotalSeconds:N0} calls/s; " +
    $"latency p50 {P(0.5):0.00} ms, p99 {P(0.99):0.00} ms; {failed} not succeeded; documents in the sandbox: {sandbox.System("erp").Snapshot("confirmations").Count:N0}"));
return failed == 0 ? 0 : 1;

int Arg(string name, int fallback)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var v) && v > 0 ? v : fallback;
}
