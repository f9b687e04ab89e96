using System.Text.Json;
using System.Text.Json.Nodes;
using Millrace.Hub.Connectors;
using Millrace.Hub.Connectors.Tryton;

namespace Millrace.Hub.Tests.Connectors.Tryton;

/// <summary>confirm-production and read-production-order against a real trytond, checked by querying Tryton.</summary>
public sealed class TrytonConnectorProductionTests(TrytonServer tryton) : IClassFixture<TrytonServer>
{
    private static string NewOrder() => "PO-T" + Guid.NewGuid().ToString("N")[..10];

    private static ConnectorCall Confirm(string order, double good, double scrap, string lot, bool final, string key)
        => new("confirm-production", TrytonServer.Json(
            $$"""{"order":"{{order}}","operation":"0010","good":{{good}},"scrap":{{scrap}},"unit":"ea","lot":"{{lot}}","asset":"plant-01/machining/cnc-01","final":{{(final ? "true" : "false")}}}"""), key);

    /// <summary>The order's productions in Tryton (the plan and every confirmation), with their moves.</summary>
    private async Task<List<(string Reference, string State, double Quantity, List<JsonElement> Inputs, List<JsonElement> Outputs)>> ProductionsAsync(string order)
    {
        using var rpc = tryton.NewClient();
        var found = await rpc.CallAsync("production", "search_read", new JsonArray(
            new JsonArray(new JsonArray("reference", "like", order + "%")), 0, null, null, new JsonArray("reference", "state", "quantity", "inputs", "outputs")));
        var result = new List<(string, string, double, List<JsonElement>, List<JsonElement>)>();
        foreach (var p in found.EnumerateArray())
        {
            async Task<List<JsonElement>> Moves(string field)
            {
                var ids = new JsonArray(p.GetProperty(field).EnumerateArray().Select(i => (JsonNode?)i.GetInt32()).ToArray());
                var moves = await rpc.CallAsync("stock.move", "read", new JsonArray(ids,
                    new JsonArray("product.code", "quantity", "lot.number", "to_location.code", "state")));
                return moves.EnumerateArray().ToList();
            }
            result.Add((p.GetProperty("reference").GetString()!, p.GetProperty("state").GetString()!, p.GetProperty("quantity").GetDouble(),
                await Moves("inputs"), await Moves("outputs")));
        }
        return result;
    }

    /// <summary>A field of a read record; <c>a.b</c> reads Tryton's dotted form, which comes back as <c>{"a.": {"b": …}}</c>.</summary>
    private static string S(JsonElement e, string f)
    {
        var dot = f.IndexOf('.');
        if (dot > 0)
        {
            var related = e.GetProperty(f[..(dot + 1)]);
            return related.ValueKind == JsonValueKind.Null ? "" : S(related, f[(dot + 1)..]);
        }
        return e.GetProperty(f).ValueKind == JsonValueKind.String ? e.GetProperty(f).GetString()! : e.GetProperty(f).ToString();
    }

    private async Task<int> LotCountAsync(string number)
    {
        using var rpc = tryton.NewClient();
        return (await rpc.CallAsync("stock.lot", "search_count", new JsonArray(new JsonArray(new JsonArray("number", "=", number))))).GetInt32();
    }

    [Fact]
    public async Task Final_confirmation_completes_the_order_with_its_good_quantity_lot_scrap_and_bom_consumption()
    {
        var order = NewOrder();
        await tryton.CreatePlannedOrderAsync(order, "FG-2001", 100);
        await using var erp = new TrytonConnector("erp", tryton.Options);

        var result = await erp.InvokeAsync(Confirm(order, 95, 5, "L-" + order, final: true, "wf-1:confirm"));

        Assert.Equal(ConnectorOutcome.Succeeded, result.Outcome);
        Assert.False(result.Replayed);
        Assert.Equal(95, result.Output!.Value.GetProperty("confirmedGood").GetDouble());
        Assert.Equal(5, result.Output!.Value.GetProperty("confirmedScrap").GetDouble());
        var production = Assert.Single(await ProductionsAsync(order));
        Assert.Equal($"{order}/wf-1:confirm", production.Reference);
        Assert.Equal("done", production.State);
        Assert.Equal(100, production.Quantity);
        // 1.8 kg of bar per housing, for good + scrap
        var input = Assert.Single(production.Inputs);
        Assert.Equal(("RM-4001", 180.0, "done"), (S(input, "product.code"), input.GetProperty("quantity").GetDouble(), S(input, "state")));
        var good = Assert.Single(production.Outputs, m => S(m, "to_location.code") == "STO");
        Assert.Equal((95.0, "L-" + order, "done"), (good.GetProperty("quantity").GetDouble(), S(good, "lot.number"), S(good, "state")));
        var scrap = Assert.Single(production.Outputs, m => S(m, "to_location.code") == "SCRAP");
        Assert.Equal(5.0, scrap.GetProperty("quantity").GetDouble());
        Assert.Equal(1, await LotCountAsync("L-" + order));
    }

