using System.Text.Json;
using Millrace.Hub.Connectors;
using Millrace.Sandbox;
using static Millrace.Hub.Tests.Connectors.ConnectorHarness;

namespace Millrace.Hub.Tests.Connectors;

/// <summary>
/// Every operation samples/acme/connectors.yaml declares, called through the <c>kind: http</c> connector against the
/// real sandbox over loopback HTTP: the sandboxes are reached by configuration alone.
/// </summary>
public sealed class AcmeConnectorOperationSpecs : IAsyncLifetime
{
    private RunningSandbox _sandbox = null!;
    private ConnectorSet _connectors = null!;

    /// <summary>Per operation: the connector, and how to build a valid input (creating what it refers to first).</summary>
    private static readonly Dictionary<string, (string Connector, Func<ConnectorSet, Task<string>> Input, string ExpectedDocumentMember)> Table = new()
    {
        ["read-production-order"] = ("erp", _ => Task.FromResult("""{"order":"PO-100001"}"""), "order"),
        ["confirm-production"] = ("erp", _ => Task.FromResult("""{"order":"PO-100001","operation":"0010","good":120,"scrap":3,"unit":"ea","lot":"L1-FG-1001-900","asset":"plant-01/pack-1/filler-01","final":false}"""), "confirmation"),
        ["post-goods-receipt"] = ("erp", _ => Task.FromResult("""{"order":"PO-100001","material":"FG-1001","quantity":120,"unit":"ea","lot":"L1-FG-1001-900","location":"plant-01/warehouse"}"""), "movement"),
        ["set-batch-status"] = ("erp", _ => Task.FromResult("""{"material":"RM-3001","lot":"L1-RM-3001-003","status":"restricted"}"""), "lot"),
        ["post-goods-movement"] = ("erp", _ => Task.FromResult("""{"material":"CP-5001","quantity":500,"unit":"ea","from":"plant-01/stores","to":"plant-01/asm-1","reason":"line supply"}"""), "movement"),
        ["block-stock"] = ("erp", _ => Task.FromResult("""{"material":"RM-3001","lot":"L1-RM-3001-001","reason":"cold-chain excursion"}"""), "movement"),
        ["read-stock"] = ("erp", _ => Task.FromResult("""{"material":"RM-3002","plant":"plant-01"}"""), "material"),
        ["reserve-material"] = ("erp", _ => Task.FromResult("""{"material":"CP-5001","quantity":8,"unit":"ea","plant":"plant-01","reference":"MC-000001"}"""), "reservation"),
        ["release-reservation"] = ("erp", async c => $$"""{"reservation":"{{await Document(c, "erp", "reserve-material", """{"material":"CP-5001","quantity":4,"unit":"ea","plant":"plant-01","reference":"MC-000002"}""")}}"}""", "reservation"),
        ["update-schedule"] = ("erp", _ => Task.FromResult("""{"plant":"plant-02","line":"cnc-1","asset":"plant-02/cnc-1/cnc-07","from":"2026-11-23T06:00:00Z","until":"2026-11-23T10:00:00Z","reason":"spindle bearing","reference":"MC-000001"}"""), "scheduleChange"),
        ["post-cost"] = ("erp", _ => Task.FromResult("""{"reference":"MC-000001","costCenter":"CC-2100","amount":412.5,"currency":"EUR","category":"maintenance-parts"}"""), "costPosting"),
        ["post-exception"] = ("erp", _ => Task.FromResult("""{"kind":"cold-chain","reference":"evt-42","lots":["L1-RM-3001-001"],"shipment":"SH-10001","location":"plant-01/cold-store/bay-a","details":"9.4 °C for 22 min"}"""), "exception"),
        ["post-asn"] = ("erp", _ => Task.FromResult("""{"asn":"ASN-77","supplier":"SUP-9","purchaseOrder":"4500001234","plant":"plant-01","expectedArrival":"2026-11-24T08:00:00Z","lines":[{"material":"RM-3001","quantity":200,"unit":"kg","lot":"S-88"}]}"""), "inboundDelivery"),
        ["create-maintenance-case"] = ("eam", _ => Task.FromResult("""{"asset":"plant-02/cnc-1/cnc-07","alert":"vibration-high","severity":"high","description":"vibration 11.2 mm/s","signal":"vibration","value":11.2}"""), "case"),
        ["create-work-order"] = ("eam", async c => $$"""{"case":"{{await NewCase(c)}}","asset":"plant-02/cnc-1/cnc-07","description":"replace spindle bearing","plannedStart":"2026-11-23T06:00:00Z","parts":[{"material":"CP-5001","quantity":8}]}""", "workOrder"),
        ["close-maintenance-case"] = ("eam", async c => $$"""{"case":"{{await NewCase(c)}}","resolution":"bearing replaced"}""", "case"),
        ["create-quality-notification"] = ("qms", _ => Task.FromResult("""{"asset":"plant-01/asm-1/leak-tester-01","characteristic":"leak-rate","measured":4.2,"unit":"ml/min","upperLimit":3,"severity":"major","order":"PO-100003","material":"FG-2002","lot":"L1-FG-2002-001","reference":"evt-7"}"""), "notification"),
        ["record-blocked-stock"] = ("qms", async c => $$"""{"notification":"{{await Document(c, "qms", "create-quality-notification", """{"asset":"plant-01/asm-1/leak-tester-01","characteristic":"leak-rate","measured":4.4,"unit":"ml/min","severity":"major","reference":"evt-8"}""")}}","material":"FG-2002","lot":"L1-FG-2002-001","quantity":20}""", "notification"),
        ["read-lots-at-location"] = ("wms", _ => Task.FromResult("""{"location":"plant-01/cold-store/bay-a"}"""), "location"),
        ["read-shipment"] = ("wms", _ => Task.FromResult("""{"shipment":"SH-10001"}"""), "shipment"),
        ["hold-shipment"] = ("wms", _ => Task.FromResult("""{"shipment":"SH-20001","reason":"cold-chain excursion","reference":"evt-42"}"""), "shipment"),
        ["create-notice"] = ("field-service", _ => Task.FromResult("""{"asset":"plant-02/cnc-1/cnc-07","case":"MC-000001","priority":"high","message":"Spindle bearing: vibration 11.2 mm/s"}"""), "notice"),
    };

