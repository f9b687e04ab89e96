using System.Buffers;
using Millrace.Mqtt.Codec;

namespace Millrace.Mqtt.Packets;

/// <summary>PUBACK, PUBREC, PUBREL and PUBCOMP (§3.4–§3.7): a Packet Identifier, and on 5.0 a reason code and properties.</summary>
public readonly struct MqttPublishResponsePacket
{
    /// <summary>Which of the four packets this is.</summary>
    public MqttPacketType Type { get; init; }
    /// <summary>Packet Identifier of the PUBLISH (or PUBREL) being answered.</summary>
    public ushort PacketIdentifier { get; init; }
    /// <summary>5.0 reason code; <see cref="MqttReasonCode.Success"/> on 3.1.1.</summary>
    public MqttReasonCode ReasonCode { get; init; }
    /// <summary>Properties (5.0: Reason String, User Property).</summary>
    public MqttProperties Properties { get; init; }

    internal static bool IsResponseType(MqttPacketType type) => type is >= MqttPacketType.PubAck and <= MqttPacketType.PubComp;

    internal static MqttPublishResponsePacket Read(ref MqttBodyReader r, MqttPacketType type)
    {
        ushort packetId = r.ReadUInt16("Packet Identifier");
        if (packetId == 0) throw MqttProtocolException.Protocol(r.Rule("MQTT-2.3.1-1", "MQTT-2.2.1-3"), $"{Name(type)} has Packet Identifier 0");
        var code = MqttReasonCode.Success;
        MqttProperties properties = default;
        if (r.IsV5)
        {
            // Reason Code and Property Length may be omitted (Remaining Length 2, or 3 without properties).
            if (!r.End)
            {
                byte b = r.ReadByte("Reason Code");
                MqttReasonCodeRules.Check(type, b);
                code = (MqttReasonCode)b;
                if (!r.End) properties = r.ReadProperties(MqttPropertyContext.PublishResponse);
            }
        }
        r.ExpectEnd(Name(type));
        return new MqttPublishResponsePacket { Type = type, PacketIdentifier = packetId, ReasonCode = code, Properties = properties };
    }

    internal int Write(IBufferWriter<byte> output, MqttProtocolVersion version, int maximumPacketSize)
    {
        MqttEncoding.CheckVersion(version);
        if (!IsResponseType(Type)) throw new ArgumentException($"{Type} is not PUBACK, PUBREC, PUBREL or PUBCOMP.");
        if (PacketIdentifier == 0) throw new ArgumentException("Packet Identifier must be non-zero.");
        bool v5 = version == MqttProtocolVersion.V500;
        if (v5 && !MqttReasonCodeRules.IsAllowed(Type, (byte)ReasonCode)) throw new ArgumentException($"Reason Code {ReasonCode} is not valid in {Name(Type)}.");
        // Shortest legal form: omit what equals the defaults (§3.4.2.1).
        bool writeProperties = v5 && !Properties.IsEmpty;
        bool writeCode = v5 && (writeProperties || ReasonCode != MqttReasonCode.Success);
        int remaining = 2 + (writeCode ? 1 : 0) + (writeProperties ? MqttEncoding.Properties(Properties, version, MqttPropertyContext.PublishResponse) : 0);
        int total = MqttEncoding.Total(remaining);
        if (total > maximumPacketSize) return 0;
        var w = new MqttSpanWriter(output.GetSpan(total));
        w.WriteFixedHeader(Type, Type == MqttPacketType.PubRel ? 0x02 : 0, remaining);
        w.WriteUInt16(PacketIdentifier);
        if (writeCode) w.WriteByte((byte)ReasonCode);
        if (writeProperties) w.WriteProperties(Properties);
        MqttEncoding.Finish(output, w, total);
        return total;
    }

    internal static string Name(MqttPacketType type) => MqttNames.Packet(type);
}
