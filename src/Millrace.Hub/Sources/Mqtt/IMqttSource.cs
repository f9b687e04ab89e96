using Millrace.Core.Config;

namespace Millrace.Hub.Sources.Mqtt;

/// <summary>
/// What a running <c>kind: mqtt</c> source does with each message, by <c>format</c>: <c>json</c> telemetry
/// (<see cref="MqttTelemetrySource"/>) or <c>cloudevents</c> business events (<see cref="MqttEventSource"/>).
/// Messages of one source are handed over one at a time, in order.
/// </summary>
internal interface IMqttSource
{
    /// <summary>The source's configuration.</summary>
    MqttSourceDefinition Definition { get; }

    /// <summary>Messages handled.</summary>
    long Received { get; }

    /// <summary>Samples handed to the pipeline, or events admitted into the log.</summary>
    long Accepted { get; }

    /// <summary>Items refused: dead letters, or quarantined events.</summary>
    long DeadLettered { get; }

    /// <summary>Handles one message; awaits what it feeds, so a slow hub slows the transport.</summary>
    ValueTask HandleAsync(string topic, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken);
}
