using System.Buffers;
using Millrace.Mqtt.Codec;
using Millrace.Mqtt.Packets;

namespace Millrace.Mqtt.Broker;

/// <summary>A client's Will Message, copied out of CONNECT; published when the connection ends without a normal
/// DISCONNECT (after the 5.0 Will Delay Interval, unless the session resumes first).</summary>
internal sealed class MqttWill
{
    private readonly byte[] _topic, _payload, _properties;
    private readonly uint? _messageExpiry;

    private MqttWill(byte[] topic, byte[] payload, byte[] properties, MqttQualityOfService qos, bool retain, uint? messageExpiry, uint delay)
    {
        _topic = topic;
        _payload = payload;
        _properties = properties;
        QoS = qos;
        Retain = retain;
        _messageExpiry = messageExpiry;
        DelayInterval = delay;
    }

    public MqttQualityOfService QoS { get; }
    public bool Retain { get; }
    public uint DelayInterval { get; }
    public string? Identity { get; set; }
    public ReadOnlySpan<byte> Topic => _topic;

    public static MqttWill? From(in MqttConnectPacket connect)
    {
        if (!connect.HasWill) return null;
        var properties = connect.WillProperties;
        var forwarded = new byte[properties.Length];
        int n = MqttForwardedProperties.Copy(properties.Encoded, forwarded, out uint? expiry);
        properties.TryGetNumber(MqttPropertyId.WillDelayInterval, out uint delay);
        return new MqttWill(connect.WillTopic.ToArray(), connect.WillPayload.ToArray(), forwarded[..n], connect.WillQoS, connect.WillRetain, expiry, delay);
    }

    /// <summary>The message to publish now.</summary>
    public MqttApplicationMessage ToMessage(DateTimeOffset now, string clientId)
        => new(_topic, _payload, QoS, Retain, _properties, _messageExpiry is { } e ? now.AddSeconds(e) : null) { PublisherClientId = clientId };
}
