using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Millrace.Core.Events;
using Millrace.Log.Sqlite;
using Millrace.Pipeline.CrashHost;
using Xunit.Abstractions;

namespace Millrace.Hub.Tests.Processing;

/// <summary>
/// A real hub process fed machine counters over HTTP, SIGKILLed at random points (no clean shutdown) and restarted on
/// the same data folder; the feeder re-sends everything after each restart, as an at-least-once source does. The log
/// must end up with production quantities per order that sum exactly to the counters' truth, each fact once.
/// </summary>
public class CrashExactnessSpecs(ITestOutputHelper output)
{
    private const int Steps = 600;           // 100 ms of event time each
    private const int StepsPerPost = 10;
    private const int OrderEvery = 150;      // a new order on every line every 15 s of event time
    private static readonly long Base = new DateTimeOffset(2026, 11, 22, 6, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    [Fact]
    public async Task Quantities_per_order_sum_exactly_to_the_counters_after_kill_9_restarts_with_no_duplicate_ids()
    {
        int seed = Environment.TickCount;
        output.WriteLine($"seed {seed}");
        var random = new Random(seed);
        var plan = Plan.Make(random);
        string data = Path.Combine(Path.GetTempPath(), "millrace-crash-" + Guid.NewGuid().ToString("n"));
        try
        {
            int totalPosts = Steps / StepsPerPost;
            for (int run = 0; run < 2; run++)
            {
                int killAfter = random.Next(3, totalPosts - 5);
                using var host = await CrashHostProcess.StartAsync(data);
                int sent = await FeedAsync(host.Url, plan, maxPosts: killAfter);
                host.Kill();
                output.WriteLine($"run {run}: killed after {sent} posts");
            }
            using (var last = await CrashHostProcess.StartAsync(data))
            {
                await FeedAsync(last.Url, plan, maxPosts: int.MaxValue);
                await last.StopCleanlyAsync();
            }

            var (byOrder, ids, total) = await ReadProductionAsync(Path.Combine(data, "log.db"));
            Assert.Equal(total, ids.Count); // every fact once
            foreach (var (order, truth) in plan.Truth)
            {
                double logged = byOrder.GetValueOrDefault(order);
                Assert.True(truth == logged, $"order {order}: counters say {truth}, the log says {logged} (seed {seed})");
            }
            Assert.All(byOrder.Keys, o => Assert.True(plan.Truth.ContainsKey(o) || o.EndsWith("-END", StringComparison.Ordinal), $"unexpected order {o}"));
            output.WriteLine($"{total} production events, {plan.Truth.Count} orders, {plan.Truth.Values.Sum()} units");
        }
        finally
        {
            try { Directory.Delete(data, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>Posts orders and counter samples in event-time order, from the start; returns the number of sample posts made.</summary>
    private static async Task<int> FeedAsync(Uri hub, Plan plan, int maxPosts)
    {
        using var http = new HttpClient { BaseAddress = hub, Timeout = TimeSpan.FromSeconds(30) };
        int posts = 0;
        for (int step = 0; step <= Steps && posts < maxPosts; step += StepsPerPost)
        {
            for (int s = step; s < step + StepsPerPost && s <= Steps; s++)
                if (s % OrderEvery == 0 || s == Steps) await PostOrdersAsync(http, s);
            var body = new StringBuilder("[");
            for (int s = step; s < step + StepsPerPost && s <= Steps; s++)
                for (int a = 0; a < plan.Counters.Length; a++)
                    body.Append(CultureInfo.InvariantCulture, $"{{\"asset\":\"{CrashHostSetup.Catalog.AssetId(a)}\",\"signal\":\"good_count\",\"value\":{plan.Counters[a][s]},\"ts\":{Base + s * 100L}}},");
            body[^1] = ']';
            using var response = await http.PostAsync("/ingest/telemetry", new StringContent(body.ToString(), Encoding.UTF8, "application/json"));
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            posts++;
        }
        return posts;
    }

    private static async Task PostOrdersAsync(HttpClient http, int step)
    {
        var events = CrashHostSetup.Lines.Select(line => new CloudEvent
        {
            Id = $"{OrderId(line, step)}-released",
            Source = "/test/erp",
            Type = "com.acme.production.order.released.v1",
            Subject = OrderId(line, step),
            Time = DateTimeOffset.FromUnixTimeMilliseconds(Base + step * 100L),
            DataKind = CloudEventDataKind.Json,
            DataContentType = "application/json",
            PartitionKey = line,
            Data = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object> { ["orderId"] = OrderId(line, step), ["line"] = line, ["material"] = "FG-1" }),
        }).ToList();
        using var content = new ByteArrayContent(CloudEventJsonWriter.SerializeBatch(events));
        content.Headers.ContentType = new MediaTypeHeaderValue(CloudEventMediaTypes.Batch);
        using var response = await http.PostAsync("/ingest/events", content);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    internal static string OrderId(string line, int step)
        => $"{line[(line.LastIndexOf('/') + 1)..]}-{(step == Steps ? "END" : (step / OrderEvery).ToString(CultureInfo.InvariantCulture))}";

    private static async Task<(Dictionary<string, double> ByOrder, HashSet<string> Ids, int Total)> ReadProductionAsync(string path)
    {
        await using var log = SqliteEventLog.Open(new SqliteEventLogOptions { Path = path, PartitionCount = 4 });
        var byOrder = new Dictionary<string, double>();
        var ids = new HashSet<string>();
        int total = 0;
        for (int p = 0; p < log.PartitionCount; p++)
        {
            foreach (var entry in await log.ReadAsync(p, 0, 1_000_000))
            {
                if (entry.Record.Type != CounterQuantityEngine.EventType) continue;
                var e = CloudEventJsonReader.Parse(entry.Record.Payload.Span);
                using var doc = JsonDocument.Parse(e.Data);
                string order = doc.RootElement.GetProperty("orderId").GetString()!;
                byOrder[order] = byOrder.GetValueOrDefault(order) + doc.RootElement.GetProperty("good").GetDouble();
                ids.Add(e.Id);
                total++;
            }
        }
        return (byOrder, ids, total);
    }

    /// <summary>The counters of every asset at every step, and the true quantity of every order.</summary>
    private sealed record Plan(int[][] Counters, Dictionary<string, double> Truth)
    {
        public static Plan Make(Random random)
        {
            int assets = CrashHostSetup.Catalog.AssetCount;
            var counters = new int[assets][];
            var truth = new Dictionary<string, double>();
            for (int a = 0; a < assets; a++)
            {
                string id = CrashHostSetup.Catalog.AssetId(a);
                string line = id[..id.LastIndexOf('/')];
                counters[a] = new int[Steps + 1];
                int c = 0;
                for (int s = 0; s <= Steps; s++)
                {
                    int inc = random.Next(0, 6);
                    bool reset = c > 10 && random.NextDouble() < 0.02; // the machine's counter restarts from 0
                    c = reset ? inc : c + inc;
                    counters[a][s] = c;
                    if (s == Steps) { counters[a][s] = counters[a][s - 1]; continue; } // the END step only closes the last order
                    string order = OrderId(line, s - s % OrderEvery);
                    truth[order] = truth.GetValueOrDefault(order) + inc;
                }
            }
            return new Plan(counters, truth);
        }
    }

    /// <summary>The crash host as a child process.</summary>
    private sealed class CrashHostProcess : IDisposable
    {
        private readonly Process _process;

        private CrashHostProcess(Process process, Uri url)
        {
            _process = process;
            Url = url;
        }

        public Uri Url { get; }

        public static async Task<CrashHostProcess> StartAsync(string data)
        {
            var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardInput = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(typeof(CrashHostSetup).Assembly.Location);
            start.ArgumentList.Add(data);
            var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the crash host");
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
                if (line.StartsWith("url ", StringComparison.Ordinal)) return new CrashHostProcess(process, new Uri(line[4..]));
            throw new InvalidOperationException("the crash host exited before listening");
        }

        /// <summary>SIGKILL: no drain, no last checkpoint, no flush.</summary>
        public void Kill()
        {
            _process.Kill();
            _process.WaitForExit();
        }

        public async Task StopCleanlyAsync()
        {
            await _process.StandardInput.WriteLineAsync("stop");
            await _process.StandardInput.FlushAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (await _process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
                if (line == "stopped") break;
            await _process.WaitForExitAsync(timeout.Token);
        }

        public void Dispose()
        {
            if (!_process.HasExited) _process.Kill();
            _process.Dispose();
        }
    }
}
