using System.Buffers;
using Millrace.Mqtt.Codec;
using Millrace.Mqtt.Topics;

namespace Millrace.Mqtt.Packets;

/// <summary>SUBSCRIBE (3.1.1 §3.8, 5.0 §3.8). The entries stay encoded in the input buffer and are read by enumeration.</summary>
public readonly struct MqttSubscribePacket
{
    /// <summary>Packet Identifier.</summary>
    public ushort PacketIdentifier { get; init; }
    /// <summary>Properties (5.0: Subscription Identifier, User Property).</summary>
    public MqttProperties Properties { get; init; }
    /// <summary>Number of Topic Filters.</summary>
    public int Count { get; init; }
    /// <summary>The encoded payload (validated).</summary>
    public ReadOnlySequence<byte> EncodedSubscriptions { get; init; }

    /// <summary>Enumerates the subscriptions.</summary>
    public SubscriptionEnumerator GetEnumerator() => new(EncodedSubscriptions);

    /// <summary>Copies the entries into a new array (allocates; for tests and slow paths).</summary>
    public MqttSubscription[] ToArray()
    {
        var result = new MqttSubscription[Count];
        int i = 0;
        foreach (var s in this) result[i++] = s;
        return result;
    }

    /// <summary>Reads validated subscription entries.</summary>
    public ref struct SubscriptionEnumerator
    {
        private SequenceReader<byte> _reader;
        private MqttSubscription _current;

        internal SubscriptionEnumerator(ReadOnlySequence<byte> encoded)
        {
            _reader = new SequenceReader<byte>(encoded);
            _current = default;
        }

        /// <summary>The current entry.</summary>
        public readonly MqttSubscription Current => _current;

        /// <summary>Moves to the next entry.</summary>
        public bool MoveNext()
        {
            if (!_reader.TryReadBigEndian(out short len) || (ushort)len + 1 > _reader.Remaining) return false;
            var filter = _reader.UnreadSequence.Slice(0, (ushort)len);
            _reader.Advance((ushort)len);
            _reader.TryRead(out byte o);
            _current = new MqttSubscription(filter, (MqttQualityOfService)(o & 3), (o & 0x04) != 0, (o & 0x08) != 0, (MqttRetainHandling)((o >> 4) & 3));
            return true;
        }
    }

    internal static MqttSubscribePacket Read(ref MqttBodyReader r)
    {
        ushort packetId = r.ReadUInt16("Packet Identifier");
        if (packetId == 0) throw MqttProtocolException.Protocol(r.Rule("MQTT-2.3.1-1", "MQTT-2.2.1-3"), "SUBSCRIBE has Packet Identifier 0");
        var properties = r.IsV5 ? r.ReadProperties(MqttPropertyContext.Subscribe) : default;
        var payload = r.ReadRest();
        var entries = new MqttBodyReader(payload, r.Version, r.Options);
        int count = 0;
        while (!entries.End)
        {
            var filter = entries.ReadString("Topic Filter");
            byte options = entries.ReadByte("Subscription Options");
            if ((options & 0x03) == 3)
                throw MqttProtocolException.Malformed(r.Rule("MQTT-3.8.3-4", "MQTT-3.8.3-5"), "Subscription Options request QoS 3");
            if (!r.IsV5 && (options & 0xFC) != 0)
                throw MqttProtocolException.Malformed("MQTT-3.8.3-4", "Subscription Options reserved bits 7-2 are not 0");
            if (r.IsV5 && (options & 0xC0) != 0)
                throw MqttProtocolException.Malformed("MQTT-3.8.3-5", "Subscription Options reserved bits 7-6 are not 0");
            if (r.IsV5 && ((options >> 4) & 3) == 3)
                throw MqttProtocolException.Malformed("§3.8.3.1", "Retain Handling is 3");
            var status = MqttTopic.ValidateFilter(filter, allowShared: r.IsV5);
            if (status != MqttTopicFilterStatus.Valid)
                throw MqttProtocolException.Malformed(FilterRule(status, r.IsV5), $"Topic Filter is invalid: {status}");
            if (r.IsV5 && (options & 0x04) != 0 && MqttTopic.TryParseShared(Single(filter), out _, out _))
                throw MqttProtocolException.Protocol("MQTT-3.8.3-4", "No Local is set on a Shared Subscription");
            count++;
        }
        if (count == 0)
            throw MqttProtocolException.Protocol(r.Rule("MQTT-3.8.3-3", "MQTT-3.8.3-2"), "SUBSCRIBE contains no Topic Filter");
        return new MqttSubscribePacket { PacketIdentifier = packetId, Properties = properties, Count = count, EncodedSubscriptions = payload };
    }

    internal static string FilterRule(MqttTopicFilterStatus status, bool v5) => status switch
    {
        MqttTopicFilterStatus.Empty => "MQTT-4.7.3-1",
        MqttTopicFilterStatus.ContainsNull => "MQTT-4.7.3-2",
        MqttTopicFilterStatus.TooLong => "MQTT-4.7.3-3",
        MqttTopicFilterStatus.MisplacedMultiLevelWildcard => v5 ? "MQTT-4.7.1-1" : "MQTT-4.7.1-2",
        MqttTopicFilterStatus.MisplacedSingleLevelWildcard => v5 ? "MQTT-4.7.1-2" : "MQTT-4.7.1-3",
        _ => "MQTT-4.8.2-1",
    };

    /// <summary>Filters are at most 65,535 bytes; a split one is copied to check the $share prefix.</summary>
    internal static ReadOnlySpan<byte> Single(in ReadOnlySequence<byte> value) => value.IsSingleSegment ? value.FirstSpan : value.ToArray();

    internal static int Write(IBufferWriter<byte> output, MqttProtocolVersion version, ushort packetId, in MqttProperties properties,
        ReadOnlySpan<MqttSubscription> subscriptions, int maximumPacketSize)
    {
        MqttEncoding.CheckVersion(version);
        if (packetId == 0) throw new ArgumentException("Packet Identifier must be non-zero.", nameof(packetId));
        if (subscriptions.IsEmpty) throw new ArgumentException("SUBSCRIBE needs at least one Topic Filter.", nameof(subscriptions));
        bool v5 = version == MqttProtocolVersion.V500;
        long remaining = 2 + MqttEncoding.Properties(properties, version, MqttPropertyContext.Subscribe);
        foreach (var s in subscriptions)
        {
            if (MqttTopic.ValidateFilter(s.Filter, v5) != MqttTopicFilterStatus.Valid) throw new ArgumentException("Invalid Topic Filter.", nameof(subscriptions));
            if ((int)s.MaximumQoS > 2 || (int)s.RetainHandling > 2) throw new ArgumentException("Invalid Subscription Options.", nameof(subscriptions));
            remaining += MqttEncoding.Prefixed(s.Filter, "Topic Filter") + 1;
        }
        int total = MqttEncoding.Total(remaining);
        if (total > maximumPacketSize) return 0;
        var w = new MqttSpanWriter(output.GetSpan(total));
        w.WriteFixedHeader(MqttPacketType.Subscribe, 0x02, (int)remaining);
        w.WriteUInt16(packetId);
        if (v5) w.WriteProperties(properties);
        foreach (var s in subscriptions)
        {
            w.WritePrefixed(s.Filter);
            w.WriteByte(v5 ? s.OptionsByte : (byte)s.MaximumQoS); // 3.1.1 has only the QoS bits
        }
        MqttEncoding.Finish(output, w, total);
        return total;
    }
}
