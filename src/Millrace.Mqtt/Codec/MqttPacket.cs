using System.Buffers;
using Millrace.Mqtt.Packets;

namespace Millrace.Mqtt.Codec;

/// <summary>
/// One validated packet returned by <see cref="MqttPacketReader.TryReadPacket"/>. It refers to the input buffer
/// without copying: it (and every slice taken from it) is valid only until the caller advances or recycles that
/// buffer (e.g. <c>PipeReader.AdvanceTo</c>). PUBLISH and the PUBACK family are decoded once; other types are
/// re-read from <see cref="Body"/> on demand by the As* methods (they are rare and small).
/// </summary>
public readonly struct MqttPacket
{
    private readonly MqttPublishPacket _publish;
    private readonly MqttPublishResponsePacket _response;
    private readonly MqttDecoderOptions? _options;

    internal MqttPacket(MqttPacketType type, byte flags, MqttProtocolVersion version, int size, ReadOnlySequence<byte> body,
        MqttDecoderOptions options, in MqttPublishPacket publish = default, in MqttPublishResponsePacket response = default)
    {
        Type = type;
        Flags = flags;
        ProtocolVersion = version;
        Size = size;
        Body = body;
        _options = options;
        _publish = publish;
        _response = response;
    }

    /// <summary>The control packet type.</summary>
    public MqttPacketType Type { get; }
    /// <summary>The four flag bits of the fixed header.</summary>
    public byte Flags { get; }
    /// <summary>The protocol version the packet was decoded with.</summary>
    public MqttProtocolVersion ProtocolVersion { get; }
    /// <summary>Whole packet size in bytes, fixed header included.</summary>
    public int Size { get; }
    /// <summary>Variable header and payload (a slice of the input).</summary>
    public ReadOnlySequence<byte> Body { get; }

    /// <summary>The PUBLISH fields.</summary>
    public MqttPublishPacket AsPublish() => Type == MqttPacketType.Publish ? _publish : throw WrongType(MqttPacketType.Publish);

    /// <summary>The PUBACK, PUBREC, PUBREL or PUBCOMP fields.</summary>
    public MqttPublishResponsePacket AsPublishResponse()
        => MqttPublishResponsePacket.IsResponseType(Type) ? _response : throw WrongType(MqttPacketType.PubAck);

    /// <summary>The CONNECT fields.</summary>
    public MqttConnectPacket AsConnect()
    {
        var r = Reader(MqttPacketType.Connect, MqttProtocolVersion.Unknown);
        return MqttConnectPacket.Read(ref r);
    }

    /// <summary>The CONNACK fields.</summary>
    public MqttConnAckPacket AsConnAck()
    {
        var r = Reader(MqttPacketType.ConnAck, ProtocolVersion);
        return MqttConnAckPacket.Read(ref r);
    }

    /// <summary>The SUBSCRIBE fields.</summary>
    public MqttSubscribePacket AsSubscribe()
    {
        var r = Reader(MqttPacketType.Subscribe, ProtocolVersion);
        return MqttSubscribePacket.Read(ref r);
    }

    /// <summary>The SUBACK fields.</summary>
    public MqttSubAckPacket AsSubAck()
    {
        var r = Reader(MqttPacketType.SubAck, ProtocolVersion);
        return MqttSubAckPacket.Read(ref r);
    }

    /// <summary>The UNSUBSCRIBE fields.</summary>
    public MqttUnsubscribePacket AsUnsubscribe()
    {
        var r = Reader(MqttPacketType.Unsubscribe, ProtocolVersion);
        return MqttUnsubscribePacket.Read(ref r);
    }

    /// <summary>The UNSUBACK fields.</summary>
    public MqttUnsubAckPacket AsUnsubAck()
    {
        var r = Reader(MqttPacketType.UnsubAck, ProtocolVersion);
        return MqttUnsubAckPacket.Read(ref r);
    }

    /// <summary>The DISCONNECT fields.</summary>
    public MqttDisconnectPacket AsDisconnect()
    {
        var r = Reader(MqttPacketType.Disconnect, ProtocolVersion);
        return MqttDisconnectPacket.Read(ref r);
    }

    /// <summary>The AUTH fields.</summary>
    public MqttAuthPacket AsAuth()
    {
        var r = Reader(MqttPacketType.Auth, ProtocolVersion);
        return MqttAuthPacket.Read(ref r);
    }

    private MqttBodyReader Reader(MqttPacketType expected, MqttProtocolVersion version)
    {
        if (Type != expected) throw WrongType(expected);
        return new MqttBodyReader(Body, version, _options ?? MqttDecoderOptions.Server);
    }

    private InvalidOperationException WrongType(MqttPacketType expected)
        => new($"The packet is {Type}, not {expected}.");
}
