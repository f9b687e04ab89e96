using System.Buffers;
using System.Text;
using Millrace.Mqtt.Codec;

namespace Millrace.Mqtt.Client;

/// <summary>
/// An application message received from the server. It owns its memory: payload and 5.0 properties were copied once
/// out of the receive buffer into one array, so the message may be kept, queued or handed to another thread.
/// </summary>
public sealed class MqttMessage
{
    private readonly byte[] _data; // payload, then the encoded properties
    private readonly int _payloadLength;

    internal MqttMessage(string topic, byte[] data, int payloadLength, MqttQualityOfService qos, bool retain, bool duplicate,
        ushort packetIdentifier, long sessionEpoch)
    {
        Topic = topic;
        _data = data;
        _payloadLength = payloadLength;
        QoS = qos;
        Retain = retain;
        Duplicate = duplicate;
        PacketIdentifier = packetIdentifier;
        SessionEpoch = sessionEpoch;
    }

    /// <summary>Topic Name (aliases already resolved).</summary>
    public string Topic { get; }

    /// <summary>The payload.</summary>
    public ReadOnlyMemory<byte> Payload => _data.AsMemory(0, _payloadLength);

    /// <summary>QoS the server delivered with.</summary>
    public MqttQualityOfService QoS { get; }

    /// <summary>RETAIN flag: a retained message sent because of a new subscription (or Retain As Published).</summary>
    public bool Retain { get; }

    /// <summary>DUP flag: the server may have sent this before.</summary>
    public bool Duplicate { get; }

    /// <summary>5.0 PUBLISH properties (Content Type, User Property, Subscription Identifier, ...); empty on 3.1.1.</summary>
    public MqttProperties Properties => _data.Length == _payloadLength
        ? default
        : new MqttProperties(new ReadOnlySequence<byte>(_data, _payloadLength, _data.Length - _payloadLength));

    /// <summary>The payload decoded as UTF-8.</summary>
    public string PayloadAsString() => Encoding.UTF8.GetString(_data, 0, _payloadLength);

    internal ushort PacketIdentifier { get; }

    /// <summary>Which server-side session the message belongs to: its acknowledgement is sent only within that session.</summary>
    internal long SessionEpoch { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Topic} ({_payloadLength} bytes, QoS {(int)QoS}{(Retain ? ", retained" : "")})";
}
