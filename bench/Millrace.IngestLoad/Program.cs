// End-to-end HTTP ingest load: pre-generated 500-sample batches of the Acme enterprise posted by N concurrent
// connections for a bounded time; reports accepted samples/s and request latency. Run it with bench/ingest-load.sh,
// which starts a real `millrace run` hub on a free loopback port.
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Millrace.Core.Config;
using Millrace.Hub.Simulation;

string url = Arg("--url", "http://127.0.0.1:5080");
string config = Arg("--config", "samples/acme");
int seconds = int.Parse(Arg("--seconds", "20"), CultureInfo.InvariantCulture);
int concurrency = int.Parse(Arg("--concurrency", "8"), CultureInfo.InvariantCulture);
int batchSize = int.Parse(Arg("--batch", "500"), CultureInfo.InvariantCulture);
// --rate N paces the posts to N samples/s (0: as fast as the hub takes them). --fresh stamps every batch with the
// current time as it is sent (rules see time move on, so they fire; without it the same 256 batches repeat and the
// rules' de-duplication drops the repeats).
int rate = int.Parse(Arg("--rate", "0"), CultureInfo.InvariantCulture);
bool fresh = args.Contains("--fresh");
if (seconds is < 1 or > 600 || concurrency is < 1 or > 256) { Console.Error.WriteLine("seconds 1..600, concurrency 1..256"); return 2; }

var loaded = new ConfigLoader(Millrace.Hub.Governance.GovernanceConfig.Sections()).LoadDirectory(config);
if (loaded.HasErrors) { Console.Error.WriteLine(string.Join('\n', loaded.Errors)); return 1; }
var sim = new PlantSimulator(loaded.Config.Model, new SimulatorOptions { BatchSize = batchSize, FaultRate = 0, Rate = 1_000_000 });
var batches = new byte[256][];
for (int i = 0; i < batches.Length; i++)
{
    var buffer = new System.Buffers.ArrayBufferWriter<byte>(batchSize * 96);
    sim.WriteBatch(buffer, DateTimeOffset.UtcNow.AddMilliseconds(i));
    batches[i] = buffer.WrittenSpan.ToArray();
}

using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency }) { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
double before = await IngestedAsync(http);
var metricsBefore = await http.GetStringAsync("/metrics");
var simGate = new Lock();
long sentBatches = 0;
long accepted = 0, refused = 0, failed = 0;
var latencies = new List<double>[concurrency];
var clock = Stopwatch.StartNew();
var end = TimeSpan.FromSeconds(seconds);
var workers = Enumerable.Range(0, concurrency).Select(w => Task.Run(async () =>
{
    var mine = latencies[w] = new List<double>(100_000);
    int next = w;
    while (clock.Elapsed < end)
    {
        long index = Interlocked.Increment(ref sentBatches) - 1;
        if (rate > 0)
        {
            var due = TimeSpan.FromSeconds((double)index * batchSize / rate);
            if (due > clock.Elapsed) await Task.Delay(due - clock.Elapsed);
            if (clock.Elapsed >= end) break;
        }
        byte[] body;
        if (fresh)
        {
            var buffer = new System.Buffers.ArrayBufferWriter<byte>(batchSize * 96);
            lock (simGate) sim.WriteBatch(buffer, DateTimeOffset.UtcNow);
            body = buffer.WrittenSpan.ToArray();
        }
        else body = batches[next++ % batches.Length];
        long t0 = Stopwatch.GetTimestamp();
        try
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await http.PostAsync("/ingest/telemetry", content);
            if (response.IsSuccessStatusCode) Interlocked.Add(ref accepted, batchSize); else Interlocked.Increment(ref refused);
        }
        catch (HttpRequestException) { Interlocked.Increment(ref failed); }
        mine.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
    }
})).ToArray();
await Task.WhenAll(workers);
double elapsed = clock.Elapsed.TotalSeconds;
await Task.Delay(500);
double after = await IngestedAsync(http);
var all = latencies.SelectMany(l => l).Order().ToArray();
double P(double q) => all.Length == 0 ? 0 : all[(int)Math.Min(all.Length - 1, q * all.Length)];
Console.WriteLine($"batch {batchSize}, concurrency {concurrency}, {elapsed:F1} s: {accepted / elapsed:N0} samples/s accepted " +
                  $"({all.Length / elapsed:N0} requests/s); latency p50 {P(0.5):F2} ms, p99 {P(0.99):F2} ms; " +
                  $"refused {refused}, failed {failed}; hub counted {after - before:N0} samples");
var metricsAfter = await http.GetStringAsync("/metrics");
var runtime = Millrace.IngestLoad.RunReport.Runtime(metricsBefore, metricsAfter, after - before);
Console.WriteLine(runtime);
foreach (var line in Millrace.IngestLoad.RunReport.Latencies(metricsBefore, metricsAfter)) Console.WriteLine(line);
return failed > 0 || refused > 0 ? 1 : 0;

string Arg(string name, string fallback)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}

static async Task<double> IngestedAsync(HttpClient http)
{
    var m = Regex.Match(await http.GetStringAsync("/metrics"), @"^millrace_ingest_samples_total\{source=""http""\} (\S+)$", RegexOptions.Multiline);
    return m.Success ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
}
