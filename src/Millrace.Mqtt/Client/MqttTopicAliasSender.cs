using System.Buffers;
using System.Buffers.Binary;
using Millrace.Mqtt.Codec;

namespace Millrace.Mqtt.Client;

/// <summary>
/// Send side of 5.0 Topic Aliases for one connection: the first PUBLISH on a topic carries topic and a new alias, later
/// ones only the alias. Aliases are handed out first come, first served up to min(our cap, the server's Topic Alias
/// Maximum) and never outlive the connection [MQTT-3.3.2-7]. The 3-byte property block of each alias is built once.
/// Used under the transport's write lock, in wire order.
/// </summary>
internal sealed class MqttTopicAliasSender
{
    private readonly Dictionary<string, ushort> _aliases = new(StringComparer.Ordinal);
    private byte[]?[] _blocks = [];
    private ushort _limit;

    /// <summary>How many PUBLISH packets were sent with an alias instead of the topic.</summary>
    public long AliasOnlyCount { get; private set; }

    public void Reset(ushort limit)
    {
        _aliases.Clear();
        _limit = limit;
        if (_blocks.Length < limit + 1) _blocks = new byte[]?[limit + 1];
    }

    /// <summary>
    /// Decides how to send <paramref name="topic"/>: returns the properties to add (empty: no alias) and whether the
    /// topic itself must still be written.
    /// </summary>
    public MqttProperties Choose(string topic, out bool sendTopic)
    {
        sendTopic = true;
        if (_limit == 0) return default;
        if (_aliases.TryGetValue(topic, out ushort alias))
        {
            sendTopic = false;
            AliasOnlyCount++;
            return Block(alias);
        }
        if (_aliases.Count >= _limit) return default;
        alias = (ushort)(_aliases.Count + 1);
        _aliases.Add(topic, alias);
        return Block(alias);
    }

    private MqttProperties Block(ushort alias)
    {
        var block = _blocks[alias];
        if (block is null)
        {
            block = new byte[3];
            block[0] = (byte)MqttPropertyId.TopicAlias;
            BinaryPrimitives.WriteUInt16BigEndian(block.AsSpan(1), alias);
            _blocks[alias] = block;
        }
        return new MqttProperties(new ReadOnlySequence<byte>(block));
    }
}
