using System.Net;
using Microsoft.Extensions.Logging;
using Millrace.Mqtt.Broker;

namespace Millrace.Hub.Broker;

/// <summary>
/// The hub's embedded broker as <c>millrace run</c>/<c>demo</c> and <c>millrace broker --data</c> run it: persistent
/// sessions in the hub's SQLite store (<see cref="SqliteMqttSessionStore"/>), users and namespaces from the
/// <c>mqtt-broker:</c> section (<see cref="MqttBrokerAccess"/>), broker errors logged.
/// </summary>
public static partial class EmbeddedBroker
{
    /// <summary>
    /// A broker on <paramref name="endpoint"/> keeping its sessions in <paramref name="store"/> (the caller disposes the
    /// store after the broker stopped) and admitting clients by <paramref name="access"/> (null: open).
    /// </summary>
    /// <param name="meterScope">Scope of the broker's <c>Millrace.Mqtt.Broker</c> meter: the hub's telemetry, so its
    /// statistics appear on the hub's <c>/metrics</c> and OTLP export; null for a broker on its own.</param>
    public static MqttBroker Create(IPEndPoint endpoint, SqliteMqttSessionStore store, MqttBrokerAccess? access, ILogger? logger,
        object? meterScope = null)
    {
        var options = new MqttBrokerOptions { Endpoint = endpoint, SessionStore = store, MeterScope = meterScope };
        options = (access ?? MqttBrokerAccess.Open).ApplyTo(options);
        var broker = new MqttBroker(options);
        if (logger is not null) broker.Error += message => LogBrokerError(logger, message);
        return broker;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT broker: {Problem}")]
    private static partial void LogBrokerError(ILogger logger, string problem);
}
