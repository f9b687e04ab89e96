namespace Millrace.Mqtt.Client;

/// <summary>
/// A QoS 1/2 publication that the session owns until its flow completes: topic and payload are copied into one array
/// so it can be resent (with DUP) after a reconnection whatever the caller does with its buffers.
/// </summary>
internal sealed class MqttOutboundPublish(string topic, byte[] data, int topicLength, MqttQualityOfService qos, bool retain)
{
    public string Topic { get; } = topic;
    public ReadOnlyMemory<byte> TopicBytes => Data.AsMemory(0, topicLength);
    public ReadOnlyMemory<byte> Payload => Data.AsMemory(topicLength);
    public byte[] Data { get; } = data;
    public MqttQualityOfService QoS { get; } = qos;
    public bool Retain { get; } = retain;

    /// <summary>Order of publication: resends keep it [MQTT-4.6.0-1].</summary>
    public long Sequence { get; set; }

    /// <summary>The caller stopped waiting before the message entered the in-flight window: it is not sent.</summary>
    public bool Cancelled { get; set; }

    public ushort PacketIdentifier { get; set; }

    /// <summary>Sent at least once on some connection (a resend then carries DUP).</summary>
    public bool Sent { get; set; }

    /// <summary>QoS 2: PUBREC received, PUBREL (re)sent, awaiting PUBCOMP.</summary>
    public bool Released { get; set; }

    /// <summary>The connection it was last written to (or is being written to).</summary>
    public MqttConnection? SentOn { get; set; }

    public TaskCompletionSource<MqttPublishResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
