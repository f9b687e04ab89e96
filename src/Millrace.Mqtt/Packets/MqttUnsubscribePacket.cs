using System.Buffers;
using Millrace.Mqtt.Codec;
using Millrace.Mqtt.Topics;

namespace Millrace.Mqtt.Packets;

/// <summary>UNSUBSCRIBE (3.1.1 §3.10, 5.0 §3.10). The Topic Filters stay encoded in the input buffer.</summary>
public readonly struct MqttUnsubscribePacket
{
    /// <summary>Packet Identifier.</summary>
    public ushort PacketIdentifier { get; init; }
    /// <summary>Properties (5.0: User Property).</summary>
    public MqttProperties Properties { get; init; }
    /// <summary>Number of Topic Filters.</summary>
    public int Count { get; init; }
    /// <summary>The encoded payload (validated).</summary>
    public ReadOnlySequence<byte> EncodedFilters { get; init; }

    /// <summary>Enumerates the Topic Filters.</summary>
    public FilterEnumerator GetEnumerator() => new(EncodedFilters);

    /// <summary>Decodes the filters to strings (allocates).</summary>
    public string[] ToStrings()
    {
        var result = new string[Count];
        int i = 0;
        foreach (var f in this) result[i++] = MqttUtf8.GetString(f);
        return result;
    }

    /// <summary>Reads validated Topic Filters.</summary>
    public ref struct FilterEnumerator
    {
        private SequenceReader<byte> _reader;
        private ReadOnlySequence<byte> _current;

        internal FilterEnumerator(ReadOnlySequence<byte> encoded)
        {
            _reader = new SequenceReader<byte>(encoded);
            _current = default;
        }

        /// <summary>The current filter.</summary>
        public readonly ReadOnlySequence<byte> Current => _current;

        /// <summary>Moves to the next filter.</summary>
        public bool MoveNext()
        {
            if (!_reader.TryReadBigEndian(out short len) || (ushort)len > _reader.Remaining) return false;
            _current = _reader.UnreadSequence.Slice(0, (ushort)len);
            _reader.Advance((ushort)len);
            return true;
        }
    }

    internal static MqttUnsubscribePacket Read(ref MqttBodyReader r)
    {
        ushort packetId = r.ReadUInt16("Packet Identifier");
        if (packetId == 0) throw MqttProtocolException.Protocol(r.Rule("MQTT-2.3.1-1", "MQTT-2.2.1-3"), "UNSUBSCRIBE has Packet Identifier 0");
        var properties = r.IsV5 ? r.ReadProperties(MqttPropertyContext.Unsubscribe) : default;
        var payload = r.ReadRest();
        var entries = new MqttBodyReader(payload, r.Version, r.Options);
        int count = 0;
        while (!entries.End)
        {
            var filter = entries.ReadString("Topic Filter");
            var status = MqttTopic.ValidateFilter(filter, allowShared: r.IsV5);
            if (status != MqttTopicFilterStatus.Valid)
                throw MqttProtocolException.Malformed(MqttSubscribePacket.FilterRule(status, r.IsV5), $"Topic Filter is invalid: {status}");
            count++;
        }
        if (count == 0) throw MqttProtocolException.Protocol(r.Rule("MQTT-3.10.3-2", "MQTT-3.10.3-2"), "UNSUBSCRIBE contains no Topic Filter");
        return new MqttUnsubscribePacket { PacketIdentifier = packetId, Properties = properties, Count = count, EncodedFilters = payload };
    }

    internal static int Write(IBufferWriter<byte> output, MqttProtocolVersion version, ushort packetId, in MqttProperties properties,
        ReadOnlySpan<ReadOnlySequence<byte>> filters, int maximumPacketSize)
    {
        MqttEncoding.CheckVersion(version);
        if (packetId == 0) throw new ArgumentException("Packet Identifier must be non-zero.", nameof(packetId));
        if (filters.IsEmpty) throw new ArgumentException("UNSUBSCRIBE needs at least one Topic Filter.", nameof(filters));
        bool v5 = version == MqttProtocolVersion.V500;
        long remaining = 2 + MqttEncoding.Properties(properties, version, MqttPropertyContext.Unsubscribe);
        foreach (var f in filters)
        {
            if (MqttTopic.ValidateFilter(f, v5) != MqttTopicFilterStatus.Valid) throw new ArgumentException("Invalid Topic Filter.", nameof(filters));
            remaining += MqttEncoding.Prefixed(f, "Topic Filter");
        }
        int total = MqttEncoding.Total(remaining);
        if (total > maximumPacketSize) return 0;
        var w = new MqttSpanWriter(output.GetSpan(total));
        w.WriteFixedHeader(MqttPacketType.Unsubscribe, 0x02, (int)remaining);
        w.WriteUInt16(packetId);
        if (v5) w.WriteProperties(properties);
        foreach (var f in filters) w.WritePrefixed(f);
        MqttEncoding.Finish(output, w, total);
        return total;
    }
}
