using System.Buffers;
using System.Text;
using Millrace.Mqtt.Codec;

namespace Millrace.Mqtt.Broker;

/// <summary>
/// A message as the broker keeps it between receiving and delivering: topic, payload and the forwardable 5.0
/// properties copied out of the connection's input buffer once, into one array, and then shared (read-only) by every
/// subscriber queue, the retained store and the session store. Topic Alias and Message Expiry Interval are not kept in
/// <see cref="EncodedProperties"/>: an alias belongs to one connection, and the expiry is kept as an absolute deadline.
/// </summary>
public sealed class MqttApplicationMessage
{
    private readonly byte[] _data; // topic | properties | payload
    private readonly int _topicLength, _propertiesLength;
    private string? _topic;

    /// <summary>Creates a message from its parts (copies them).</summary>
    /// <param name="topic">Topic Name (UTF-8, valid, no wildcards).</param>
    /// <param name="payload">Application payload.</param>
    /// <param name="qos">QoS it was published with.</param>
    /// <param name="retain">RETAIN flag as published.</param>
    /// <param name="encodedProperties">5.0 properties to forward (already encoded, without Topic Alias/Message Expiry).</param>
    /// <param name="expiresAt">Absolute expiry (UTC), or null when it never expires.</param>
    public MqttApplicationMessage(ReadOnlySpan<byte> topic, ReadOnlySpan<byte> payload, MqttQualityOfService qos, bool retain,
        ReadOnlySpan<byte> encodedProperties = default, DateTimeOffset? expiresAt = null)
    {
        _data = new byte[topic.Length + encodedProperties.Length + payload.Length];
        topic.CopyTo(_data);
        encodedProperties.CopyTo(_data.AsSpan(topic.Length));
        payload.CopyTo(_data.AsSpan(topic.Length + encodedProperties.Length));
        _topicLength = topic.Length;
        _propertiesLength = encodedProperties.Length;
        QoS = qos;
        Retain = retain;
        ExpiresAt = expiresAt;
    }

    internal MqttApplicationMessage(in ReadOnlySequence<byte> topic, in ReadOnlySequence<byte> payload, MqttQualityOfService qos, bool retain,
        ReadOnlySpan<byte> encodedProperties, DateTimeOffset? expiresAt)
    {
        int t = (int)topic.Length, p = (int)payload.Length;
        _data = new byte[t + encodedProperties.Length + p];
        topic.CopyTo(_data);
        encodedProperties.CopyTo(_data.AsSpan(t));
        payload.CopyTo(_data.AsSpan(t + encodedProperties.Length));
        _topicLength = t;
        _propertiesLength = encodedProperties.Length;
        QoS = qos;
        Retain = retain;
        ExpiresAt = expiresAt;
    }

    /// <summary>Topic Name bytes (UTF-8).</summary>
    public ReadOnlyMemory<byte> TopicBytes => _data.AsMemory(0, _topicLength);

    /// <summary>Topic Name (decoded once, on first use).</summary>
    public string Topic => _topic ??= Encoding.UTF8.GetString(_data, 0, _topicLength);

    /// <summary>Payload bytes.</summary>
    public ReadOnlyMemory<byte> Payload => _data.AsMemory(_topicLength + _propertiesLength);

    /// <summary>Forwardable 5.0 properties, encoded (Payload Format Indicator, Content Type, Response Topic,
    /// Correlation Data, User Properties).</summary>
    public ReadOnlyMemory<byte> EncodedProperties => _data.AsMemory(_topicLength, _propertiesLength);

    /// <summary>The properties as a codec view (valid as long as this message).</summary>
    public MqttProperties Properties => new(new ReadOnlySequence<byte>(EncodedProperties));

    /// <summary>QoS the publisher used.</summary>
    public MqttQualityOfService QoS { get; }

    /// <summary>RETAIN flag as published.</summary>
    public bool Retain { get; }

    /// <summary>When the message expires (5.0 Message Expiry Interval), or null.</summary>
    public DateTimeOffset? ExpiresAt { get; }

    /// <summary>Client identifier of the publisher (null for in-process publishes and wills of unknown origin).</summary>
    public string? PublisherClientId { get; internal init; }

    internal object? Origin { get; init; } // the publishing subscriber object, for No Local

    internal ReadOnlySequence<byte> TopicSequence => new(_data, 0, _topicLength);
    internal ReadOnlySequence<byte> PayloadSequence => new(_data, _topicLength + _propertiesLength, _data.Length - _topicLength - _propertiesLength);
    internal ReadOnlySpan<byte> TopicSpan => _data.AsSpan(0, _topicLength);

    /// <summary>Approximate memory held (for accounting).</summary>
    internal int Size => _data.Length;

    /// <summary>True once <see cref="ExpiresAt"/> has passed.</summary>
    public bool IsExpired(DateTimeOffset now) => ExpiresAt is { } at && at <= now;

    /// <summary>A copy with another RETAIN flag and QoS (for retained-store entries and wills).</summary>
    internal MqttApplicationMessage With(bool retain) => retain == Retain ? this
        : new MqttApplicationMessage(TopicSpan, Payload.Span, QoS, retain, EncodedProperties.Span, ExpiresAt) { PublisherClientId = PublisherClientId, Origin = Origin };
}
