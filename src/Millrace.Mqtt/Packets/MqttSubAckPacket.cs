using System.Buffers;
using Millrace.Mqtt.Codec;

namespace Millrace.Mqtt.Packets;

/// <summary>SUBACK (3.1.1 §3.9, 5.0 §3.9): one reason (return) code per Topic Filter, in order.</summary>
public readonly struct MqttSubAckPacket
{
    /// <summary>Packet Identifier of the SUBSCRIBE.</summary>
    public ushort PacketIdentifier { get; init; }
    /// <summary>Properties (5.0).</summary>
    public MqttProperties Properties { get; init; }
    /// <summary>The codes, one byte each (3.1.1 return codes 0x00–0x02, 0x80; or 5.0 reason codes); a slice of the input.</summary>
    public ReadOnlySequence<byte> ReasonCodes { get; init; }

    /// <summary>Copies the codes (allocates).</summary>
    public MqttReasonCode[] GetReasonCodes()
    {
        var bytes = ReasonCodes.ToArray();
        return Array.ConvertAll(bytes, b => (MqttReasonCode)b);
    }

    internal static MqttSubAckPacket Read(ref MqttBodyReader r)
    {
        ushort packetId = r.ReadUInt16("Packet Identifier");
        if (packetId == 0) throw MqttProtocolException.Protocol(r.Rule("MQTT-2.3.1-1", "MQTT-2.2.1-3"), "SUBACK has Packet Identifier 0");
        var properties = r.IsV5 ? r.ReadProperties(MqttPropertyContext.SubAck) : default;
        var codes = r.ReadRest();
        if (codes.IsEmpty) throw MqttProtocolException.Protocol(r.Rule("MQTT-3.8.4-5", "MQTT-3.8.4-6"), "SUBACK contains no reason code");
        foreach (var segment in codes)
            foreach (byte c in segment.Span)
            {
                if (r.IsV5) MqttReasonCodeRules.Check(MqttPacketType.SubAck, c);
                else if (!MqttReasonCodeRules.IsAllowedV311SubAck(c))
                    throw MqttProtocolException.Malformed("MQTT-3.9.3-2", $"SUBACK return code 0x{c:X2} is reserved");
            }
        return new MqttSubAckPacket { PacketIdentifier = packetId, Properties = properties, ReasonCodes = codes };
    }

    internal static int Write(IBufferWriter<byte> output, MqttProtocolVersion version, ushort packetId, in MqttProperties properties,
        ReadOnlySpan<MqttReasonCode> codes, int maximumPacketSize)
    {
        MqttEncoding.CheckVersion(version);
        if (packetId == 0) throw new ArgumentException("Packet Identifier must be non-zero.", nameof(packetId));
        if (codes.IsEmpty) throw new ArgumentException("SUBACK needs at least one code.", nameof(codes));
        bool v5 = version == MqttProtocolVersion.V500;
        foreach (var c in codes)
            if (v5 && !MqttReasonCodeRules.IsAllowed(MqttPacketType.SubAck, (byte)c)) throw new ArgumentException($"{c} is not a SUBACK reason code.", nameof(codes));
        int remaining = 2 + MqttEncoding.Properties(properties, version, MqttPropertyContext.SubAck) + codes.Length;
        int total = MqttEncoding.Total(remaining);
        if (total > maximumPacketSize) return 0;
        var w = new MqttSpanWriter(output.GetSpan(total));
        w.WriteFixedHeader(MqttPacketType.SubAck, 0, remaining);
        w.WriteUInt16(packetId);
        if (v5) w.WriteProperties(properties);
        foreach (var c in codes)
            w.WriteByte(v5 || (byte)c <= 2 ? (byte)c : (byte)0x80); // 3.1.1 knows only one failure code
        MqttEncoding.Finish(output, w, total);
        return total;
    }
}
