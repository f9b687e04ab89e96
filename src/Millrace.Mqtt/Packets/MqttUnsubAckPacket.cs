using System.Buffers;
using Millrace.Mqtt.Codec;

namespace Millrace.Mqtt.Packets;

/// <summary>UNSUBACK (3.1.1 §3.11: Packet Identifier only; 5.0 §3.11: plus properties and one reason code per filter).</summary>
public readonly struct MqttUnsubAckPacket
{
    /// <summary>Packet Identifier of the UNSUBSCRIBE.</summary>
    public ushort PacketIdentifier { get; init; }
    /// <summary>Properties (5.0).</summary>
    public MqttProperties Properties { get; init; }
    /// <summary>5.0 reason codes, one byte each; empty on 3.1.1.</summary>
    public ReadOnlySequence<byte> ReasonCodes { get; init; }

    /// <summary>Copies the codes (allocates).</summary>
    public MqttReasonCode[] GetReasonCodes() => Array.ConvertAll(ReasonCodes.ToArray(), b => (MqttReasonCode)b);

    internal static MqttUnsubAckPacket Read(ref MqttBodyReader r)
    {
        ushort packetId = r.ReadUInt16("Packet Identifier");
        if (packetId == 0) throw MqttProtocolException.Protocol(r.Rule("MQTT-2.3.1-1", "MQTT-2.2.1-3"), "UNSUBACK has Packet Identifier 0");
        if (!r.IsV5)
        {
            r.ExpectEnd("UNSUBACK");
            return new MqttUnsubAckPacket { PacketIdentifier = packetId };
        }
        var properties = r.ReadProperties(MqttPropertyContext.UnsubAck);
        var codes = r.ReadRest();
        if (codes.IsEmpty) throw MqttProtocolException.Protocol("MQTT-3.11.3-1", "UNSUBACK contains no reason code");
        foreach (var segment in codes)
            foreach (byte c in segment.Span)
                MqttReasonCodeRules.Check(MqttPacketType.UnsubAck, c);
        return new MqttUnsubAckPacket { PacketIdentifier = packetId, Properties = properties, ReasonCodes = codes };
    }

    internal static int Write(IBufferWriter<byte> output, MqttProtocolVersion version, ushort packetId, in MqttProperties properties,
        ReadOnlySpan<MqttReasonCode> codes, int maximumPacketSize)
    {
        MqttEncoding.CheckVersion(version);
        if (packetId == 0) throw new ArgumentException("Packet Identifier must be non-zero.", nameof(packetId));
        bool v5 = version == MqttProtocolVersion.V500;
        if (v5 && codes.IsEmpty) throw new ArgumentException("A 5.0 UNSUBACK needs one reason code per Topic Filter.", nameof(codes));
        foreach (var c in codes)
            if (v5 && !MqttReasonCodeRules.IsAllowed(MqttPacketType.UnsubAck, (byte)c)) throw new ArgumentException($"{c} is not an UNSUBACK reason code.", nameof(codes));
        int remaining = 2 + (v5 ? MqttEncoding.Properties(properties, version, MqttPropertyContext.UnsubAck) + codes.Length : 0);
        int total = MqttEncoding.Total(remaining);
        if (total > maximumPacketSize) return 0;
        var w = new MqttSpanWriter(output.GetSpan(total));
        w.WriteFixedHeader(MqttPacketType.UnsubAck, 0, remaining);
        w.WriteUInt16(packetId);
        if (v5)
        {
            w.WriteProperties(properties);
            foreach (var c in codes) w.WriteByte((byte)c);
        }
        MqttEncoding.Finish(output, w, total);
        return total;
    }
}
