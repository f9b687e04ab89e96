// Confirmations/s into a real trytond through the Tryton connector, beside the same documents posted with the bare
// minimum of raw JSON-RPC calls (what a hand-written, non-idempotent script does), measured alone in the same run in
// alternating blocks so machine load drifts hit both alike. Every confirmation completes its own planned order
// (FG-2001, 10 good + 1 scrap, a new lot): lot, production rewritten with BOM moves, wait, assign, run, done.
// Usage: Millrace.TrytonLoad --url http://127.0.0.1:PORT [--database erp] [--password P] [--orders 60] [--block 10]
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Millrace.Hub.Connectors;
using Millrace.Hub.Connectors.Tryton;

var url = Arg("--url") ?? throw new ArgumentException("--url is required");
var options = new TrytonOptions
{
    Url = new Uri(url), Database = Arg("--database") ?? "erp", User = "admin",
    Password = Arg("--password") ?? Environment.GetEnvironmentVariable("TRYTON_PASSWORD") ?? "Admin#Millrace-2026",
};
var orders = int.Parse(Arg("--orders") ?? "60", CultureInfo.InvariantCulture);
var block = int.Parse(Arg("--block") ?? "10", CultureInfo.InvariantCulture);
var run = DateTime.UtcNow.ToString("HHmmss", CultureInfo.InvariantCulture);

using var rpc = new TrytonJsonRpcClient(options);
var ids = await SetupAsync();
Console.WriteLine($"planned {2 * orders} orders of FG-2001 (setup, not timed)");

await using var connector = new TrytonConnector("erp", options);
await connector.InvokeAsync(new ConnectorCall("read-stock", JsonDocument.Parse("""{"material":"FG-2001"}""").RootElement, "warm"));
var raw = new List<double>();
var through = new List<double>();
double rawSeconds = 0, connectorSeconds = 0;
for (var start = 0; start < orders; start += block)
{
    var n = Math.Min(block, orders - start);
    var sw = Stopwatch.StartNew();
    for (var i = start; i < start + n; i++)
    {
        var t = Stopwatch.GetTimestamp();
        await RawConfirmAsync(ids.Raw[i], $"RAW-{run}-{i}");
        raw.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
    }
    rawSeconds += sw.Elapsed.TotalSeconds;
    sw.Restart();
    for (var i = start; i < start + n; i++)
    {
        var t = Stopwatch.GetTimestamp();
        var result = await connector.InvokeAsync(new ConnectorCall("confirm-production", JsonDocument.Parse(
            $$"""{"order":"BENCH-{{run}}-C{{i}}","good":10,"scrap":1,"unit":"ea","lot":"LC-{{run}}-{{i}}","final":true}""").RootElement,
            $"bench:{run}:{i}"));
        if (result.Outcome != ConnectorOutcome.Succeeded)
            throw new InvalidOperationException($"confirmation {i}: {result.Outcome} {result.Reason}");
        through.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
    }
    connectorSeconds += sw.Elapsed.TotalSeconds;
}

var rawRate = orders / rawSeconds;
var connectorRate = orders / connectorSeconds;
Console.WriteLine($"raw JSON-RPC     : {orders} confirmations in {rawSeconds:0.0} s = {rawRate:0.00}/s, p50 {P(raw, 0.5):0} ms, p99 {P(raw, 0.99):0} ms");
Console.WriteLine($"through connector: {orders} confirmations in {connectorSeconds:0.0} s = {connectorRate:0.00}/s, p50 {P(through, 0.5):0} ms, p99 {P(through, 0.99):0} ms");
Console.WriteLine($"connector / raw  : {100 * connectorRate / rawRate:0.0} %");
Console.WriteLine($"load average     : {File.ReadAllText("/proc/loadavg").Trim()}");
return 0;

