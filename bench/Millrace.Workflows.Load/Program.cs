// Workflow engine load run: N instances of a 3-call workflow (production completion: confirm, goods receipt, batch
// status) against zero-latency in-process connectors, on the embedded SQLite store (workflows.db, WAL, FULL).
// Prints steps/s (connector calls recorded per second of wall clock) from the first submit to the last completion.
// Usage: dotnet run -c Release --project bench/Millrace.Workflows.Load -- [instances=20000] [max-seconds=60]
// Second mode, event-to-ERP-document latency through a whole hub and the sandbox ERP at a realistic latency
// (LatencyRun.cs): ... -- latency [events=600] [events-per-second=20] [erp-latency-ms=50] [erp-jitter-ms=150]
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Millrace.Hub.Connectors;
using Millrace.Hub.Workflows.Definitions;
using Millrace.Hub.Workflows.Engine;
using Millrace.Hub.Workflows.Store;

if (args.Length > 0 && args[0] == "latency") return await LatencyRun.RunAsync(args[1..]);

int instances = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 20_000;
int maxSeconds = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 60;
string dir = Path.Combine(Path.GetTempPath(), "millrace-wf-load", Guid.NewGuid().ToString("n"));
Directory.CreateDirectory(dir);

static InputTemplate In(params (string, string)[] m) => new(InputKind.Object, Members: m.Select(x => new KeyValuePair<string, InputTemplate>(x.Item1,
    x.Item2.StartsWith('=') ? new InputTemplate(InputKind.Expression, Text: x.Item2[1..]) : new InputTemplate(InputKind.Template, Text: x.Item2))).ToList());
var retry = RetrySettings.Default;
var definition = new WorkflowDefinition("production-completion", 1, new WorkflowTrigger("com.acme.production.completed.v1"), [
    new CallStep("confirm", "erp", "confirm-production", In(("order", "{event.data.orderId}"), ("good", "=event.data.good")), retry),
    new CallStep("receipt", "erp", "post-goods-receipt", In(("order", "{event.data.orderId}"), ("quantity", "=event.data.good")), retry),
    new CallStep("batch", "erp", "set-batch-status", In(("lot", "{event.data.lot}"), ("status", "released")), retry),
]);
var erp = new ZeroLatencyErp();
using var store = SqliteWorkflowStore.OpenInDataDirectory(dir);
await using var engine = WorkflowEngine.Start(new WorkflowEngineOptions
{
    Store = store, Definitions = [definition], Connectors = new Dictionary<string, IConnector> { ["erp"] = erp },
});
long completed = 0;
var allDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
engine.Committed += changes =>
{
    foreach (var (_, status) in changes)
        if (status == InstanceStatus.Completed && Interlocked.Increment(ref completed) == instances) allDone.TrySetResult();
};
var sw = Stopwatch.StartNew();
var submits = new List<Task<int>>(instances);
for (int i = 0; i < instances; i++)
{
    var data = JsonSerializer.SerializeToElement(new Dictionary<string, object> { ["orderId"] = $"PO-{i}", ["good"] = 100 + i % 7, ["lot"] = $"L-{i}" });
    submits.Add(engine.SubmitAsync(new WorkflowEvent($"evt-{i}", "com.acme.production.completed.v1", "load", DateTimeOffset.UtcNow, null, null, data)));
}
await Task.WhenAll(submits);
bool finished = await Task.WhenAny(allDone.Task, Task.Delay(TimeSpan.FromSeconds(maxSeconds))) == allDone.Task;
sw.Stop();
long steps = erp.Calls;
Console.WriteLine($"instances {instances}, completed {Interlocked.Read(ref completed)}{(finished ? "" : " (time limit hit)")}, steps {steps}, " +
    $"elapsed {sw.Elapsed.TotalSeconds:0.00} s, {steps / sw.Elapsed.TotalSeconds:0} steps/s, {Interlocked.Read(ref completed) / sw.Elapsed.TotalSeconds:0} instances/s, " +
    $"outbox backlog {engine.OutboxBacklog}");
try { Directory.Delete(dir, true); } catch (IOException) { }
return 0;

/// <summary>An ERP that answers at once (and de-duplicates by key like the real ones).</summary>
sealed class ZeroLatencyErp : IConnector
{
    private readonly ConcurrentDictionary<string, ConnectorResult> _documents = new();
    private long _calls;
    private static readonly JsonElement Output = JsonDocument.Parse("{\"document\":\"D\"}").RootElement.Clone();
    public long Calls => Interlocked.Read(ref _calls);
    public string Name => "erp";
    public string Kind => "test";
    public IReadOnlyCollection<string> Operations { get; } = ["confirm-production", "post-goods-receipt", "set-batch-status"];
    public ValueTask<ConnectorResult> InvokeAsync(ConnectorCall call, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        return ValueTask.FromResult(_documents.GetOrAdd(call.IdempotencyKey, k => ConnectorResult.Success(Output, k)));
    }
    public ValueTask DisposeAsync() => default;
}
