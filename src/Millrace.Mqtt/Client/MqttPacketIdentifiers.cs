namespace Millrace.Mqtt.Client;

/// <summary>
/// Packet Identifiers in use by this client's session (PUBLISH QoS 1/2, SUBSCRIBE, UNSUBSCRIBE) [MQTT-2.2.1-3].
/// Hands out the next free one after the last, so a just-released identifier is not reused at once. Not thread-safe.
/// </summary>
internal sealed class MqttPacketIdentifiers
{
    private readonly ulong[] _used = new ulong[65536 / 64];
    private ushort _last;

    public int Count { get; private set; }

    /// <summary>Takes a free identifier, or returns 0 when all 65,535 are in use.</summary>
    public ushort Allocate()
    {
        if (Count == ushort.MaxValue) return 0;
        ushort id = _last;
        while (true)
        {
            id = id == ushort.MaxValue ? (ushort)1 : (ushort)(id + 1);
            if (!IsUsed(id)) break;
        }
        _used[id >> 6] |= 1UL << (id & 63);
        _last = id;
        Count++;
        return id;
    }

    public bool IsUsed(ushort id) => (_used[id >> 6] & (1UL << (id & 63))) != 0;

    public void Release(ushort id)
    {
        if (!IsUsed(id)) return;
        _used[id >> 6] &= ~(1UL << (id & 63));
        Count--;
    }
}
