using System.Buffers;
using Millrace.Mqtt.Codec;

namespace Millrace.Mqtt.Packets;

/// <summary>AUTH (5.0 §3.15 only): enhanced authentication exchange.</summary>
public readonly struct MqttAuthPacket
{
    /// <summary>0x00 Success, 0x18 Continue authentication or 0x19 Re-authenticate.</summary>
    public MqttReasonCode ReasonCode { get; init; }
    /// <summary>Properties: Authentication Method (required), Authentication Data, Reason String, User Property.</summary>
    public MqttProperties Properties { get; init; }

    internal static MqttAuthPacket Read(ref MqttBodyReader r)
    {
        var code = MqttReasonCode.Success;
        MqttProperties properties = default;
        if (!r.End)
        {
            byte b = r.ReadByte("Authenticate Reason Code");
            MqttReasonCodeRules.Check(MqttPacketType.Auth, b);
            code = (MqttReasonCode)b;
            if (!r.End) properties = r.ReadProperties(MqttPropertyContext.Auth);
        }
        r.ExpectEnd("AUTH");
        if (!properties.TryGetBytes(MqttPropertyId.AuthenticationMethod, out _))
            throw MqttProtocolException.Protocol("§3.15.2.2.2", "AUTH has no Authentication Method");
        return new MqttAuthPacket { ReasonCode = code, Properties = properties };
    }

    internal int Write(IBufferWriter<byte> output, MqttProtocolVersion version, int maximumPacketSize)
    {
        if (version != MqttProtocolVersion.V500) throw new ArgumentException("AUTH exists only in MQTT 5.0.", nameof(version));
        if (!MqttReasonCodeRules.IsAllowed(MqttPacketType.Auth, (byte)ReasonCode)) throw new ArgumentException($"{ReasonCode} is not an AUTH reason code.");
        if (!Properties.TryGetBytes(MqttPropertyId.AuthenticationMethod, out _)) throw new ArgumentException("AUTH needs an Authentication Method property.");
        int remaining = 1 + MqttEncoding.Properties(Properties, version, MqttPropertyContext.Auth);
        int total = MqttEncoding.Total(remaining);
        if (total > maximumPacketSize) return 0;
        var w = new MqttSpanWriter(output.GetSpan(total));
        w.WriteFixedHeader(MqttPacketType.Auth, 0, remaining);
        w.WriteByte((byte)ReasonCode);
        w.WriteProperties(Properties);
        MqttEncoding.Finish(output, w, total);
        return total;
    }
}
