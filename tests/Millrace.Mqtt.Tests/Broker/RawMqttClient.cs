using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;
using Millrace.Mqtt.Codec;
using Millrace.Mqtt.Packets;

namespace Millrace.Mqtt.Tests.Broker;

/// <summary>A packet a test client received, copied out of the input buffer.</summary>
public sealed record Received(MqttPacketType Type, bool Dup = false, MqttQualityOfService QoS = 0, bool Retain = false, string Topic = "",
    byte[]? Payload = null, ushort PacketId = 0, MqttReasonCode Code = 0, bool SessionPresent = false, MqttReasonCode[]? Codes = null,
    Dictionary<MqttPropertyId, uint>? Numbers = null, Dictionary<MqttPropertyId, string>? Strings = null, List<uint>? SubscriptionIds = null)
{
    public string Text => Encoding.UTF8.GetString(Payload ?? []);
}

/// <summary>
/// A minimal MQTT client written directly on the codec, so tests control every byte the broker sees (a real client
/// library would hide the flows under test). Every wait is bounded; a missing packet fails the test with a message.
/// </summary>
public sealed class RawMqttClient : IAsyncDisposable
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly TcpClient? _tcp;
    private readonly Stream _stream;
    private readonly PipeReader _input;
    private readonly Channel<Received> _received = Channel.CreateUnbounded<Received>();
    private readonly ArrayBufferWriter<byte> _out = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private Task? _readLoop;
    private MqttPacketReader? _reader;

    private RawMqttClient(TcpClient? tcp, Stream stream)
    {
        _tcp = tcp;
        _stream = stream;
        _input = PipeReader.Create(stream);
    }

    public MqttProtocolVersion Version { get; private set; }

    /// <summary>Completes when the broker closed the connection.</summary>
    public Task Closed => _readLoop ?? Task.CompletedTask;

    public static async Task<RawMqttClient> OpenAsync(IPEndPoint endpoint, MqttProtocolVersion version)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(endpoint).WaitAsync(Wait);
        return new RawMqttClient(tcp, tcp.GetStream()) { Version = version };
    }

    public static async Task<RawMqttClient> OpenTlsAsync(IPEndPoint endpoint, MqttProtocolVersion version)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(endpoint).WaitAsync(Wait);
        var ssl = new SslStream(tcp.GetStream(), false, (_, _, _, _) => true); // the test's self-signed certificate
        await ssl.AuthenticateAsClientAsync("localhost").WaitAsync(Wait);
        return new RawMqttClient(tcp, ssl) { Version = version };
    }

    /// <summary>Opens a connection and sends CONNECT; returns the client and the CONNACK.</summary>
    public static async Task<(RawMqttClient Client, Received ConnAck)> ConnectAsync(IPEndPoint endpoint, MqttProtocolVersion version, string clientId,
        bool cleanStart = true, ushort keepAlive = 0, string? user = null, string? password = null, Action<MqttPropertiesBuilder>? properties = null,
        (string Topic, string Payload, MqttQualityOfService QoS, bool Retain, uint Delay)? will = null)
    {
        var client = await OpenAsync(endpoint, version);
        var ack = await client.SendConnectAsync(clientId, cleanStart, keepAlive, user, password, properties, will);
        return (client, ack);
    }

    public async Task<Received> SendConnectAsync(string clientId, bool cleanStart = true, ushort keepAlive = 0, string? user = null, string? password = null,
        Action<MqttPropertiesBuilder>? properties = null, (string Topic, string Payload, MqttQualityOfService QoS, bool Retain, uint Delay)? will = null)
    {
        var props = new MqttPropertiesBuilder();
        properties?.Invoke(props);
        var willProps = new MqttPropertiesBuilder();
        if (will is { Delay: > 0 } w) willProps.Add(MqttPropertyId.WillDelayInterval, w.Delay);
        await SendAsync(o => MqttPacketWriter.WriteConnect(o, new MqttConnectPacket
        {
            ProtocolVersion = Version, CleanStart = cleanStart, KeepAlive = keepAlive, ClientId = Seq(clientId),
            Properties = Version == MqttProtocolVersion.V500 ? props.Build() : default,
            HasUserName = user is not null, UserName = Seq(user ?? ""), HasPassword = password is not null, Password = Seq(password ?? ""),
            HasWill = will is not null, WillTopic = Seq(will?.Topic ?? ""), WillPayload = Seq(will?.Payload ?? ""),
            WillQoS = will?.QoS ?? 0, WillRetain = will?.Retain ?? false, WillProperties = Version == MqttProtocolVersion.V500 ? willProps.Build() : default,
        }));
        StartReading();
        return await ExpectAsync(MqttPacketType.ConnAck);
    }

    public void StartReading()
    {
        _reader ??= new MqttPacketReader(MqttDecoderOptions.ForClient(Version));
        _readLoop ??= Task.Run(ReadLoopAsync);
    }

    public static ReadOnlySequence<byte> Seq(string s) => new(Encoding.UTF8.GetBytes(s));

    public async Task SendAsync(Func<IBufferWriter<byte>, int> write)
    {
        await _sendLock.WaitAsync();
        try
        {
            _out.ResetWrittenCount();
            write(_out);
            await _stream.WriteAsync(_out.WrittenMemory);
            await _stream.FlushAsync();
        }
        finally
        {
            _sendLock.Release();
        }
    }

    public Task SendRawAsync(byte[] bytes) => _stream.WriteAsync(bytes).AsTask();

    public Task PublishAsync(string topic, string payload, MqttQualityOfService qos = 0, ushort packetId = 0, bool retain = false, bool dup = false,
        Action<MqttPropertiesBuilder>? properties = null)
    {
        var props = new MqttPropertiesBuilder();
        properties?.Invoke(props);
        return SendAsync(o => MqttPacketWriter.WritePublish(o, Version, new MqttPublishPacket
        {
            Topic = Seq(topic), Payload = Seq(payload), QoS = qos, PacketIdentifier = packetId, Retain = retain, Duplicate = dup,
            Properties = Version == MqttProtocolVersion.V500 ? props.Build() : default,
        }));
    }

    public Task RespondAsync(MqttPacketType type, ushort packetId, MqttReasonCode code = 0)
        => SendAsync(o => MqttPacketWriter.WritePublishResponse(o, Version, new MqttPublishResponsePacket { Type = type, PacketIdentifier = packetId, ReasonCode = code }));

    public async Task<Received> SubscribeAsync(string filter, MqttQualityOfService qos = 0, ushort packetId = 1, bool noLocal = false,
        bool retainAsPublished = false, MqttRetainHandling retainHandling = 0, uint subscriptionId = 0)
    {
        var props = new MqttPropertiesBuilder();
        if (subscriptionId != 0) props.Add(MqttPropertyId.SubscriptionIdentifier, subscriptionId);
        await SendAsync(o => MqttPacketWriter.WriteSubscribe(o, Version, packetId, Version == MqttProtocolVersion.V500 ? props.Build() : default,
            [new MqttSubscription(Seq(filter), qos, noLocal, retainAsPublished, retainHandling)]));
        return await ExpectAsync(MqttPacketType.SubAck);
    }

    public Task DisconnectAsync(MqttReasonCode code = 0, uint? sessionExpiry = null)
    {
        var props = new MqttPropertiesBuilder();
        if (sessionExpiry is { } e) props.Add(MqttPropertyId.SessionExpiryInterval, e);
        return SendAsync(o => MqttPacketWriter.WriteDisconnect(o, Version, new MqttDisconnectPacket { ReasonCode = code, Properties = props.Build() }));
    }

    /// <summary>The next packet, whatever it is; fails after <see cref="Wait"/>.</summary>
    public async Task<Received> NextAsync(TimeSpan? wait = null)
    {
        using var cts = new CancellationTokenSource(wait ?? Wait);
        try
        {
            return await _received.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new Xunit.Sdk.XunitException($"no packet from the broker within {(wait ?? Wait).TotalSeconds} s");
        }
        catch (ChannelClosedException)
        {
            throw new Xunit.Sdk.XunitException("the broker closed the connection while a packet was expected");
        }
    }

    public async Task<Received> ExpectAsync(MqttPacketType type)
    {
        var packet = await NextAsync();
        Assert.True(packet.Type == type, $"expected {type}, got {packet}");
        return packet;
    }

    /// <summary>True when a packet arrives within <paramref name="wait"/> (used to prove something is NOT sent,
    /// together with a later packet that proves the broker had time to send it).</summary>
    public bool TryTake(out Received? packet) => _received.Reader.TryRead(out packet);

    /// <summary>Waits until the broker closes the connection; returns the packets it sent before.</summary>
    public async Task<List<Received>> ExpectClosedAsync()
    {
        var list = new List<Received>();
        using var cts = new CancellationTokenSource(Wait);
        try
        {
            await foreach (var p in _received.Reader.ReadAllAsync(cts.Token)) list.Add(p);
        }
        catch (OperationCanceledException)
        {
            throw new Xunit.Sdk.XunitException($"the broker did not close the connection within {Wait.TotalSeconds} s; got {string.Join(", ", list)}");
        }
        return list;
    }

    private async Task ReadLoopAsync()
    {
        try
        {
            while (true)
            {
                var result = await _input.ReadAsync();
                var buffer = result.Buffer;
                while (_reader!.TryReadPacket(ref buffer, out var packet)) _received.Writer.TryWrite(Copy(packet));
                _input.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted) break;
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or MqttProtocolException or InvalidOperationException or SocketException)
        {
        }
        finally
        {
            _received.Writer.TryComplete();
        }
    }

    private static Received Copy(in MqttPacket packet)
    {
        switch (packet.Type)
        {
            case MqttPacketType.Publish:
                var p = packet.AsPublish();
                var ids = new List<uint>();
                foreach (var prop in p.Properties) if (prop.Id == MqttPropertyId.SubscriptionIdentifier) ids.Add(prop.Number);
                return new Received(packet.Type, p.Duplicate, p.QoS, p.Retain, MqttUtf8.GetString(p.Topic), p.Payload.ToArray(), p.PacketIdentifier,
                    Numbers: Numbers(p.Properties), Strings: Strings(p.Properties), SubscriptionIds: ids);
            case MqttPacketType.PubAck or MqttPacketType.PubRec or MqttPacketType.PubRel or MqttPacketType.PubComp:
                var r = packet.AsPublishResponse();
                return new Received(packet.Type, PacketId: r.PacketIdentifier, Code: r.ReasonCode);
            case MqttPacketType.ConnAck:
                var c = packet.AsConnAck();
                return new Received(packet.Type, Code: c.ReasonCode, SessionPresent: c.SessionPresent, Numbers: Numbers(c.Properties), Strings: Strings(c.Properties));
            case MqttPacketType.SubAck:
                var s = packet.AsSubAck();
                return new Received(packet.Type, PacketId: s.PacketIdentifier, Codes: s.GetReasonCodes());
            case MqttPacketType.UnsubAck:
                var u = packet.AsUnsubAck();
                return new Received(packet.Type, PacketId: u.PacketIdentifier, Codes: u.ReasonCodes.ToArray().Select(b => (MqttReasonCode)b).ToArray());
            case MqttPacketType.Disconnect:
                return new Received(packet.Type, Code: packet.AsDisconnect().ReasonCode);
            default:
                return new Received(packet.Type);
        }
    }

    private static Dictionary<MqttPropertyId, uint> Numbers(in MqttProperties properties)
    {
        var d = new Dictionary<MqttPropertyId, uint>();
        foreach (var p in properties)
            if (p.Type is MqttPropertyType.Byte or MqttPropertyType.TwoByteInteger or MqttPropertyType.FourByteInteger or MqttPropertyType.VariableByteInteger) d[p.Id] = p.Number;
        return d;
    }

    private static Dictionary<MqttPropertyId, string> Strings(in MqttProperties properties)
    {
        var d = new Dictionary<MqttPropertyId, string>();
        foreach (var p in properties)
            if (p.Type is MqttPropertyType.Utf8String or MqttPropertyType.BinaryData) d[p.Id] = MqttUtf8.GetString(p.Value);
            else if (p.Type == MqttPropertyType.Utf8StringPair) d[p.Id] = MqttUtf8.GetString(p.Name) + "=" + MqttUtf8.GetString(p.Value);
        return d;
    }

    /// <summary>Drops the TCP connection without DISCONNECT (an abnormal end: the will fires).</summary>
    public void Drop()
    {
        _tcp?.Client.Close(0);
        _stream.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        try { _stream.Dispose(); } catch (Exception) { }
        _tcp?.Dispose();
        if (_readLoop is not null) await _readLoop.WaitAsync(Wait).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }
}
