using System.Diagnostics.Metrics;

namespace Millrace.Mqtt.Broker;

/// <summary>
/// The broker's statistics on the meter <c>Millrace.Mqtt.Broker</c> (one meter per broker instance, scoped to it):
/// connections, messages and bytes in and out, dropped messages by reason, retained messages and sessions.
/// </summary>
public sealed class MqttBrokerMetrics : IDisposable
{
    /// <summary>The meter name.</summary>
    public const string MeterName = "Millrace.Mqtt.Broker";

    private readonly Counter<long> _messagesIn, _messagesOut, _bytesIn, _bytesOut, _dropped, _connectionsAccepted, _connectionsRefused;
    private long _connections;

    internal MqttBrokerMetrics(MqttBroker broker)
    {
        Meter = new Meter(new MeterOptions(MeterName) { Scope = broker.Options.MeterScope ?? broker });
        _messagesIn = Meter.CreateCounter<long>("millrace.mqtt.broker.messages.received", "{message}", "PUBLISH packets received from clients and in-process publishers.");
        _messagesOut = Meter.CreateCounter<long>("millrace.mqtt.broker.messages.sent", "{message}", "PUBLISH packets delivered to clients and in-process subscribers.");
        _bytesIn = Meter.CreateCounter<long>("millrace.mqtt.broker.bytes.received", "By", "Bytes read from client connections.");
        _bytesOut = Meter.CreateCounter<long>("millrace.mqtt.broker.bytes.sent", "By", "Bytes written to client connections.");
        _dropped = Meter.CreateCounter<long>("millrace.mqtt.broker.messages.dropped", "{message}", "Messages not delivered, by reason (queue_full, too_large, expired, not_authorized).");
        _connectionsAccepted = Meter.CreateCounter<long>("millrace.mqtt.broker.connections.accepted", "{connection}", "Clients that completed CONNECT.");
        _connectionsRefused = Meter.CreateCounter<long>("millrace.mqtt.broker.connections.refused", "{connection}", "Connections refused, by reason code.");
        Meter.CreateObservableGauge("millrace.mqtt.broker.connections", () => Volatile.Read(ref _connections), "{connection}", "Connected clients.");
        Meter.CreateObservableGauge("millrace.mqtt.broker.sessions", () => (long)broker.SessionCount, "{session}", "Sessions (connected and persisted).");
        Meter.CreateObservableGauge("millrace.mqtt.broker.retained", () => (long)broker.RetainedCount, "{message}", "Retained messages.");
    }

    /// <summary>The meter (for listeners that want only this broker's instruments).</summary>
    public Meter Meter { get; }

    /// <summary>Connected clients now.</summary>
    public long Connections => Volatile.Read(ref _connections);

    /// <summary>Messages dropped so far (all reasons), for tests and the CLI summary.</summary>
    public long Dropped => Interlocked.Read(ref _droppedTotal);
    private long _droppedTotal;

    /// <summary>Messages received so far.</summary>
    public long MessagesReceived => Interlocked.Read(ref _receivedTotal);
    private long _receivedTotal;

    /// <summary>Messages delivered so far.</summary>
    public long MessagesSent => Interlocked.Read(ref _sentTotal);
    private long _sentTotal;

    internal void Connected()
    {
        Interlocked.Increment(ref _connections);
        _connectionsAccepted.Add(1);
    }

    internal void Disconnected() => Interlocked.Decrement(ref _connections);
    internal void Refused(MqttReasonCode code) => _connectionsRefused.Add(1, new KeyValuePair<string, object?>("reason", code.ToString()));

    internal void Received(long messages)
    {
        Interlocked.Add(ref _receivedTotal, messages);
        _messagesIn.Add(messages);
    }

    internal void Sent(long messages)
    {
        if (messages == 0) return;
        Interlocked.Add(ref _sentTotal, messages);
        _messagesOut.Add(messages);
    }

    internal void BytesIn(long bytes) => _bytesIn.Add(bytes);
    internal void BytesOut(long bytes) => _bytesOut.Add(bytes);

    internal void Drop(string reason, long count = 1)
    {
        Interlocked.Add(ref _droppedTotal, count);
        _dropped.Add(count, new KeyValuePair<string, object?>("reason", reason));
    }

    /// <inheritdoc/>
    public void Dispose() => Meter.Dispose();
}
