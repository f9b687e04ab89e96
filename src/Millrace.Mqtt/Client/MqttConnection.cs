using System.Buffers;
using System.Text;
using Millrace.Mqtt.Codec;

namespace Millrace.Mqtt.Client;

/// <summary>
/// State of one accepted network connection: what CONNACK negotiated, the decoder, the topic alias maps in both
/// directions and the keep-alive bookkeeping. Session state (in-flight messages, subscriptions) lives in
/// <see cref="MqttClient"/> and survives connections.
/// </summary>
internal sealed class MqttConnection(MqttTransport transport, MqttPacketReader reader, MqttProtocolVersion version)
{
    private byte[] _lastTopicBytes = [];
    private string _lastTopic = "";

    public MqttTransport Transport { get; } = transport;
    public MqttPacketReader Reader { get; } = reader;
    public MqttProtocolVersion Version { get; } = version;
    public bool IsV5 => Version == MqttProtocolVersion.V500;

    /// <summary>The server's Maximum Packet Size (5.0), or unlimited.</summary>
    public int ServerMaximumPacketSize { get; init; } = MqttPacketWriter.Unlimited;

    /// <summary>Effective keep-alive (the server's Server Keep Alive wins on 5.0).</summary>
    public TimeSpan KeepAlive { get; init; }

    public MqttTopicAliasSender SendAliases { get; } = new();
    public MqttTopicAliasMap? ReceiveAliases { get; init; }

    /// <summary>The read loop waits for the consumer (inbound queue full): silence from the server is then expected.</summary>
    public volatile bool ReaderStalled;

    /// <summary>When PINGREQ was sent (0: none outstanding).</summary>
    public long PingSentAt;

    public long LastReceiveTimestamp;

    public Task ReadLoop { get; set; } = Task.CompletedTask;

    /// <summary>
    /// The topic as a string. Consecutive messages on one topic (the common telemetry case) share one string instead of
    /// decoding it again; called only by the read loop.
    /// </summary>
    public string GetTopic(in ReadOnlySequence<byte> topic)
    {
        if (topic.IsSingleSegment && topic.FirstSpan.SequenceEqual(_lastTopicBytes)) return _lastTopic;
        var bytes = topic.ToArray();
        _lastTopic = Encoding.UTF8.GetString(bytes);
        _lastTopicBytes = bytes;
        return _lastTopic;
    }
}
