using System.Buffers;
using Millrace.Mqtt.Packets;

namespace Millrace.Mqtt.Codec;

/// <summary>
/// Decodes the packets of one connection from a <see cref="ReadOnlySequence{T}"/> (e.g. a <c>PipeReader</c> buffer)
/// without copying. It tracks the state the codec needs: the negotiated version (a server learns it from CONNECT),
/// that CONNECT/CONNACK comes first and only once, and what CONNECT promised (Session Expiry, Authentication Method).
/// Not thread-safe: one reader per connection, used by one reading loop.
/// </summary>
public sealed class MqttPacketReader
{
    private readonly MqttDecoderOptions _options;
    private MqttProtocolVersion _version;
    private bool _handshakeDone;
    private bool _connectSessionExpiryZero = true;
    private byte[]? _connectAuthenticationMethod; // copied once: AUTH must repeat it [MQTT-4.12.0-5]
    private MqttProtocolException? _fault;

    /// <summary>Creates a reader for one connection.</summary>
    /// <exception cref="ArgumentException">A client-side reader without a protocol version.</exception>
    public MqttPacketReader(MqttDecoderOptions? options = null)
    {
        _options = options ?? MqttDecoderOptions.Server;
        if (_options.MaximumPacketSize < 2) throw new ArgumentException("MaximumPacketSize must be at least 2.", nameof(options));
        if (_options.Role == MqttRole.Client)
        {
            if (_options.ProtocolVersion is not (MqttProtocolVersion.V311 or MqttProtocolVersion.V500))
                throw new ArgumentException("A client-side reader needs the ProtocolVersion the client sent in CONNECT.", nameof(options));
            _version = _options.ProtocolVersion;
        }
    }

    /// <summary>The negotiated version (<see cref="MqttProtocolVersion.Unknown"/> on a server before CONNECT).</summary>
    public MqttProtocolVersion ProtocolVersion => _version;

    /// <summary>The options this reader was created with.</summary>
    public MqttDecoderOptions Options => _options;

    /// <summary>
    /// Reads the next whole packet from the start of <paramref name="buffer"/>. Returns false when more bytes are
    /// needed (never throws for that); the caller should then mark the whole buffer as examined and read more.
    /// On success <paramref name="buffer"/> is advanced past the packet. The size limit is enforced from the
    /// fixed header, before the packet body is buffered.
    /// </summary>
    /// <exception cref="MqttProtocolException">The input breaks the specification; the connection must end.
    /// The reader stays faulted and rethrows on later calls.</exception>
    public bool TryReadPacket(ref ReadOnlySequence<byte> buffer, out MqttPacket packet)
    {
        packet = default;
        if (_fault is not null) throw _fault;
        if (buffer.IsEmpty) return false;
        try
        {
            return TryReadCore(ref buffer, out packet);
        }
        catch (MqttProtocolException e)
        {
            e.ProtocolVersion = _version;
            _fault = e;
            throw;
        }
    }

    private bool TryReadCore(ref ReadOnlySequence<byte> buffer, out MqttPacket packet)
    {
        packet = default;
        scoped ReadOnlySpan<byte> head = buffer.FirstSpan;
        Span<byte> scratch = stackalloc byte[1 + VariableByteInteger.MaxLength];
        if (head.Length < scratch.Length && buffer.Length > head.Length)
        {
            int n = (int)Math.Min(scratch.Length, buffer.Length);
            buffer.Slice(0, n).CopyTo(scratch);
            head = scratch[..n];
        }

        byte first = head[0];
        var type = (MqttPacketType)(first >> 4);
        byte flags = (byte)(first & 0x0F);
        CheckFixedHeader(type, flags); // before waiting for the rest: reject garbage as early as possible

        var status = VariableByteInteger.TryRead(head[1..], out int remaining, out int lengthBytes);
        switch (status)
        {
            case VariableByteInteger.Status.Incomplete:
                return false;
            case VariableByteInteger.Status.TooLong:
                throw MqttProtocolException.Malformed(Rule("§2.2.3", "MQTT-1.5.5-1"), "Remaining Length is longer than four bytes");
            case VariableByteInteger.Status.NotMinimal when _version == MqttProtocolVersion.V500:
                throw MqttProtocolException.Malformed("MQTT-1.5.5-1", "Remaining Length is not in its minimal encoding");
        }

        long total = 1L + lengthBytes + remaining;
        if (total > _options.MaximumPacketSize)
            throw new MqttProtocolException(MqttReasonCode.PacketTooLarge, _options.Role == MqttRole.Server ? Rule("§2.2.3", "§3.2.2.3.6") : Rule("§2.2.3", "§3.1.2.11.4"),
                $"{MqttNames.Packet(type)} of {total} bytes exceeds the Maximum Packet Size of {_options.MaximumPacketSize}");
        if (buffer.Length < total) return false;

        var body = buffer.Slice(1 + lengthBytes, remaining);
        packet = Decode(type, flags, (int)total, body);
        if (status == VariableByteInteger.Status.NotMinimal && _version == MqttProtocolVersion.V500)
            throw MqttProtocolException.Malformed("MQTT-1.5.5-1", "Remaining Length is not in its minimal encoding"); // a 5.0 CONNECT: the version was unknown before it
        buffer = buffer.Slice(total);
        return true;
    }

