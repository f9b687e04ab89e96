using System.Diagnostics.Metrics;
using Millrace.Hub.Connectors;
using Millrace.Hub.Connectors.Configuration;
using Millrace.Hub.Connectors.Resilience;
using Millrace.Sandbox;
using static Millrace.Hub.Tests.Connectors.ConnectorHarness;

namespace Millrace.Hub.Tests.Connectors;

/// <summary>The connectors' meter, in the scope the hub gives: calls by outcome, circuit state, held calls and lag.</summary>
public sealed class ConnectorMetricsSpecs : IAsyncLifetime
{
    private const string Yaml = """
        connectors:
          - id: erp
            kind: http
            url: sandbox://erp
            circuit-breaker: { failure-ratio: 0.5, sampling-duration: 10s, minimum-throughput: 2, break-duration: 30s }
            operations:
              confirm-production:
                method: POST
                path: /production-orders/{input.order}/confirmations
                document: response.confirmation
        """;
    private const string Confirm = """{"order":"PO-100001","good":1,"unit":"ea"}""";
    private RunningSandbox _sandbox = null!;

    public async Task InitializeAsync() => _sandbox = await SandboxSystems.StartAsync();

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    [Fact]
    public async Task Calls_are_counted_by_outcome_and_the_circuit_held_calls_and_lag_are_observed()
    {
        var scope = new object();
        var time = new ManualTime(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
        var measured = new List<(string Name, double Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (i, l) => { if (i.Meter.Name == ConnectorMetrics.MeterName && ReferenceEquals(i.Meter.Scope, scope)) l.EnableMeasurementEvents(i); },
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => { lock (measured) measured.Add((i.Name, v, Tags(tags))); });
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => { lock (measured) measured.Add((i.Name, v, Tags(tags))); });
        listener.Start();
        await using var connectors = ConnectorSet.Create(Catalog(Yaml), new ConnectorEnvironment { SandboxAddress = _sandbox.BaseAddress, Time = time, MeterScope = scope });
        var erp = connectors["erp"];

        await erp.InvokeAsync(Call("confirm-production", Confirm));
        time.Advance(TimeSpan.FromSeconds(5));
        _sandbox.System("erp").Behaviour = new SandboxBehaviour { ErrorRate = 1 };
        await erp.InvokeAsync(Call("confirm-production", Confirm)); // 1 of 2 failed in the window: the circuit opens
        await erp.InvokeAsync(Call("confirm-production", Confirm)); // deferred
        await erp.InvokeAsync(Call("confirm-production", Confirm)); // deferred
        listener.RecordObservableInstruments();

        long Count(string outcome) => (long)measured.Where(m => m.Name == "millrace.connector.calls" && (string?)m.Tags["outcome"] == outcome).Sum(m => m.Value);
        Assert.Equal((1L, 1L, 2L), (Count("succeeded"), Count("retryable"), Count("deferred")));
        Assert.Equal(1.0, measured.Last(m => m.Name == "millrace.connector.circuit").Value); // open
        Assert.Equal(2.0, measured.Last(m => m.Name == "millrace.connector.held").Value);
        Assert.Equal(5.0, measured.Last(m => m.Name == "millrace.connector.lag").Value);
        Assert.All(measured.Where(m => m.Name == "millrace.connector.calls"), m => Assert.Equal(("erp", "confirm-production"), ((string?)m.Tags["connector"], (string?)m.Tags["operation"])));
    }

    private static Dictionary<string, object?> Tags(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var d = new Dictionary<string, object?>();
        foreach (var t in tags) d[t.Key] = t.Value;
        return d;
    }
}
