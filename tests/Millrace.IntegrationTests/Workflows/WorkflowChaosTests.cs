using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Millrace.Hub.Workflows.Engine;
using Millrace.Sandbox;
using Xunit.Abstractions;

namespace Millrace.IntegrationTests.Workflows;

/// <summary>
/// The chaos test of issue 6: a real <c>millrace run</c> process runs 200 production-completion workflows against the
/// sandbox ERP and is SIGKILLed 3–5 times at seeded moments (when the ERP has seen a drawn number of documents) and
/// restarted on the same data folder. The sandbox lives in the test process, so the "enterprise" keeps its documents
/// and idempotency records across the hub's deaths. Afterwards every instance is completed or visibly failed, and the
/// ERP holds exactly one confirmation and one goods receipt per order. Set MILLRACE_CHAOS_SEED to repeat a run.
/// </summary>
public sealed class WorkflowChaosTests(ITestOutputHelper output)
{
    private const int Instances = 200;
    private const int KeyedErpDocumentsPerInstance = 2; // confirmation + goods receipt (batch status updates, it creates nothing)
    private const string Workflow = "production-completion";
    private static readonly TimeSpan Ready = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan Settle = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task Two_hundred_workflows_survive_repeated_SIGKILL_with_one_ERP_document_per_business_fact()
    {
        int seed = Environment.GetEnvironmentVariable("MILLRACE_CHAOS_SEED") is { } s && int.TryParse(s, out var parsed) ? parsed : 20261122;
        var random = new Random(seed);
        int kills = random.Next(3, 6);
        int totalKeyed = Instances * KeyedErpDocumentsPerInstance;
        // kill moments: ascending numbers of ERP documents seen, spread over the run (never the very end)
        var killAt = Enumerable.Range(0, kills).Select(_ => random.Next(totalKeyed / 40, totalKeyed * 95 / 100)).Order().ToArray();
        string plan = $"seed {seed} (MILLRACE_CHAOS_SEED), {kills} kills at ERP documents [{string.Join(", ", killAt)}] of {totalKeyed}";
        output.WriteLine(plan);

        await using var sandbox = await SandboxSystems.StartAsync(new SandboxOptions
        {
            // a slow, slightly unreliable ERP keeps many instances in flight when the hub dies
            Behaviour = new Dictionary<string, SandboxBehaviour> { ["erp"] = new() { LatencyMs = 20, JitterMs = 80, ErrorRate = 0.02, Seed = seed } },
        });
        var erp = sandbox.System("erp");
        string data = Path.Combine(Path.GetTempPath(), "millrace-chaos-" + Guid.NewGuid().ToString("n"));
        var env = new Dictionary<string, string> { ["MILLRACE_SANDBOX_URL"] = sandbox.BaseAddress.ToString() };
        var log = new StringBuilder();
        MillraceProcess? hub = null;
        try
        {
            for (int life = 0; life <= kills; life++)
            {
                string url = $"http://127.0.0.1:{MillraceProcess.FreePort()}";
                hub = MillraceProcess.Start(env, "run", "--url", url, "--data", data, "--mqtt-port", "-1");
                using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
                await hub.WaitReadyAsync(http, Ready);
                if (life == 0) await PostCompletionsAsync(http);
                if (life == kills)
                {
                    var instances = await WaitSettledAsync(http);
                    var failed = AssertEveryInstanceFinished(instances);
                    log.AppendLine($"settled: {instances.Count - failed.Count} completed, {failed.Count} failed{(failed.Count > 0 ? ", e.g. " + string.Join("; ", failed.Take(3)) : "")}");
                    break;
                }
                int reached = await WaitForErpDocumentsAsync(erp, killAt[life], hub, http);
                hub.Kill();
                log.AppendLine($"life {life}: SIGKILL at {reached} ERP documents (asked {killAt[life]}); hub stderr: {Tail(hub.Stderr)}");
                hub.Dispose();
                hub = null;
            }
            log.AppendLine($"the ERP answered {erp.Replays} resent commands from its idempotency records");
            output.WriteLine(log.ToString());

            // exactly one document per business fact, read from the sandbox's own HTTP surface
            using var sb = new HttpClient { BaseAddress = sandbox.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
            var counts = await sb.GetFromJsonAsync<Dictionary<string, int>>("_sandbox/erp/documents/count-by-key");
            Assert.Equal(totalKeyed, counts!.Count);
            Assert.All(counts, kv => Assert.Equal(1, kv.Value));
            var confirmations = await ListAsync(sb, "erp/confirmations");
            var receipts = (await ListAsync(sb, "erp/goods-movements")).Where(m => m.GetProperty("type").GetString() == "receipt").ToList();
            var orders = Enumerable.Range(0, Instances).Select(Order).ToHashSet();
            AssertOnePerOrder(confirmations, orders, "confirmation");
            AssertOnePerOrder(receipts, orders, "goods receipt");
            var released = (await ListAsync(sb, "erp/batches")).Where(b => b.GetProperty("lot").GetString()!.StartsWith("LCH-", StringComparison.Ordinal)).ToList();
            Assert.Equal(Instances, released.Count);
            Assert.All(released, b => Assert.Equal("released", b.GetProperty("status").GetString()));
        }
        catch (Exception e) when (e is not ChaosFailure)
        {
            throw new ChaosFailure($"{plan}\n{log}\nlast hub stderr: {Tail(hub?.Stderr)}\n{e}");
        }
        finally
        {
            hub?.Dispose();
            try { Directory.Delete(data, recursive: true); } catch (IOException) { }
        }
    }

    private static string Order(int i) => $"CH-{i:D4}";

    private static async Task PostCompletionsAsync(HttpClient http)
    {
        for (int from = 0; from < Instances; from += 25)
        {
            var batch = new StringBuilder("[");
            for (int i = from; i < Math.Min(Instances, from + 25); i++)
            {
                if (i > from) batch.Append(',');
                batch.Append($$$"""
                    {"specversion":"1.0","id":"chaos-{{{i}}}","source":"/acme/rules/counter","type":"com.acme.production.completed.v1",
                     "subject":"{{{Order(i)}}}","time":"2026-11-22T08:00:00Z","plant":"plant-01","datacontenttype":"application/json",
                     "data":{"orderId":"{{{Order(i)}}}","operation":"0010","plant":"plant-01","asset":"plant-01/pack-1/filler-01","material":"FG-1001",
                       "good":{{{100 + i}}},"scrap":1,"unit":"pcs","lot":"LCH-{{{i}}}","startedAt":"2026-11-22T07:00:00Z","completedAt":"2026-11-22T08:00:00Z"}}
                    """);
            }
            batch.Append(']');
            using var response = await http.PostAsync("/ingest/events", new StringContent(batch.ToString(), Encoding.UTF8, "application/cloudevents-batch+json"));
            Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        }
    }

    /// <summary>
    /// Waits (bounded) until the ERP has created <paramref name="documents"/> keyed documents — or every instance has
    /// settled (failures make fewer documents; the last life reports them) — and fails if the hub died on its own.
    /// </summary>
    private static async Task<int> WaitForErpDocumentsAsync(SandboxSystem erp, int documents, MillraceProcess hub, HttpClient http)
    {
        var deadline = DateTime.UtcNow + Settle;
        int seen;
        for (int poll = 1; (seen = erp.DocumentCountsByKey().Count) < documents && DateTime.UtcNow < deadline; poll++)
        {
            if (hub.HasExited) throw new Xunit.Sdk.XunitException($"the hub exited on its own; stderr: {hub.Stderr}");
            if (poll % 100 == 0 && await SettledAsync(http)) return seen;
            await Task.Delay(10);
        }
        if (seen < documents) throw new Xunit.Sdk.XunitException($"the ERP saw only {seen} of the {documents} documents to wait for within {Settle}");
        return seen;
    }

    private static async Task<bool> SettledAsync(HttpClient http)
    {
        using var doc = JsonDocument.Parse(await http.GetStringAsync($"/api/v1/workflows?definition={Workflow}&limit=1"));
        var counts = doc.RootElement.GetProperty("counts").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64());
        return counts.Values.Sum() == Instances && counts.GetValueOrDefault("running") + counts.GetValueOrDefault("compensating") == 0;
    }

