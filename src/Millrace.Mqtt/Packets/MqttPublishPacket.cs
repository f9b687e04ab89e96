using System.Buffers;
using Millrace.Mqtt.Codec;

namespace Millrace.Mqtt.Packets;

/// <summary>
/// PUBLISH (3.1.1 §3.3, 5.0 §3.3). <see cref="Topic"/>, <see cref="Payload"/> and <see cref="Properties"/> are
/// slices of the decoder's input (no copy): valid until the caller advances past that buffer.
/// </summary>
public readonly struct MqttPublishPacket
{
    /// <summary>DUP flag: this may be a re-delivery.</summary>
    public bool Duplicate { get; init; }
    /// <summary>QoS level.</summary>
    public MqttQualityOfService QoS { get; init; }
    /// <summary>RETAIN flag.</summary>
    public bool Retain { get; init; }
    /// <summary>Topic Name (UTF-8). Empty on 5.0 when a Topic Alias stands for it.</summary>
    public ReadOnlySequence<byte> Topic { get; init; }
    /// <summary>Packet Identifier (QoS 1 and 2 only; 0 for QoS 0).</summary>
    public ushort PacketIdentifier { get; init; }
    /// <summary>PUBLISH properties (5.0).</summary>
    public MqttProperties Properties { get; init; }
    /// <summary>Application message payload.</summary>
    public ReadOnlySequence<byte> Payload { get; init; }

    internal static MqttPublishPacket Read(ref MqttBodyReader r, int flags, MqttRole role)
    {
        int qos = (flags >> 1) & 0x03;
        bool dup = (flags & 0x08) != 0;
        if (qos == 3) throw MqttProtocolException.Malformed("MQTT-3.3.1-4", "PUBLISH has QoS 3 (both QoS bits set)");
        if (dup && qos == 0) throw MqttProtocolException.Malformed("MQTT-3.3.1-2", "PUBLISH has DUP = 1 with QoS 0");

        var topic = r.ReadString("Topic Name");
        ushort packetId = 0;
        if (qos > 0)
        {
            packetId = r.ReadUInt16("Packet Identifier");
            if (packetId == 0) throw MqttProtocolException.Protocol(r.Rule("MQTT-2.3.1-1", "MQTT-2.2.1-3"), "PUBLISH with QoS > 0 has Packet Identifier 0");
        }
        MqttProperties properties = default;
        if (r.IsV5)
        {
            properties = r.ReadProperties(MqttPropertyContext.Publish);
            if (role == MqttRole.Server && properties.TryGetNumber(MqttPropertyId.SubscriptionIdentifier, out _))
                throw MqttProtocolException.Protocol("MQTT-3.3.4-6", "A PUBLISH sent by a Client must not contain a Subscription Identifier");
        }
        if (topic.Length == 0)
        {
            if (!r.IsV5) throw MqttProtocolException.Malformed("MQTT-4.7.3-1", "PUBLISH Topic Name is empty");
            if (!properties.TryGetNumber(MqttPropertyId.TopicAlias, out _))
                throw MqttProtocolException.Protocol("§3.3.2.3.4", "PUBLISH has an empty Topic Name and no Topic Alias");
        }
        else if (!Topics.MqttTopic.IsValidTopicName(topic))
        {
            throw MqttProtocolException.Malformed("MQTT-3.3.2-2", "PUBLISH Topic Name contains a wildcard character");
        }
        var payload = r.ReadRest();
        if (r.IsV5 && r.Options.ValidatePayloadFormat && !properties.IsEmpty
            && properties.TryGetNumber(MqttPropertyId.PayloadFormatIndicator, out uint pfi) && pfi == 1
            && MqttUtf8.Validate(payload) != MqttUtf8Status.Valid)
            throw new MqttProtocolException(MqttReasonCode.PayloadFormatInvalid, "§3.3.2.3.2",
                "PUBLISH payload is not valid UTF-8 although its Payload Format Indicator is 1");
        return new MqttPublishPacket
        {
            Duplicate = dup, QoS = (MqttQualityOfService)qos, Retain = (flags & 1) != 0, Topic = topic,
            PacketIdentifier = packetId, Properties = properties, Payload = payload,
        };
    }

    /// <summary>Size of the whole encoded packet.</summary>
    internal int GetSize(MqttProtocolVersion version, out int remaining)
    {
        long rem = MqttEncoding.Prefixed(Topic, nameof(Topic)) + (QoS > 0 ? 2 : 0)
            + MqttEncoding.Properties(Properties, version, MqttPropertyContext.Publish) + Payload.Length;
        int total = MqttEncoding.Total(rem);
        remaining = (int)rem;
        return total;
    }

    internal int Write(IBufferWriter<byte> output, MqttProtocolVersion version, int maximumPacketSize)
    {
        MqttEncoding.CheckVersion(version);
        if ((int)QoS > 2) throw new ArgumentException("QoS must be 0, 1 or 2 [MQTT-3.3.1-4].");
        if (QoS > 0 && PacketIdentifier == 0) throw new ArgumentException("PUBLISH with QoS > 0 needs a non-zero Packet Identifier [MQTT-2.2.1-3].");
        if (QoS == 0 && Duplicate) throw new ArgumentException("DUP must be 0 for QoS 0 [MQTT-3.3.1-2].");
        bool aliasOnly = Topic.Length == 0 && version == MqttProtocolVersion.V500 && Properties.TryGetNumber(MqttPropertyId.TopicAlias, out _);
        if (!aliasOnly && !Topics.MqttTopic.IsValidTopicName(Topic)) throw new ArgumentException("Topic is not a valid Topic Name [MQTT-3.3.2-2].");
        int total = GetSize(version, out int remaining);
        if (total > maximumPacketSize) return 0;
        int flags = (Duplicate ? 0x08 : 0) | ((int)QoS << 1) | (Retain ? 1 : 0);
        var w = new MqttSpanWriter(output.GetSpan(total));
        w.WriteFixedHeader(MqttPacketType.Publish, flags, remaining);
        w.WritePrefixed(Topic);
        if (QoS > 0) w.WriteUInt16(PacketIdentifier);
        if (version == MqttProtocolVersion.V500) w.WriteProperties(Properties);
        w.WriteBytes(Payload);
        MqttEncoding.Finish(output, w, total);
        return total;
    }
}