// Plans: half for the raw script, half for the connector; the raw half keeps what the script needs (ids).
async Task<(List<(int Production, int[] Inputs, int[] Outputs)> Raw, int Dummy)> SetupAsync()
{
    var product = await rpc.CallAsync("product.product", "search_read",
        new JsonArray(new JsonArray(new JsonArray("code", "in", new JsonArray("FG-2001", "RM-4001"))), 0, null, null, new JsonArray("code", "default_uom")));
    int P(string code, string f = "id") => product.EnumerateArray().First(p => p.GetProperty("code").GetString() == code).GetProperty(f).GetInt32();
    var bom = (await rpc.CallAsync("production.bom", "search", new JsonArray(new JsonArray(new JsonArray("name", "=", "FG-2001 BOM")), 0, 1, null)))[0].GetInt32();
    var loc = await rpc.CallAsync("stock.location", "search_read",
        new JsonArray(new JsonArray(new JsonArray("code", "in", new JsonArray("plant-01", "PROD", "STO", "SCRAP"))), 0, null, null, new JsonArray("code")));
    int L(string code) => loc.EnumerateArray().First(l => l.GetProperty("code").GetString() == code).GetProperty("id").GetInt32();
    Ids = (P("FG-2001"), P("FG-2001", "default_uom"), P("RM-4001"), P("RM-4001", "default_uom"), bom, L("plant-01"), L("PROD"), L("STO"), L("SCRAP"));
    var rawPlans = new List<(int, int[], int[])>();
    for (var i = 0; i < orders; i++)
    {
        foreach (var side in new[] { "R", "C" })
        {
            var created = await rpc.CallAsync("production", "create", new JsonArray(new JsonArray(new JsonObject
            {
                ["reference"] = $"BENCH-{run}-{side}{i}", ["company"] = rpc.Company, ["warehouse"] = Ids.Warehouse, ["location"] = Ids.Production,
                ["product"] = Ids.Fg, ["bom"] = bom, ["uom"] = Ids.FgUom, ["quantity"] = 11,
                ["inputs"] = new JsonArray(new JsonArray("create", new JsonArray(Move(Ids.Rm, Ids.RmUom, 19.8, Ids.Storage, Ids.Production, null)))),
                ["outputs"] = new JsonArray(new JsonArray("create", new JsonArray(Move(Ids.Fg, Ids.FgUom, 11, Ids.Production, Ids.Storage, null)))),
            })));
            if (side == "R")
            {
                var read = await rpc.CallAsync("production", "read", new JsonArray(new JsonArray(created[0].GetInt32()), new JsonArray("inputs", "outputs")));
                rawPlans.Add((created[0].GetInt32(), read[0].GetProperty("inputs").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
                    read[0].GetProperty("outputs").EnumerateArray().Select(e => e.GetInt32()).ToArray()));
            }
        }
    }
    return (rawPlans, 0);
}

// The raw script: the same document as the connector posts, with nothing looked up and no idempotency.
async Task RawConfirmAsync((int Production, int[] Inputs, int[] Outputs) plan, string lot)
{
    var lotId = (await rpc.CallAsync("stock.lot", "create", new JsonArray(new JsonArray(new JsonObject { ["number"] = lot, ["product"] = Ids.Fg }))))[0].GetInt32();
    var good = Move(Ids.Fg, Ids.FgUom, 10, Ids.Production, Ids.Storage, lotId);
    var scrap = Move(Ids.Fg, Ids.FgUom, 1, Ids.Production, Ids.Scrap, null);
    await rpc.CallAsync("production", "write", new JsonArray(new JsonArray(plan.Production), new JsonObject
    {
        ["reference"] = lot, ["quantity"] = 11,
        ["inputs"] = new JsonArray(new JsonArray("delete", new JsonArray(plan.Inputs.Select(i => (JsonNode?)i).ToArray())),
            new JsonArray("create", new JsonArray(Move(Ids.Rm, Ids.RmUom, 19.8, Ids.Storage, Ids.Production, null)))),
        ["outputs"] = new JsonArray(new JsonArray("delete", new JsonArray(plan.Outputs.Select(i => (JsonNode?)i).ToArray())),
            new JsonArray("create", new JsonArray(good, scrap))),
    }));
    foreach (var button in new[] { "wait", "assign_try", "run", "done" })
        await rpc.CallAsync("production", button, new JsonArray(new JsonArray(plan.Production)));
}

JsonObject Move(int product, int uom, double quantity, int from, int to, int? lot)
{
    var m = new JsonObject
    {
        ["product"] = product, ["uom"] = uom, ["quantity"] = quantity, ["from_location"] = from, ["to_location"] = to,
        ["company"] = rpc.Company, ["currency"] = 1, ["unit_price"] = new JsonObject { ["__class__"] = "Decimal", ["decimal"] = "0" },
    };
    if (lot is { } l)
        m["lot"] = l;
    return m;
}

static double P(List<double> values, double q)
{
    var sorted = values.Order().ToArray();
    return sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
}

string? Arg(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

partial class Program
{
    static (int Fg, int FgUom, int Rm, int RmUom, int Bom, int Warehouse, int Production, int Storage, int Scrap) Ids;
}
