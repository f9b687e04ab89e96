using System.Buffers;
using Millrace.Mqtt.Codec;

namespace Millrace.Mqtt.Packets;

/// <summary>
/// CONNECT (3.1.1 §3.1, 5.0 §3.1). Byte fields are slices of the decoder's input, valid until that buffer is advanced.
/// </summary>
public readonly struct MqttConnectPacket
{
    /// <summary>The protocol level the client asked for.</summary>
    public MqttProtocolVersion ProtocolVersion { get; init; }
    /// <summary>Clean Start (5.0) / Clean Session (3.1.1).</summary>
    public bool CleanStart { get; init; }
    /// <summary>Keep Alive in seconds; 0 disables it.</summary>
    public ushort KeepAlive { get; init; }
    /// <summary>CONNECT properties (5.0).</summary>
    public MqttProperties Properties { get; init; }
    /// <summary>Client Identifier (UTF-8, may be empty).</summary>
    public ReadOnlySequence<byte> ClientId { get; init; }
    /// <summary>Whether a Will Message is present.</summary>
    public bool HasWill { get; init; }
    /// <summary>Will QoS.</summary>
    public MqttQualityOfService WillQoS { get; init; }
    /// <summary>Will Retain.</summary>
    public bool WillRetain { get; init; }
    /// <summary>Will Properties (5.0).</summary>
    public MqttProperties WillProperties { get; init; }
    /// <summary>Will Topic (UTF-8).</summary>
    public ReadOnlySequence<byte> WillTopic { get; init; }
    /// <summary>Will Payload (binary).</summary>
    public ReadOnlySequence<byte> WillPayload { get; init; }
    /// <summary>Whether a User Name is present.</summary>
    public bool HasUserName { get; init; }
    /// <summary>User Name (UTF-8).</summary>
    public ReadOnlySequence<byte> UserName { get; init; }
    /// <summary>Whether a Password is present.</summary>
    public bool HasPassword { get; init; }
    /// <summary>Password (binary).</summary>
    public ReadOnlySequence<byte> Password { get; init; }

    private static ReadOnlySpan<byte> ProtocolName => "MQTT"u8;

    internal static MqttConnectPacket Read(ref MqttBodyReader r)
    {
        var name = r.ReadString("Protocol Name");
        byte level = r.ReadByte("Protocol Level");
        if (!MqttBodyReader.SequenceEqual(name, ProtocolName))
            throw new MqttProtocolException(MqttReasonCode.UnsupportedProtocolVersion, "MQTT-3.1.2-1",
                $"Protocol Name is \"{MqttUtf8.GetString(name)}\", not \"MQTT\"");
        if (level is not (4 or 5))
            throw new MqttProtocolException(MqttReasonCode.UnsupportedProtocolVersion, "MQTT-3.1.2-2",
                $"Protocol Level {level} is not supported (4 = 3.1.1 and 5 = 5.0 are)");
        var version = (MqttProtocolVersion)level;
        r.SetVersion(version);
        bool v5 = version == MqttProtocolVersion.V500;

        byte flags = r.ReadByte("Connect Flags");
        if ((flags & 0x01) != 0)
            throw MqttProtocolException.Malformed("MQTT-3.1.2-3", "The reserved Connect Flags bit 0 is not 0");
        bool will = (flags & 0x04) != 0;
        int willQoS = (flags >> 3) & 0x03;
        bool willRetain = (flags & 0x20) != 0;
        bool hasPassword = (flags & 0x40) != 0, hasUserName = (flags & 0x80) != 0;
        if (!will && willQoS != 0)
            throw MqttProtocolException.Malformed(r.Rule("MQTT-3.1.2-13", "MQTT-3.1.2-11"), "Will QoS is not 0 although the Will Flag is 0");
        if (willQoS == 3)
            throw MqttProtocolException.Malformed(r.Rule("MQTT-3.1.2-14", "MQTT-3.1.2-12"), "Will QoS is 3");
        if (!will && willRetain)
            throw MqttProtocolException.Malformed(r.Rule("MQTT-3.1.2-15", "MQTT-3.1.2-13"), "Will Retain is 1 although the Will Flag is 0");
        if (!v5 && hasPassword && !hasUserName)
            throw MqttProtocolException.Malformed("MQTT-3.1.2-22", "Password Flag is 1 although the User Name Flag is 0");

        ushort keepAlive = r.ReadUInt16("Keep Alive");
        var properties = v5 ? r.ReadProperties(MqttPropertyContext.Connect) : default;
        var clientId = r.ReadString("Client Identifier");

        MqttProperties willProperties = default;
        ReadOnlySequence<byte> willTopic = default, willPayload = default, userName = default, password = default;
        if (will)
        {
            if (v5) willProperties = r.ReadProperties(MqttPropertyContext.Will);
            willTopic = r.ReadString("Will Topic");
            if (!Topics.MqttTopic.IsValidTopicName(willTopic))
                throw new MqttProtocolException(v5 ? MqttReasonCode.TopicNameInvalid : MqttReasonCode.MalformedPacket, "MQTT-4.7.3-1",
                    "Will Topic is not a valid Topic Name (empty, or contains '+', '#')");
            willPayload = r.ReadBinary("Will Payload");
            if (v5 && r.Options.ValidatePayloadFormat && willProperties.TryGetNumber(MqttPropertyId.PayloadFormatIndicator, out uint pfi) && pfi == 1
                && MqttUtf8.Validate(willPayload) != MqttUtf8Status.Valid)
                throw new MqttProtocolException(MqttReasonCode.PayloadFormatInvalid, "§3.1.3.2.3",
                    "Will Payload is not valid UTF-8 although its Payload Format Indicator is 1");
        }
        if (hasUserName) userName = r.ReadString("User Name");
        if (hasPassword) password = r.ReadBinary("Password");
        r.ExpectEnd("CONNECT");

        return new MqttConnectPacket
        {
            ProtocolVersion = version, CleanStart = (flags & 0x02) != 0, KeepAlive = keepAlive, Properties = properties,
            ClientId = clientId, HasWill = will, WillQoS = (MqttQualityOfService)willQoS, WillRetain = willRetain,
            WillProperties = willProperties, WillTopic = willTopic, WillPayload = willPayload,
            HasUserName = hasUserName, UserName = userName, HasPassword = hasPassword, Password = password,
        };
    }

    internal int Write(IBufferWriter<byte> output, int maximumPacketSize)
    {
        var version = ProtocolVersion;
        MqttEncoding.CheckVersion(version);
        bool v5 = version == MqttProtocolVersion.V500;
        if (!HasWill && (WillQoS != 0 || WillRetain)) throw new ArgumentException("Will QoS/Retain need a Will [MQTT-3.1.2-11].");
        if ((int)WillQoS > 2) throw new ArgumentException("Will QoS must be 0, 1 or 2.");
        if (!v5 && HasPassword && !HasUserName) throw new ArgumentException("MQTT 3.1.1 needs a User Name when a Password is sent [MQTT-3.1.2-22].");

        long remaining = 6 + 1 + 1 + 2 + MqttEncoding.Properties(Properties, version, MqttPropertyContext.Connect)
            + MqttEncoding.Prefixed(ClientId, nameof(ClientId));
        if (HasWill)
            remaining += MqttEncoding.Properties(WillProperties, version, MqttPropertyContext.Will)
                + MqttEncoding.Prefixed(WillTopic, nameof(WillTopic)) + MqttEncoding.Prefixed(WillPayload, nameof(WillPayload));
        if (HasUserName) remaining += MqttEncoding.Prefixed(UserName, nameof(UserName));
        if (HasPassword) remaining += MqttEncoding.Prefixed(Password, nameof(Password));
        int total = MqttEncoding.Total(remaining);
        if (total > maximumPacketSize) return 0;

        int flags = (HasUserName ? 0x80 : 0) | (HasPassword ? 0x40 : 0) | (WillRetain ? 0x20 : 0)
            | ((int)WillQoS << 3) | (HasWill ? 0x04 : 0) | (CleanStart ? 0x02 : 0);
        var w = new MqttSpanWriter(output.GetSpan(total));
        w.WriteFixedHeader(MqttPacketType.Connect, 0, (int)remaining);
        w.WriteUInt16(4);
        w.WriteBytes(ProtocolName);
        w.WriteByte((byte)version);
        w.WriteByte((byte)flags);
        w.WriteUInt16(KeepAlive);
        if (v5) w.WriteProperties(Properties);
        w.WritePrefixed(ClientId);
        if (HasWill)
        {
            if (v5) w.WriteProperties(WillProperties);
            w.WritePrefixed(WillTopic);
            w.WritePrefixed(WillPayload);
        }
        if (HasUserName) w.WritePrefixed(UserName);
        if (HasPassword) w.WritePrefixed(Password);
        MqttEncoding.Finish(output, w, total);
        return total;
    }
}
