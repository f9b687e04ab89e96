using System.Buffers;
using Millrace.Mqtt.Codec;

namespace Millrace.Mqtt.Packets;

/// <summary>DISCONNECT (3.1.1 §3.14: empty; 5.0 §3.14: reason code and properties, either may be omitted).</summary>
public readonly struct MqttDisconnectPacket
{
    /// <summary>5.0 Disconnect Reason Code (0x00 Normal disconnection when omitted, and always on 3.1.1).</summary>
    public MqttReasonCode ReasonCode { get; init; }
    /// <summary>Properties (5.0: Session Expiry Interval, Reason String, User Property, Server Reference).</summary>
    public MqttProperties Properties { get; init; }

    internal static MqttDisconnectPacket Read(ref MqttBodyReader r)
    {
        if (!r.IsV5)
        {
            r.ExpectEnd("DISCONNECT");
            return default;
        }
        var code = MqttReasonCode.Success;
        MqttProperties properties = default;
        if (!r.End)
        {
            byte b = r.ReadByte("Disconnect Reason Code");
            MqttReasonCodeRules.Check(MqttPacketType.Disconnect, b);
            code = (MqttReasonCode)b;
            if (!r.End) properties = r.ReadProperties(MqttPropertyContext.Disconnect);
        }
        r.ExpectEnd("DISCONNECT");
        return new MqttDisconnectPacket { ReasonCode = code, Properties = properties };
    }

    internal int Write(IBufferWriter<byte> output, MqttProtocolVersion version, int maximumPacketSize)
    {
        MqttEncoding.CheckVersion(version);
        bool v5 = version == MqttProtocolVersion.V500;
        if (v5 && !MqttReasonCodeRules.IsAllowed(MqttPacketType.Disconnect, (byte)ReasonCode)) throw new ArgumentException($"{ReasonCode} is not a DISCONNECT reason code.");
        bool writeProperties = v5 && !Properties.IsEmpty;
        bool writeCode = v5 && (writeProperties || ReasonCode != MqttReasonCode.Success);
        int remaining = (writeCode ? 1 : 0) + (writeProperties ? MqttEncoding.Properties(Properties, version, MqttPropertyContext.Disconnect) : 0);
        int total = MqttEncoding.Total(remaining);
        if (total > maximumPacketSize) return 0;
        var w = new MqttSpanWriter(output.GetSpan(total));
        w.WriteFixedHeader(MqttPacketType.Disconnect, 0, remaining);
        if (writeCode) w.WriteByte((byte)ReasonCode);
        if (writeProperties) w.WriteProperties(Properties);
        MqttEncoding.Finish(output, w, total);
        return total;
    }
}