    /// <summary>Polls <c>GET /api/v1/workflows</c> until all instances exist and none is running (bounded).</summary>
    private static async Task<List<JsonElement>> WaitSettledAsync(HttpClient http)
    {
        var deadline = DateTime.UtcNow + Settle;
        string last = "";
        while (DateTime.UtcNow < deadline)
        {
            last = await http.GetStringAsync($"/api/v1/workflows?definition={Workflow}&limit=10000");
            using var doc = JsonDocument.Parse(last);
            var items = doc.RootElement.GetProperty("items").EnumerateArray().Select(e => e.Clone()).ToList();
            if (items.Count == Instances && items.All(i => i.GetProperty("status").GetString() is "completed" or "failed" or "cancelled")) return items;
            await Task.Delay(250);
        }
        throw new Xunit.Sdk.XunitException($"the instances did not settle within {Settle}; last list: {last[..Math.Min(last.Length, 2000)]}");
    }

    /// <summary>Every expected instance exists and is completed or failed in sight; returns the failed ones with their errors.</summary>
    private static List<string> AssertEveryInstanceFinished(List<JsonElement> instances)
    {
        var failures = new List<string>();
        var expected = Enumerable.Range(0, Instances).Select(i => WorkflowKeys.InstanceId(Workflow, $"chaos-{i}")).ToHashSet();
        Assert.True(expected.SetEquals(instances.Select(i => i.GetProperty("id").GetString()!)), "one instance per event, no more, no less");
        foreach (var i in instances)
        {
            var status = i.GetProperty("status").GetString();
            // completed, or failed in sight: with its error and the failed step named (the console shows both)
            if (status == "completed") continue;
            failures.Add($"{i.GetProperty("id").GetString()}: {i.GetProperty("error").GetString()}");
            Assert.Equal("failed", status);
            Assert.False(string.IsNullOrEmpty(i.GetProperty("error").GetString()), $"failed instance {i} has no error");
            Assert.NotEmpty(i.GetProperty("current").EnumerateArray());
        }
        return failures;
    }

    private static void AssertOnePerOrder(List<JsonElement> documents, HashSet<string> orders, string what)
    {
        var perOrder = documents.Select(d => d.GetProperty("order").GetString()!).Where(orders.Contains)
            .GroupBy(o => o).ToDictionary(g => g.Key, g => g.Count());
        Assert.True(perOrder.Count == orders.Count, $"{orders.Count - perOrder.Count} orders have no {what}");
        var doubled = perOrder.Where(kv => kv.Value != 1).Select(kv => $"{kv.Key}: {kv.Value}").ToList();
        Assert.True(doubled.Count == 0, $"more than one {what} for: {string.Join(", ", doubled)}");
    }

    private static async Task<List<JsonElement>> ListAsync(HttpClient http, string path)
    {
        using var doc = JsonDocument.Parse(await http.GetStringAsync(path));
        return doc.RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
    }

    private static string Tail(string? text) => text is null ? "" : text.Length <= 1500 ? text : text[^1500..];

    private sealed class ChaosFailure(string message) : Exception(message);
}