    [Fact]
    public async Task The_same_key_twice_is_one_production_and_the_second_call_is_a_replay()
    {
        var order = NewOrder();
        await tryton.CreatePlannedOrderAsync(order, "FG-2001", 10);
        await using var erp = new TrytonConnector("erp", tryton.Options);

        var first = await erp.InvokeAsync(Confirm(order, 10, 0, "L-" + order, final: true, "k-1"));
        var second = await erp.InvokeAsync(Confirm(order, 10, 0, "L-" + order, final: true, "k-1"));

        Assert.Equal((ConnectorOutcome.Succeeded, ConnectorOutcome.Succeeded), (first.Outcome, second.Outcome));
        Assert.True(second.Replayed);
        Assert.Equal(first.DocumentId, second.DocumentId);
        Assert.Equal(10, second.Output!.Value.GetProperty("confirmedGood").GetDouble());
        Assert.Single(await ProductionsAsync(order));
        Assert.Equal(1, await LotCountAsync("L-" + order));
    }

    [Fact]
    public async Task A_crash_after_Tryton_posted_but_before_the_hub_recorded_it_yields_one_production()
    {
        var order = NewOrder();
        await tryton.CreatePlannedOrderAsync(order, "FG-2001", 20);
        string? document;
        await using (var before = new TrytonConnector("erp", tryton.Options))
            document = (await before.InvokeAsync(Confirm(order, 20, 0, "L-" + order, final: true, "wf-9:confirm"))).DocumentId;

        // the hub restarts with no record of the answer: a fresh connector sends the same key again
        await using var after = new TrytonConnector("erp", tryton.Options);
        var again = await after.InvokeAsync(Confirm(order, 20, 0, "L-" + order, final: true, "wf-9:confirm"));

        Assert.Equal(ConnectorOutcome.Succeeded, again.Outcome);
        Assert.True(again.Replayed);
        Assert.Equal(document, again.DocumentId);
        Assert.Single(await ProductionsAsync(order));
    }

    [Fact]
    public async Task A_crash_half_way_leaves_a_production_that_the_retry_finishes_instead_of_creating_another()
    {
        var order = NewOrder();
        await tryton.CreatePlannedOrderAsync(order, "FG-2001", 30);
        var confirm = Confirm(order, 30, 0, "L-" + order, final: true, "k-crash");
        // the hub dies right after Tryton executed "wait": the plan is rewritten (reference carries the key) but not done
        var dying = new HttpClient(new CrashAfter("model.production.wait") { InnerHandler = new SocketsHttpHandler() });
        await using (var before = new TrytonConnector("erp", tryton.Options, http: dying))
            Assert.Equal(ConnectorOutcome.Retryable, (await before.InvokeAsync(confirm)).Outcome);
        Assert.Equal("waiting", Assert.Single(await ProductionsAsync(order)).State);

        await using var after = new TrytonConnector("erp", tryton.Options);
        var result = await after.InvokeAsync(confirm);

        Assert.Equal(ConnectorOutcome.Succeeded, result.Outcome);
        Assert.True(result.Replayed);
        var production = Assert.Single(await ProductionsAsync(order));
        Assert.Equal(("done", $"{order}/k-crash"), (production.State, production.Reference));
        Assert.Equal(30.0, Assert.Single(production.Outputs).GetProperty("quantity").GetDouble());
    }

