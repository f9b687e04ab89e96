using System.Security.Cryptography;
using System.Text;

namespace Millrace.Mqtt.Broker;

/// <summary>
/// Keeps each session in its own file under a directory (binary, versioned, written to a temporary file and renamed
/// so a crash leaves the old or the new snapshot, never half of one). File names are the SHA-256 of the client id,
/// so any client id is safe on any file system. A file that cannot be read is skipped and reported through
/// <see cref="LoadErrors"/>, never fatal.
/// </summary>
public sealed class MqttFileSessionStore : IMqttSessionStore
{
    private const uint Magic = 0x4D53_5331; // "MSS1"
    private readonly string _directory;

    /// <summary>Uses (and creates) <paramref name="directory"/>.</summary>
    public MqttFileSessionStore(string directory)
    {
        _directory = Path.GetFullPath(directory);
        Directory.CreateDirectory(_directory);
    }

    /// <summary>Files skipped by the last <see cref="LoadAllAsync"/>, with the reason.</summary>
    public IReadOnlyList<string> LoadErrors { get; private set; } = [];

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<MqttStoredSession>> LoadAllAsync(CancellationToken cancellationToken)
    {
        var sessions = new List<MqttStoredSession>();
        var errors = new List<string>();
        foreach (var file in Directory.EnumerateFiles(_directory, "*.session"))
        {
            try
            {
                var bytes = await File.ReadAllBytesAsync(file, cancellationToken).ConfigureAwait(false);
                sessions.Add(Read(bytes));
            }
            catch (Exception e) when (e is IOException or EndOfStreamException or InvalidDataException or ArgumentException or UnauthorizedAccessException)
            {
                errors.Add($"{file}: {e.Message}");
            }
        }
        LoadErrors = errors;
        return sessions;
    }

    /// <inheritdoc/>
    public async ValueTask SaveAsync(MqttStoredSession session, CancellationToken cancellationToken)
    {
        string path = PathOf(session.ClientId), temp = path + ".tmp";
        await File.WriteAllBytesAsync(temp, Write(session), cancellationToken).ConfigureAwait(false);
        File.Move(temp, path, overwrite: true);
    }

    /// <inheritdoc/>
    public ValueTask DeleteAsync(string clientId, CancellationToken cancellationToken)
    {
        File.Delete(PathOf(clientId));
        return ValueTask.CompletedTask;
    }

    private string PathOf(string clientId)
        => Path.Combine(_directory, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(clientId))) + ".session");

    internal static byte[] Write(MqttStoredSession s)
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

    internal static MqttStoredSession Read(byte[] bytes)
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
