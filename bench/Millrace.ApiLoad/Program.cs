// Load run of the capability APIs (docs/benchmarks.md): a hub on 127.0.0.1 (port 0) with the APIs on, one client
// with a bearer token, then a bounded GET phase and a bounded POST phase (a unique Idempotency-Key per POST, every
// body validated against the registered schema and appended to the log). Prints requests/s and latency percentiles.
// Usage: dotnet run -c Release --project bench/Millrace.ApiLoad -- [seconds per phase=10] [concurrency=64] [target rps per phase, 0 = open]
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;
using Millrace.Core.Config;
using Millrace.Hub.Api.Clients;
using Millrace.Hub.Api.Identity;
using Millrace.Hub.Governance;
using Millrace.Hub.Hosting;
using Millrace.Hub.Processing.Telemetry;

int seconds = args.Length > 0 ? int.Parse(args[0]) : 10;
int concurrency = args.Length > 1 ? int.Parse(args[1]) : 64;
double target = args.Length > 2 ? double.Parse(args[2]) : 0;
string root = FindRoot();
var governance = new ConfigLoader(GovernanceConfig.Sections()).LoadDirectory(Path.Combine(root, "samples", "acme"));
string dir = Path.Combine(Path.GetTempPath(), "millrace-api-load", Guid.NewGuid().ToString("n"));
Directory.CreateDirectory(dir);
using var idp = RSA.Create(2048);
File.WriteAllText(Path.Combine(dir, "idp.pem"), idp.ExportSubjectPublicKeyInfoPem());
var client = new ApiClient
{
    Id = "load", Kind = ApiClientKind.Plant, Scopes = new HashSet<string> { "production:write", "production:read" },
    Plants = new HashSet<string> { "plant-01" }, RateLimit = new ApiRateLimit(1_000_000, TimeSpan.FromSeconds(1)),
};
var settings = new ApiSettings
{
    Clients = new Dictionary<string, ApiClient> { ["load"] = client }, Issuer = "bench", Audience = "millrace-api",
    SigningKeyFiles = [Path.Combine(dir, "idp.pem")],
};
await using var hub = await HubHost.StartAsync(new HubOptions
{
    Url = "http://127.0.0.1:0", DataDirectory = dir, LogPartitions = 16, Apis = settings,
    LogLevel = Microsoft.Extensions.Logging.LogLevel.Warning,
}, TelemetryCatalog.From(governance.Config.Model), schemas: governance.Config.Get<ConfigCatalog<SchemaDefinition>>()!.All,
    businessRules: governance.Config.Get<Millrace.Hub.Governance.Rules.BusinessRuleSet>());
string token = DevelopmentTokens.Issue(new RsaSecurityKey(idp), "bench", "millrace-api", "load", null, TimeSpan.FromHours(1),
    algorithm: SecurityAlgorithms.RsaSha256);
using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency }) { BaseAddress = hub.BaseAddress };
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

static string Body(string id) => $$"""{"orderId":"{{id}}","plant":"plant-01","material":"BRKT-7731-A","plannedQuantity":{"value":500,"unit":"pcs"},"operations":[{"operation":"0010","workCenter":"PRESS04"}],"releasedAt":"2026-11-22T05:40:00Z"}""";
var seed = await http.SendAsync(Post("1000000001", "seed"));
if ((int)seed.StatusCode != 202) throw new InvalidOperationException($"seed release answered {(int)seed.StatusCode}: {await seed.Content.ReadAsStringAsync()}");

HttpRequestMessage Post(string id, string key)
{
    var r = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/production-orders/{id}/release") { Content = new StringContent(Body(id), Encoding.UTF8, "application/json") };
    r.Headers.Add("Idempotency-Key", key);
    return r;
}

Console.WriteLine($"date {DateTime.UtcNow:u}  load average {File.ReadAllText("/proc/loadavg").Trim()}  cores {Environment.ProcessorCount}  concurrency {concurrency}  target {(target > 0 ? target + " rps" : "open")}");
await Phase("GET  /api/v1/production-orders/{id}", _ => new HttpRequestMessage(HttpMethod.Get, "/api/v1/production-orders/1000000001"), 200);
long n = 0;
await Phase("POST /api/v1/production-orders/{id}/release", _ => { long i = Interlocked.Increment(ref n); return Post((2_000_000_000 + i).ToString(), "k" + i); }, 202);
Console.WriteLine($"load average after {File.ReadAllText("/proc/loadavg").Trim()}");
try { Directory.Delete(dir, true); } catch (IOException) { }

async Task Phase(string name, Func<int, HttpRequestMessage> make, int expected)
{
    var latencies = new List<double>[concurrency];
    long errors = 0;
    var deadline = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
    long started = Stopwatch.GetTimestamp();
    double perWorkerInterval = target > 0 ? concurrency / target : 0;
    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async w =>
    {
        var mine = latencies[w] = new List<double>(100_000);
        long next = Stopwatch.GetTimestamp();
        while (Stopwatch.GetTimestamp() < deadline && mine.Count < 2_000_000)
        {
            if (perWorkerInterval > 0)
            {
                next += (long)(perWorkerInterval * Stopwatch.Frequency);
                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), next);
                if (wait > TimeSpan.Zero) await Task.Delay(wait);
            }
            long t = Stopwatch.GetTimestamp();
            using var response = await http.SendAsync(make(w));
            await response.Content.ReadAsByteArrayAsync();
            mine.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
            if ((int)response.StatusCode != expected) Interlocked.Increment(ref errors);
        }
    }));
    double elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
    var all = latencies.SelectMany(l => l).OrderBy(x => x).ToArray();
    double P(double q) => all.Length == 0 ? 0 : all[Math.Min(all.Length - 1, (int)(q * all.Length))];
    Console.WriteLine($"{name}: {all.Length} requests in {elapsed:0.0} s = {all.Length / elapsed:0} req/s; unexpected status {errors}; " +
        $"p50 {P(0.50):0.00} ms, p90 {P(0.90):0.00} ms, p99 {P(0.99):0.00} ms, max {all.LastOrDefault():0.0} ms");
}

static string FindRoot()
{
    for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        if (File.Exists(Path.Combine(d.FullName, "Millrace.slnx"))) return d.FullName;
    throw new InvalidOperationException("Millrace.slnx not found");
}
