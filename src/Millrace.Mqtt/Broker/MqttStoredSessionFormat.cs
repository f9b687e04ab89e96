using System.Text;

namespace Millrace.Mqtt.Broker;

/// <summary>
/// The binary form of a <see cref="MqttStoredSession"/> (versioned by a magic number) shared by the session stores:
/// one file per session (<see cref="MqttFileSessionStore"/>) or one row per session in a database (the hub's store).
/// </summary>
public static class MqttStoredSessionFormat
{
    private const uint Magic = 0x4D53_5331; // "MSS1"

    /// <summary>The snapshot as bytes.</summary>
    public static byte[] Write(MqttStoredSession s)
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Magic);
            w.Write(s.ClientId);
            w.Write(s.ExpiryInterval);
            w.Write(s.DisconnectedAt.UtcTicks);
            w.Write(s.Subscriptions.Count);
            foreach (var sub in s.Subscriptions)
            {
                w.Write(sub.Filter);
                w.Write(sub.Options);
                w.Write(sub.SubscriptionIdentifier);
            }
            w.Write(s.Messages.Count);
            foreach (var m in s.Messages)
            {
                WriteBytes(w, m.Message.TopicBytes.Span);
                WriteBytes(w, m.Message.Payload.Span);
                WriteBytes(w, m.Message.EncodedProperties.Span);
                w.Write((byte)m.Message.QoS);
                w.Write(m.Message.Retain);
                w.Write(m.Message.ExpiresAt?.UtcTicks ?? 0L);
                w.Write((byte)m.QoS);
                w.Write(m.Retain);
                w.Write(m.PacketIdentifier);
                w.Write((byte)m.State);
                w.Write(m.SubscriptionIdentifiers.Count);
                foreach (var id in m.SubscriptionIdentifiers) w.Write(id);
            }
            w.Write(s.IncomingQoS2.Count);
            foreach (var id in s.IncomingQoS2) w.Write(id);
        }
        return stream.ToArray();
    }

    /// <summary>Reads a snapshot written by <see cref="Write"/>.</summary>
    /// <exception cref="InvalidDataException">Not a snapshot, or damaged.</exception>
    /// <exception cref="EndOfStreamException">Truncated.</exception>
    public static MqttStoredSession Read(byte[] bytes)
    {
        using var r = new BinaryReader(new MemoryStream(bytes), Encoding.UTF8);
        if (r.ReadUInt32() != Magic) throw new InvalidDataException("not a Millrace MQTT session file (bad magic)");
        string clientId = r.ReadString();
        uint expiry = r.ReadUInt32();
        var disconnectedAt = new DateTimeOffset(r.ReadInt64(), TimeSpan.Zero);
        var subscriptions = new MqttStoredSubscription[Count(r)];
        for (int i = 0; i < subscriptions.Length; i++) subscriptions[i] = new(r.ReadString(), r.ReadByte(), r.ReadInt32());
        var messages = new MqttStoredMessage[Count(r)];
        for (int i = 0; i < messages.Length; i++)
        {
            byte[] topic = ReadBytes(r), payload = ReadBytes(r), properties = ReadBytes(r);
            var qos = (MqttQualityOfService)r.ReadByte();
            bool retain = r.ReadBoolean();
            long expiresTicks = r.ReadInt64();
            var message = new MqttApplicationMessage(topic, payload, qos, retain, properties,
                expiresTicks == 0 ? null : new DateTimeOffset(expiresTicks, TimeSpan.Zero));
            var deliveryQoS = (MqttQualityOfService)r.ReadByte();
            bool deliveryRetain = r.ReadBoolean();
            ushort packetId = r.ReadUInt16();
            var state = (MqttDeliveryState)r.ReadByte();
            var ids = new int[Count(r)];
            for (int j = 0; j < ids.Length; j++) ids[j] = r.ReadInt32();
            if ((int)deliveryQoS > 2 || (int)state > 2) throw new InvalidDataException("invalid delivery state");
            messages[i] = new MqttStoredMessage(message, deliveryQoS, deliveryRetain, packetId, state, ids);
        }
        var incoming = new ushort[Count(r)];
        for (int i = 0; i < incoming.Length; i++) incoming[i] = r.ReadUInt16();
        return new MqttStoredSession
        {
            ClientId = clientId, ExpiryInterval = expiry, DisconnectedAt = disconnectedAt,
            Subscriptions = subscriptions, Messages = messages, IncomingQoS2 = incoming,
        };
    }

    private static int Count(BinaryReader r)
    {
        int n = r.ReadInt32();
        if (n < 0 || n > r.BaseStream.Length) throw new InvalidDataException($"invalid element count {n}");
        return n;
    }

    private static void WriteBytes(BinaryWriter w, ReadOnlySpan<byte> bytes)
    {
        w.Write(bytes.Length);
        w.Write(bytes);
    }

    private static byte[] ReadBytes(BinaryReader r)
    {
        int n = Count(r);
        var bytes = r.ReadBytes(n);
        if (bytes.Length != n) throw new EndOfStreamException("session file is truncated");
        return bytes;
    }
}
