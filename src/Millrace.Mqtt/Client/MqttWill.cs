namespace Millrace.Mqtt.Client;

/// <summary>
/// The Will Message the server publishes when the connection ends without a normal DISCONNECT
/// (network failure, keep-alive timeout, protocol error) [MQTT-3.1.2-8].
/// </summary>
/// <param name="Topic">Will Topic (a Topic Name: no wildcards).</param>
/// <param name="Payload">Will Payload.</param>
/// <param name="QoS">QoS the Will is published with.</param>
/// <param name="Retain">Whether the Will is published as a retained message.</param>
public sealed record MqttWill(string Topic, ReadOnlyMemory<byte> Payload, MqttQualityOfService QoS = MqttQualityOfService.AtMostOnce, bool Retain = false)
{
    /// <summary>5.0 Will Delay Interval in seconds (0: publish at once).</summary>
    public uint DelayInterval { get; init; }
}