    /// <summary>Passes requests to the real server, then loses the answer of the first one that calls <paramref name="method"/>.</summary>
    private sealed class CrashAfter(string method) : DelegatingHandler
    {
        private int _crashed;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
            var response = await base.SendAsync(request, cancellationToken);
            if (body.Contains($"\"method\":\"{method}\"", StringComparison.Ordinal) && Interlocked.Exchange(ref _crashed, 1) == 0)
            {
                response.Dispose();
                throw new HttpRequestException($"the hub crashed after Tryton executed {method}");
            }
            return response;
        }
    }

    [Fact]
    public async Task Partial_confirmations_accumulate_and_the_final_one_completes_the_plan()
    {
        var order = NewOrder();
        await tryton.CreatePlannedOrderAsync(order, "FG-2002", 100);
        await using var erp = new TrytonConnector("erp", tryton.Options);

        var first = await erp.InvokeAsync(Confirm(order, 30, 2, "L1-" + order, final: false, "c-1"));
        var second = await erp.InvokeAsync(Confirm(order, 20, 0, "L2-" + order, final: false, "c-2"));
        var last = await erp.InvokeAsync(Confirm(order, 50, 1, "L3-" + order, final: true, "c-3"));
        var read = await erp.InvokeAsync(new ConnectorCall("read-production-order", TrytonServer.Json($$"""{"order":"{{order}}"}"""), "read-1"));

        Assert.All(new[] { first, second, last, read }, r => Assert.Equal(ConnectorOutcome.Succeeded, r.Outcome));
        Assert.Equal((100.0, 3.0), (last.Output!.Value.GetProperty("confirmedGood").GetDouble(), last.Output!.Value.GetProperty("confirmedScrap").GetDouble()));
        var productions = await ProductionsAsync(order);
        Assert.Equal(3, productions.Count);
        Assert.All(productions, p => Assert.Equal("done", p.State));
        // FG-2002 takes 8 bolts and 0.5 kg bar per unit, for good + scrap: 32 + 20 + 51 = 103 units
        var bolts = productions.SelectMany(p => p.Inputs).Where(m => S(m, "product.code") == "CP-5001").Sum(m => m.GetProperty("quantity").GetDouble());
        Assert.Equal(103 * 8, bolts);
        var o = read.Output!.Value;
        Assert.Equal(("done", 100.0, 3.0, "FG-2002", "plant-01", "ea"), (S(o, "status"), o.GetProperty("confirmedGood").GetDouble(),
            o.GetProperty("confirmedScrap").GetDouble(), S(o, "material"), S(o, "plant"), S(o, "unit")));
    }

    [Fact]
    public async Task Reading_a_planned_order_gives_its_material_quantity_and_state()
    {
        var order = NewOrder();
        await tryton.CreatePlannedOrderAsync(order, "FG-2001", 42);
        await using var erp = new TrytonConnector("erp", tryton.Options);

        var read = await erp.InvokeAsync(new ConnectorCall("read-production-order", TrytonServer.Json($$"""{"order":"{{order}}"}"""), "r"));

        var o = read.Output!.Value;
        Assert.Equal(("draft", 42.0, 0.0, "FG-2001"), (S(o, "status"), o.GetProperty("plannedQuantity").GetDouble(), o.GetProperty("confirmedGood").GetDouble(), S(o, "material")));
    }

    [Fact]
    public async Task An_unknown_order_is_a_permanent_failure_that_names_it()
    {
        await using var erp = new TrytonConnector("erp", tryton.Options);

        var result = await erp.InvokeAsync(Confirm("PO-NOPE-1", 1, 0, "L-x", final: true, "k-unknown"));

        Assert.Equal(ConnectorOutcome.Permanent, result.Outcome);
        Assert.Contains("'PO-NOPE-1' not found in Tryton", result.Reason);
    }

    [Fact]
    public async Task A_unit_that_is_not_the_materials_unit_is_permanent_and_posts_nothing()
    {
        var order = NewOrder();
        await tryton.CreatePlannedOrderAsync(order, "FG-2001", 5);
        await using var erp = new TrytonConnector("erp", tryton.Options);

        var result = await erp.InvokeAsync(new ConnectorCall("confirm-production",
            TrytonServer.Json($$"""{"order":"{{order}}","good":5,"unit":"kg","lot":"L-{{order}}","final":true}"""), "k-unit"));

        Assert.Equal(ConnectorOutcome.Permanent, result.Outcome);
        Assert.Contains("unit 'kg' does not match", result.Reason);
        Assert.Equal("draft", Assert.Single(await ProductionsAsync(order)).State);
    }
}
