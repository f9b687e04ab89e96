using System.Diagnostics.Metrics;

namespace Millrace.Hub.Connectors.Resilience;

/// <summary>
/// The connectors' instruments (meter <c>Millrace.Connectors</c>): calls by connector, operation and outcome; call
/// duration; circuit state; calls held (waiting on a limiter or deferred and not yet succeeded); time since the last
/// success (synchronisation lag).
/// </summary>
public sealed class ConnectorMetrics : IDisposable
{
    /// <summary>The meter's name, for exporters.</summary>
    public const string MeterName = "Millrace.Connectors";

    private readonly Meter _meter;
    private readonly List<ResilientConnector> _connectors = [];

    /// <summary>Creates the instruments within <paramref name="scope"/> (the hub's telemetry instance).</summary>
    public ConnectorMetrics(object? scope = null)
    {
        _meter = new Meter(new MeterOptions(MeterName) { Scope = scope });
        Calls = _meter.CreateCounter<long>("millrace.connector.calls", "{call}", "Connector calls, by connector, operation and outcome (succeeded, retryable, permanent, deferred).");
        Duration = _meter.CreateHistogram<double>("millrace.connector.duration", "s", "Time of one connector call that reached the target, by connector and operation.");
        _meter.CreateObservableGauge("millrace.connector.circuit", () => Each(c => (long)c.CircuitState), "{state}", "Circuit state per connector: 0 closed, 1 open, 2 half-open, 3 isolated.");
        _meter.CreateObservableGauge("millrace.connector.held", () => Each(c => c.Held), "{call}", "Calls held per connector: waiting for the rate or concurrency limiter, plus deferred calls not yet followed by a success (the backlog).");
        _meter.CreateObservableGauge("millrace.connector.lag", () => EachDouble(c => c.SecondsSinceLastSuccess), "s", "Seconds since the connector's last successful call (synchronisation lag); absent before the first.");
    }

    /// <summary>Calls by outcome.</summary>
    public Counter<long> Calls { get; }

    /// <summary>Duration of calls that reached the target.</summary>
    public Histogram<double> Duration { get; }

    internal void Track(ResilientConnector connector)
    {
        lock (_connectors) _connectors.Add(connector);
    }

    internal void Untrack(ResilientConnector connector)
    {
        lock (_connectors) _connectors.Remove(connector);
    }

    private IEnumerable<Measurement<long>> Each(Func<ResilientConnector, long> read)
    {
        ResilientConnector[] all;
        lock (_connectors) all = [.. _connectors];
        return all.Select(c => new Measurement<long>(read(c), new KeyValuePair<string, object?>("connector", c.Name)));
    }

    private IEnumerable<Measurement<double>> EachDouble(Func<ResilientConnector, double?> read)
    {
        ResilientConnector[] all;
        lock (_connectors) all = [.. _connectors];
        foreach (var c in all)
            if (read(c) is { } v) yield return new Measurement<double>(v, new KeyValuePair<string, object?>("connector", c.Name));
    }

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}
