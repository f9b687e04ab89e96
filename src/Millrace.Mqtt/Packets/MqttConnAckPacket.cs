using System.Buffers;
using Millrace.Mqtt.Codec;

namespace Millrace.Mqtt.Packets;

/// <summary>CONNACK (3.1.1 §3.2, 5.0 §3.2).</summary>
public readonly struct MqttConnAckPacket
{
    /// <summary>Session Present flag.</summary>
    public bool SessionPresent { get; init; }
    /// <summary>5.0 Connect Reason Code (on 3.1.1 decoding, the return code mapped to its 5.0 equivalent).</summary>
    public MqttReasonCode ReasonCode { get; init; }
    /// <summary>3.1.1 Connect Return Code (used when encoding 3.1.1; filled when decoding 3.1.1).</summary>
    public MqttConnectReturnCode ReturnCode { get; init; }
    /// <summary>CONNACK properties (5.0).</summary>
    public MqttProperties Properties { get; init; }

    /// <summary>Maps a 3.1.1 return code to the 5.0 reason code with the same meaning.</summary>
    public static MqttReasonCode ToReasonCode(MqttConnectReturnCode code) => code switch
    {
        MqttConnectReturnCode.Accepted => MqttReasonCode.Success,
        MqttConnectReturnCode.UnacceptableProtocolVersion => MqttReasonCode.UnsupportedProtocolVersion,
        MqttConnectReturnCode.IdentifierRejected => MqttReasonCode.ClientIdentifierNotValid,
        MqttConnectReturnCode.ServerUnavailable => MqttReasonCode.ServerUnavailable,
        MqttConnectReturnCode.BadUserNameOrPassword => MqttReasonCode.BadUserNameOrPassword,
        _ => MqttReasonCode.NotAuthorized,
    };

    /// <summary>
    /// Maps a 5.0 reason code to the closest 3.1.1 return code, so one CONNACK value serves both versions.
    /// Failures without a 3.1.1 equivalent become <see cref="MqttConnectReturnCode.ServerUnavailable"/>.
    /// </summary>
    public static MqttConnectReturnCode ToReturnCode(MqttReasonCode code) => code switch
    {
        MqttReasonCode.Success => MqttConnectReturnCode.Accepted,
        MqttReasonCode.UnsupportedProtocolVersion => MqttConnectReturnCode.UnacceptableProtocolVersion,
        MqttReasonCode.ClientIdentifierNotValid => MqttConnectReturnCode.IdentifierRejected,
        MqttReasonCode.BadUserNameOrPassword => MqttConnectReturnCode.BadUserNameOrPassword,
        MqttReasonCode.NotAuthorized or MqttReasonCode.Banned or MqttReasonCode.BadAuthenticationMethod => MqttConnectReturnCode.NotAuthorized,
        _ => MqttConnectReturnCode.ServerUnavailable,
    };

    internal static MqttConnAckPacket Read(ref MqttBodyReader r)
    {
        byte ackFlags = r.ReadByte("Connect Acknowledge Flags");
        if ((ackFlags & 0xFE) != 0)
            throw MqttProtocolException.Malformed(r.Rule("§3.2.2.1", "MQTT-3.2.2-1"), "Connect Acknowledge Flags bits 7-1 are reserved and must be 0");
        byte code = r.ReadByte(r.IsV5 ? "Connect Reason Code" : "Connect Return Code");
        if ((ackFlags & 1) != 0 && code != 0)
            throw MqttProtocolException.Protocol(r.Rule("MQTT-3.2.2-4", "MQTT-3.2.2-6"), "CONNACK claims Session Present with a non-zero code");
        if (!r.IsV5)
        {
            if (code > 5) throw MqttProtocolException.Malformed("§3.2.2.3", $"Connect Return Code {code} is reserved");
            r.ExpectEnd("CONNACK");
            var rc = (MqttConnectReturnCode)code;
            return new MqttConnAckPacket { SessionPresent = (ackFlags & 1) != 0, ReturnCode = rc, ReasonCode = ToReasonCode(rc) };
        }
        MqttReasonCodeRules.Check(MqttPacketType.ConnAck, code);
        var properties = r.ReadProperties(MqttPropertyContext.ConnAck);
        r.ExpectEnd("CONNACK");
        return new MqttConnAckPacket { SessionPresent = (ackFlags & 1) != 0, ReasonCode = (MqttReasonCode)code, Properties = properties };
    }

    internal int Write(IBufferWriter<byte> output, MqttProtocolVersion version, int maximumPacketSize)
    {
        MqttEncoding.CheckVersion(version);
        bool v5 = version == MqttProtocolVersion.V500;
        // On 3.1.1 an explicit ReturnCode wins; otherwise the 5.0 ReasonCode is translated.
        byte code = v5 ? (byte)ReasonCode : (byte)(ReturnCode != MqttConnectReturnCode.Accepted ? ReturnCode : ToReturnCode(ReasonCode));
        if (v5 && !MqttReasonCodeRules.IsAllowed(MqttPacketType.ConnAck, code)) throw new ArgumentException($"Reason Code {ReasonCode} is not valid in CONNACK.");
        if (!v5 && code > 5) throw new ArgumentException($"Return Code {code} is not valid in 3.1.1 CONNACK.");
        if (SessionPresent && code != 0) throw new ArgumentException("Session Present must be 0 with a non-zero code [MQTT-3.2.2-4]/[MQTT-3.2.2-6].");
        int remaining = 2 + MqttEncoding.Properties(Properties, version, MqttPropertyContext.ConnAck);
        int total = MqttEncoding.Total(remaining);
        if (total > maximumPacketSize) return 0;
        var w = new MqttSpanWriter(output.GetSpan(total));
        w.WriteFixedHeader(MqttPacketType.ConnAck, 0, remaining);
        w.WriteByte(SessionPresent ? (byte)1 : (byte)0);
        w.WriteByte(code);
        if (v5) w.WriteProperties(Properties);
        MqttEncoding.Finish(output, w, total);
        return total;
    }
}
