using System.Buffers;
using Millrace.Mqtt.Packets;

namespace Millrace.Mqtt.Codec;

/// <summary>
/// Encodes packets into an <see cref="IBufferWriter{T}"/> (e.g. a <c>PipeWriter</c>). Each method computes the
/// exact size first, asks the writer for one span of that size, fills it and advances. Each returns the number
/// of bytes written, or 0 without writing anything when the packet would exceed <c>maximumPacketSize</c>
/// (the peer's Maximum Packet Size: 5.0 says such a packet is not sent [MQTT-3.1.2-24], [MQTT-3.2.2-15]).
/// Arguments that would produce a packet the specification forbids throw <see cref="ArgumentException"/>.
/// On MQTT 3.1.1, properties and 5.0-only fields are not written.
/// </summary>
public static class MqttPacketWriter
{
    /// <summary>No size limit.</summary>
    public const int Unlimited = int.MaxValue;

    /// <summary>Writes CONNECT in <see cref="MqttConnectPacket.ProtocolVersion"/>.</summary>
    public static int WriteConnect(IBufferWriter<byte> output, in MqttConnectPacket packet, int maximumPacketSize = Unlimited)
        => packet.Write(output, maximumPacketSize);

    /// <summary>Writes CONNACK.</summary>
    public static int WriteConnAck(IBufferWriter<byte> output, MqttProtocolVersion version, in MqttConnAckPacket packet, int maximumPacketSize = Unlimited)
        => packet.Write(output, version, maximumPacketSize);

    /// <summary>Writes PUBLISH.</summary>
    public static int WritePublish(IBufferWriter<byte> output, MqttProtocolVersion version, in MqttPublishPacket packet, int maximumPacketSize = Unlimited)
        => packet.Write(output, version, maximumPacketSize);

    /// <summary>Size PUBLISH would take, for checks against the peer's Maximum Packet Size before building it.</summary>
    public static int GetPublishSize(MqttProtocolVersion version, in MqttPublishPacket packet) => packet.GetSize(version, out _);

    /// <summary>Writes PUBACK, PUBREC, PUBREL or PUBCOMP (by <see cref="MqttPublishResponsePacket.Type"/>).</summary>
    public static int WritePublishResponse(IBufferWriter<byte> output, MqttProtocolVersion version, in MqttPublishResponsePacket packet, int maximumPacketSize = Unlimited)
        => packet.Write(output, version, maximumPacketSize);

    /// <summary>Writes SUBSCRIBE.</summary>
    public static int WriteSubscribe(IBufferWriter<byte> output, MqttProtocolVersion version, ushort packetIdentifier, in MqttProperties properties,
        ReadOnlySpan<MqttSubscription> subscriptions, int maximumPacketSize = Unlimited)
        => MqttSubscribePacket.Write(output, version, packetIdentifier, properties, subscriptions, maximumPacketSize);

    /// <summary>Writes SUBACK; on 3.1.1 every failure code becomes 0x80.</summary>
    public static int WriteSubAck(IBufferWriter<byte> output, MqttProtocolVersion version, ushort packetIdentifier, in MqttProperties properties,
        ReadOnlySpan<MqttReasonCode> reasonCodes, int maximumPacketSize = Unlimited)
        => MqttSubAckPacket.Write(output, version, packetIdentifier, properties, reasonCodes, maximumPacketSize);

    /// <summary>Writes UNSUBSCRIBE.</summary>
    public static int WriteUnsubscribe(IBufferWriter<byte> output, MqttProtocolVersion version, ushort packetIdentifier, in MqttProperties properties,
        ReadOnlySpan<ReadOnlySequence<byte>> topicFilters, int maximumPacketSize = Unlimited)
        => MqttUnsubscribePacket.Write(output, version, packetIdentifier, properties, topicFilters, maximumPacketSize);

    /// <summary>Writes UNSUBACK; the reason codes are 5.0 only.</summary>
    public static int WriteUnsubAck(IBufferWriter<byte> output, MqttProtocolVersion version, ushort packetIdentifier, in MqttProperties properties,
        ReadOnlySpan<MqttReasonCode> reasonCodes, int maximumPacketSize = Unlimited)
        => MqttUnsubAckPacket.Write(output, version, packetIdentifier, properties, reasonCodes, maximumPacketSize);

    /// <summary>Writes PINGREQ (C0 00).</summary>
    public static int WritePingReq(IBufferWriter<byte> output) => WriteEmpty(output, MqttPacketType.PingReq);

    /// <summary>Writes PINGRESP (D0 00).</summary>
    public static int WritePingResp(IBufferWriter<byte> output) => WriteEmpty(output, MqttPacketType.PingResp);

    /// <summary>Writes DISCONNECT (3.1.1: E0 00).</summary>
    public static int WriteDisconnect(IBufferWriter<byte> output, MqttProtocolVersion version, in MqttDisconnectPacket packet, int maximumPacketSize = Unlimited)
        => packet.Write(output, version, maximumPacketSize);

    /// <summary>Writes AUTH (5.0 only).</summary>
    public static int WriteAuth(IBufferWriter<byte> output, in MqttAuthPacket packet, int maximumPacketSize = Unlimited)
        => packet.Write(output, MqttProtocolVersion.V500, maximumPacketSize);

    private static int WriteEmpty(IBufferWriter<byte> output, MqttPacketType type)
    {
        var span = output.GetSpan(2);
        span[0] = (byte)((int)type << 4);
        span[1] = 0;
        output.Advance(2);
        return 2;
    }
}
