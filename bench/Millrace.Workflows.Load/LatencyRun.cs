using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Millrace.Core.Config;
using Millrace.Hub.Connectors;
using Millrace.Hub.Connectors.Configuration;
using Millrace.Hub.Governance;
using Millrace.Hub.Hosting;
using Millrace.Hub.Processing.Telemetry;
using Millrace.Hub.Workflows.Definitions;
using Millrace.Hub.Workflows.Engine;
using Millrace.Sandbox;

/// <summary>
/// Event-to-ERP-document latency, end to end: a hub with the acme configuration (schemas, business rules, the four
/// workflows, connectors over HTTP) and the sandbox ERP at a realistic latency. production.completed events are
/// POSTed to <c>/ingest/events</c> at a fixed rate (open loop: a slow answer never delays the next event), each
/// runs confirm → goods receipt → batch status. Per event: time from the POST to the confirmation recorded by the
/// workflow (the ERP document id in hand), and to the instance completed (all three documents).
/// </summary>
internal static class LatencyRun
{
    public static async Task<int> RunAsync(string[] args)
    {
        int events = Arg(args, 0, 600), rate = Arg(args, 1, 20), latencyMs = Arg(args, 2, 50), jitterMs = Arg(args, 3, 150);
        string root = FindRoot();
        var config = new ConfigLoader(GovernanceConfig.Sections()).LoadDirectory(Path.Combine(root, "samples", "acme"));
        if (config.HasErrors) { Console.Error.WriteLine(string.Join("\n", config.Diagnostics)); return 1; }
        await using var sandbox = await SandboxSystems.StartAsync(new SandboxOptions
        {
            Behaviour = new Dictionary<string, SandboxBehaviour> { ["erp"] = new() { LatencyMs = latencyMs, JitterMs = jitterMs } },
        });
        string dir = Path.Combine(Path.GetTempPath(), "millrace-wf-latency", Guid.NewGuid().ToString("n"));
        var catalog = config.Config.Get<ConfigCatalog<ConnectorDefinition>>()!;
        var hub = await HubHost.StartAsync(new HubOptions { Url = "http://127.0.0.1:0", DataDirectory = dir, LogLevel = Microsoft.Extensions.Logging.LogLevel.Warning },
            TelemetryCatalog.From(config.Config.Model), schemas: config.Config.Get<ConfigCatalog<SchemaDefinition>>()?.All,
            businessRules: config.Config.Get<Millrace.Hub.Governance.Rules.BusinessRuleSet>(),
            workflows: new HubWorkflows(config.Config.Get<WorkflowCatalog>()!.Definitions, new Dictionary<string, IConnector>())
            {
                CreateConnectors = scope => ConnectorSet.Create(catalog, new ConnectorEnvironment { SandboxAddress = sandbox.BaseAddress, MeterScope = scope }),
            });
        try
        {
            var engine = hub.Workflows!;
            var done = new Dictionary<string, TaskCompletionSource>(StringComparer.Ordinal);
            var posted = new DateTimeOffset[events];
            for (int i = 0; i < events; i++) done[WorkflowKeys.InstanceId("production-completion", Id(i))] = new(TaskCreationOptions.RunContinuationsAsynchronously);
            engine.Committed += changes =>
            {
                foreach (var (id, status) in changes)
                    if (status is InstanceStatus.Completed or InstanceStatus.Failed && done.TryGetValue(id, out var tcs)) tcs.TrySetResult();
            };
            using var http = new HttpClient { BaseAddress = hub.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
            var clock = Stopwatch.StartNew();
            var posts = new List<Task>(events);
            for (int i = 0; i < events; i++)
            {
                var due = TimeSpan.FromSeconds((double)i / rate);
                if (due > clock.Elapsed) await Task.Delay(due - clock.Elapsed);
                posted[i] = DateTimeOffset.UtcNow;
                posts.Add(PostAsync(http, i));
            }
            await Task.WhenAll(posts);
            await Task.WhenAll(done.Values.Select(d => d.Task)).WaitAsync(TimeSpan.FromMinutes(5));

            var toConfirmation = new List<double>(events);
            var toCompletion = new List<double>(events);
            int failed = 0;
            for (int i = 0; i < events; i++)
            {
                string id = WorkflowKeys.InstanceId("production-completion", Id(i));
                if (engine.Store.GetInstance(id)!.Status != InstanceStatus.Completed) { failed++; continue; }
                var history = engine.Store.GetHistory(id);
                toConfirmation.Add((history.Single(h => h.Step == "confirm" && !h.Compensation).FinishedAt - posted[i]).TotalMilliseconds);
                toCompletion.Add((history.Max(h => h.FinishedAt) - posted[i]).TotalMilliseconds);
            }
            Console.WriteLine($"events {events} at {rate}/s, ERP latency {latencyMs}+0..{jitterMs} ms, completed {toCompletion.Count}, failed {failed}, " +
                              $"load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
            Console.WriteLine($"event -> ERP confirmation recorded: {Summary(toConfirmation)}");
            Console.WriteLine($"event -> instance completed (3 documents): {Summary(toCompletion)}");
            return failed == 0 ? 0 : 1;
        }
        finally
        {
            await hub.DisposeAsync();
            try { Directory.Delete(dir, true); } catch (IOException) { }
        }
    }

    private static string Id(int i) => $"lat-{i}";

    private static async Task PostAsync(HttpClient http, int i)
    {
        string body = $$$"""
            {"specversion":"1.0","id":"{{{Id(i)}}}","source":"/acme/rules/counter","type":"com.acme.production.completed.v1",
             "subject":"PO-LAT-{{{i}}}","time":"2026-11-22T08:00:00Z","plant":"plant-01","datacontenttype":"application/json",
             "data":{"orderId":"PO-LAT-{{{i}}}","operation":"0010","plant":"plant-01","asset":"plant-01/pack-1/filler-01","material":"FG-1001",
               "good":{{{100 + i % 50}}},"scrap":1,"unit":"ea","lot":"LLAT-{{{i}}}","startedAt":"2026-11-22T07:00:00Z","completedAt":"2026-11-22T08:00:00Z","final":true}}
            """;
        using var response = await http.PostAsync("/ingest/events", new StringContent(body, Encoding.UTF8, "application/cloudevents+json"));
        if (response.StatusCode != HttpStatusCode.Accepted)
            throw new InvalidOperationException($"event {i} not accepted: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private static string Summary(List<double> ms)
    {
        if (ms.Count == 0) return "none";
        ms.Sort();
        double P(double q) => ms[Math.Min(ms.Count - 1, (int)Math.Ceiling(q * ms.Count) - 1)];
        return string.Create(CultureInfo.InvariantCulture, $"p50 {P(0.50):0} ms, p90 {P(0.90):0} ms, p99 {P(0.99):0} ms, max {ms[^1]:0} ms (n={ms.Count})");
    }

    private static int Arg(string[] args, int i, int fallback) => args.Length > i ? int.Parse(args[i], CultureInfo.InvariantCulture) : fallback;

    private static string FindRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Millrace.slnx"))) return d.FullName;
        throw new InvalidOperationException("Millrace.slnx not found above " + AppContext.BaseDirectory);
    }
}
