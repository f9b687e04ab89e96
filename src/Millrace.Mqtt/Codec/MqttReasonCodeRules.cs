namespace Millrace.Mqtt.Codec;

/// <summary>Which MQTT 5.0 reason codes each packet type may carry (§3.2.2.2, §3.4.2.1, ..., §3.15.2.1).</summary>
public static class MqttReasonCodeRules
{
    private static readonly byte[] ConnAck = [0x00, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8A, 0x8C, 0x90, 0x95, 0x97, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9F];
    private static readonly byte[] PubAckRec = [0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99];
    private static readonly byte[] PubRelComp = [0x00, 0x92];
    private static readonly byte[] SubAck = [0x00, 0x01, 0x02, 0x80, 0x83, 0x87, 0x8F, 0x91, 0x97, 0x9E, 0xA1, 0xA2];
    private static readonly byte[] UnsubAck = [0x00, 0x11, 0x80, 0x83, 0x87, 0x8F, 0x91];
    private static readonly byte[] Disconnect = [0x00, 0x04, 0x80, 0x81, 0x82, 0x83, 0x87, 0x89, 0x8B, 0x8D, 0x8E, 0x8F, 0x90, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9E, 0x9F, 0xA0, 0xA1, 0xA2];
    private static readonly byte[] Auth = [0x00, 0x18, 0x19];

    /// <summary>Whether <paramref name="code"/> is defined for <paramref name="type"/> in MQTT 5.0.</summary>
    public static bool IsAllowed(MqttPacketType type, byte code) => type switch
    {
        MqttPacketType.ConnAck => ConnAck.AsSpan().Contains(code),
        MqttPacketType.PubAck or MqttPacketType.PubRec => PubAckRec.AsSpan().Contains(code),
        MqttPacketType.PubRel or MqttPacketType.PubComp => PubRelComp.AsSpan().Contains(code),
        MqttPacketType.SubAck => SubAck.AsSpan().Contains(code),
        MqttPacketType.UnsubAck => UnsubAck.AsSpan().Contains(code),
        MqttPacketType.Disconnect => Disconnect.AsSpan().Contains(code),
        MqttPacketType.Auth => Auth.AsSpan().Contains(code),
        _ => false,
    };

    /// <summary>3.1.1 SUBACK return codes: 0x00, 0x01, 0x02 (granted QoS) and 0x80 (failure).</summary>
    public static bool IsAllowedV311SubAck(byte code) => code is 0x00 or 0x01 or 0x02 or 0x80;

    internal static void Check(MqttPacketType type, byte code)
    {
        if (!IsAllowed(type, code))
            throw MqttProtocolException.Protocol(SenderRule(type), $"Reason Code 0x{code:X2} is not defined for {MqttNames.Packet(type)}");
    }

    /// <summary>The normative statement obliging the sender to use the packet's own reason codes.</summary>
    internal static string SenderRule(MqttPacketType type) => type switch
    {
        MqttPacketType.ConnAck => "MQTT-3.2.2-8",
        MqttPacketType.PubAck => "MQTT-3.4.2-1",
        MqttPacketType.PubRec => "MQTT-3.5.2-1",
        MqttPacketType.PubRel => "MQTT-3.6.2-1",
        MqttPacketType.PubComp => "MQTT-3.7.2-1",
        MqttPacketType.SubAck => "MQTT-3.9.3-2",
        MqttPacketType.UnsubAck => "MQTT-3.11.3-2",
        MqttPacketType.Disconnect => "MQTT-3.14.2-1",
        _ => "MQTT-3.15.2-1",
    };
}