    public static TheoryData<string> Operations() => [.. Table.Keys];

    public async Task InitializeAsync()
    {
        _sandbox = await SandboxSystems.StartAsync();
        _connectors = ConnectorHarness.Connectors(AcmeConnectorsYaml, _sandbox);
    }

    public async Task DisposeAsync()
    {
        await _connectors.DisposeAsync();
        await _sandbox.DisposeAsync();
    }

    [Fact]
    public void The_table_covers_every_operation_the_sample_declares()
    {
        var declared = _connectors.Names.SelectMany(n => _connectors[n].Operations.Select(o => (n, o))).Order().ToList();
        Assert.Equal(declared, Table.Select(t => (t.Value.Connector, t.Key)).Order().ToList());
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Every_declared_operation_succeeds_against_the_sandbox(string operation)
    {
        var (connector, input, member) = Table[operation];
        var result = await _connectors[connector].InvokeAsync(Call(operation, await input(_connectors)));
        Assert.True(result.Outcome == ConnectorOutcome.Succeeded, $"{connector}.{operation}: {result.Reason}\n{result.Request}\n{result.Response}");
        Assert.False(result.Replayed);
        Assert.False(string.IsNullOrEmpty(result.DocumentId));
        Assert.Equal(result.DocumentId, result.Output!.Value.GetProperty(member).ToString());
    }

    [Fact]
    public async Task Read_stock_and_lots_return_the_seeded_lots_of_the_location()
    {
        var stock = await _connectors["erp"].InvokeAsync(Call("read-stock", """{"material":"RM-3001","location":"plant-03/cold-store/bay-a"}"""));
        var lots = await _connectors["wms"].InvokeAsync(Call("read-lots-at-location", """{"location":"plant-03/cold-store/bay-a"}"""));
        Assert.Equal(["L3-RM-3001-001", "L3-RM-3001-002"], stock.Output!.Value.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("lot").GetString()!).Order());
        Assert.Equal(["L3-RM-3001-001", "L3-RM-3001-002"], lots.Output!.Value.GetProperty("lots").EnumerateArray().Select(i => i.GetProperty("lot").GetString()!).Order());
    }

    private static async Task<string> Document(ConnectorSet c, string connector, string operation, string input)
    {
        var r = await c[connector].InvokeAsync(Call(operation, input));
        Assert.True(r.Outcome == ConnectorOutcome.Succeeded, r.Reason);
        return r.DocumentId!;
    }

    private static Task<string> NewCase(ConnectorSet c)
        => Document(c, "eam", "create-maintenance-case", """{"asset":"plant-02/cnc-1/cnc-07","alert":"vibration-high","severity":"high","description":"vibration"}""");
}