    private void CheckFixedHeader(MqttPacketType type, byte flags)
    {
        if (type == 0 || (type == MqttPacketType.Auth && _version == MqttProtocolVersion.V311))
            throw MqttProtocolException.Malformed(Rule("§2.2.1", "§2.1.2"), $"Control packet type {(int)type} is reserved");
        int expectedFlags = type is MqttPacketType.PubRel or MqttPacketType.Subscribe or MqttPacketType.Unsubscribe ? 0x02 : 0;
        if (type != MqttPacketType.Publish && flags != expectedFlags)
            throw MqttProtocolException.Malformed(Rule("MQTT-2.2.2-1", "MQTT-2.1.3-1"),
                $"{MqttNames.Packet(type)} has fixed header flags 0x{flags:X}, the specification requires 0x{expectedFlags:X}");

        bool server = _options.Role == MqttRole.Server;
        bool allowed = type switch
        {
            MqttPacketType.Connect or MqttPacketType.Subscribe or MqttPacketType.Unsubscribe or MqttPacketType.PingReq => server,
            MqttPacketType.ConnAck or MqttPacketType.SubAck or MqttPacketType.UnsubAck or MqttPacketType.PingResp => !server,
            MqttPacketType.Disconnect => server || _version == MqttProtocolVersion.V500, // 3.1.1 servers never send DISCONNECT
            _ => true,
        };
        if (!allowed)
            throw MqttProtocolException.Protocol("§2.1.2", $"A {(server ? "client" : "server")} must not send {MqttNames.Packet(type)}");

        if (server)
        {
            if (!_handshakeDone && type != MqttPacketType.Connect)
                throw MqttProtocolException.Protocol("MQTT-3.1.0-1", $"The first packet from a client must be CONNECT, got {MqttNames.Packet(type)}");
            if (_handshakeDone && type == MqttPacketType.Connect)
                throw MqttProtocolException.Protocol("MQTT-3.1.0-2", "A second CONNECT on the same connection");
        }
        else
        {
            if (!_handshakeDone && type != MqttPacketType.ConnAck && !(type == MqttPacketType.Auth && _version == MqttProtocolVersion.V500))
                throw MqttProtocolException.Protocol("MQTT-3.2.0-1", $"The first packet from a server must be CONNACK, got {MqttNames.Packet(type)}");
            if (_handshakeDone && type == MqttPacketType.ConnAck)
                throw MqttProtocolException.Protocol("MQTT-3.2.0-2", "A second CONNACK on the same connection");
        }
    }

    private MqttPacket Decode(MqttPacketType type, byte flags, int size, in ReadOnlySequence<byte> body)
    {
        var r = new MqttBodyReader(body, _version, _options);
        switch (type)
        {
            case MqttPacketType.Publish:
                var publish = MqttPublishPacket.Read(ref r, flags, _options.Role);
                return new MqttPacket(type, flags, _version, size, body, _options, publish: publish);
            case MqttPacketType.PubAck or MqttPacketType.PubRec or MqttPacketType.PubRel or MqttPacketType.PubComp:
                var response = MqttPublishResponsePacket.Read(ref r, type);
                return new MqttPacket(type, flags, _version, size, body, _options, response: response);
            case MqttPacketType.Connect:
                var connect = MqttConnectPacket.Read(ref r);
                _version = connect.ProtocolVersion;
                _handshakeDone = true;
                _connectSessionExpiryZero = !connect.Properties.TryGetNumber(MqttPropertyId.SessionExpiryInterval, out uint expiry) || expiry == 0;
                _connectAuthenticationMethod = connect.Properties.TryGetBytes(MqttPropertyId.AuthenticationMethod, out var connectMethod) ? connectMethod.ToArray() : null;
                break;
            case MqttPacketType.ConnAck:
                MqttConnAckPacket.Read(ref r);
                _handshakeDone = true;
                break;
            case MqttPacketType.Subscribe:
                MqttSubscribePacket.Read(ref r);
                break;
            case MqttPacketType.SubAck:
                MqttSubAckPacket.Read(ref r);
                break;
            case MqttPacketType.Unsubscribe:
                MqttUnsubscribePacket.Read(ref r);
                break;
            case MqttPacketType.UnsubAck:
                MqttUnsubAckPacket.Read(ref r);
                break;
            case MqttPacketType.PingReq or MqttPacketType.PingResp:
                r.ExpectEnd(MqttNames.Packet(type));
                break;
            case MqttPacketType.Disconnect:
                CheckDisconnect(MqttDisconnectPacket.Read(ref r));
                break;
            case MqttPacketType.Auth:
                var auth = MqttAuthPacket.Read(ref r);
                if (_options.Role == MqttRole.Server)
                {
                    if (_connectAuthenticationMethod is null)
                        throw MqttProtocolException.Protocol("MQTT-4.12.0-7", "AUTH received although CONNECT had no Authentication Method");
                    auth.Properties.TryGetBytes(MqttPropertyId.AuthenticationMethod, out var method);
                    if (!MqttBodyReader.SequenceEqual(method, _connectAuthenticationMethod))
                        throw MqttProtocolException.Protocol("MQTT-4.12.0-5", "AUTH carries a different Authentication Method than CONNECT");
                }
                break;
        }
        return new MqttPacket(type, flags, _version, size, body, _options);
    }

    private void CheckDisconnect(in MqttDisconnectPacket disconnect)
    {
        if (!disconnect.Properties.TryGetNumber(MqttPropertyId.SessionExpiryInterval, out uint expiry)) return;
        if (_options.Role == MqttRole.Client)
            throw MqttProtocolException.Protocol("MQTT-3.14.2-2", "A server must not send Session Expiry Interval in DISCONNECT");
        if (_connectSessionExpiryZero && expiry != 0)
            throw MqttProtocolException.Protocol("§3.14.2.2.2", "DISCONNECT sets a non-zero Session Expiry Interval although CONNECT's was zero");
    }

    private string Rule(string v311, string v5) => _version == MqttProtocolVersion.V500 ? v5 : v311;
}
