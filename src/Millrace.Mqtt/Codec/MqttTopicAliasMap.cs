using System.Buffers;
using Millrace.Mqtt.Packets;

namespace Millrace.Mqtt.Codec;

/// <summary>
/// Receive side of MQTT 5.0 Topic Aliases (§3.3.2.3.4) for one connection: a PUBLISH with an alias and a topic sets
/// the mapping, one with an alias and an empty topic uses it. Aliases never outlive the connection [MQTT-3.3.2-7].
/// The decoder has already checked 1 ≤ alias ≤ the announced maximum; topics are copied once per (re)mapping because
/// they must outlive the input buffer.
/// </summary>
public sealed class MqttTopicAliasMap
{
    private readonly byte[]?[] _topics;

    /// <summary>Creates a map for the Topic Alias Maximum this side announced.</summary>
    public MqttTopicAliasMap(ushort topicAliasMaximum) => _topics = new byte[]?[topicAliasMaximum + 1];

    /// <summary>
    /// Gives the Topic Name a PUBLISH stands for, recording a new mapping when it carries both alias and topic.
    /// The returned sequence is the packet's own topic or the stored copy.
    /// </summary>
    /// <exception cref="MqttProtocolException">The alias is unknown, or outside this map (0x82 / 0x94).</exception>
    public ReadOnlySequence<byte> Resolve(in MqttPublishPacket publish)
    {
        if (!publish.Properties.TryGetNumber(MqttPropertyId.TopicAlias, out uint alias)) return publish.Topic;
        if (alias == 0 || alias >= (uint)_topics.Length)
            throw new MqttProtocolException(MqttReasonCode.TopicAliasInvalid, "MQTT-3.3.2-8", $"Topic Alias {alias} is outside 1..{_topics.Length - 1}");
        if (!publish.Topic.IsEmpty)
        {
            var stored = _topics[alias];
            if (stored is null || !MqttBodyReader.SequenceEqual(publish.Topic, stored)) _topics[alias] = publish.Topic.ToArray();
            return publish.Topic;
        }
        var topic = _topics[alias] ?? throw MqttProtocolException.Protocol("§3.3.2.3.4", $"Topic Alias {alias} is used before a Topic Name was mapped to it");
        return new ReadOnlySequence<byte>(topic);
    }

    /// <summary>Forgets every mapping (a new network connection starts empty).</summary>
    public void Clear() => Array.Clear(_topics);
}
