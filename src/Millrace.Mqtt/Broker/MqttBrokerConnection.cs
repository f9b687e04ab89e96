using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Net;
using System.Threading.Channels;
using Millrace.Mqtt.Codec;
using Millrace.Mqtt.Packets;

namespace Millrace.Mqtt.Broker;

/// <summary>
/// One client connection: a read loop (pipe → codec → packet handlers, on one task) and a write loop (the only user of
/// the output pipe) that sends control packets and drains the session's queue, flushing once per batch. Packet
/// handling is in <c>MqttBrokerConnection.Packets.cs</c>.
/// </summary>
internal sealed partial class MqttBrokerConnection
{
    private const int WriteBudget = 64 * 1024; // bytes encoded per flush: batches small messages, bounds latency
    private readonly MqttBroker _broker;
    private readonly Stream _stream;
    private readonly PipeReader _input;
    private readonly PipeWriter _output;
    private readonly MqttPacketReader _reader;
    private readonly CancellationTokenSource _cts = new();
    private readonly Channel<bool> _signal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
        { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private readonly ArrayBufferWriter<byte> _control = new(256);
    private readonly Lock _controlLock = new();
    private byte[] _propertyScratch = new byte[256];
    private long _lastActivity;
    private volatile bool _closeAfterFlush;
    private int _closed;
    private long _readSinceYield;

    public MqttBrokerConnection(MqttBroker broker, Stream stream, EndPoint? remote)
    {
        _broker = broker;
        _stream = stream;
        RemoteEndPoint = remote;
        _input = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 16 * 1024, minimumReadSize: 4096, leaveOpen: true));
        _output = PipeWriter.Create(stream, new StreamPipeWriterOptions(minimumBufferSize: 16 * 1024, leaveOpen: true));
        _reader = new MqttPacketReader(MqttDecoderOptions.Server with
        {
            MaximumPacketSize = broker.Options.MaximumPacketSize,
            TopicAliasMaximum = broker.Options.TopicAliasMaximum,
        });
        AcceptedAt = _lastActivity = broker.Options.TimeProvider.GetTimestamp();
    }

    public EndPoint? RemoteEndPoint { get; }
    public MqttConnectionState State { get; private set; } = MqttConnectionState.AwaitingConnect;
    public MqttProtocolVersion Version { get; private set; }
    public string ClientId { get; private set; } = "";
    public MqttSession? Session { get; private set; }
    public long AcceptedAt { get; }
    public long LastActivity => Volatile.Read(ref _lastActivity);
    public ushort KeepAlive { get; private set; }

    /// <summary>Runs the connection to its end; never throws.</summary>
    public async Task RunAsync()
    {
        Task? writer = null;
        try
        {
            writer = await ReadLoopAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException or System.Net.Sockets.SocketException
            or InvalidOperationException or System.Security.Authentication.AuthenticationException)
        {
            // the peer went away or we closed it
        }
        catch (Exception e)
        {
            _broker.ReportError($"connection {ClientId} ({RemoteEndPoint}): {e}");
        }
        finally
        {
            // A DISCONNECT we are sending goes out first (bounded: a stalled peer is cut off after 2 s).
            if (writer is not null && _closeAfterFlush) await Task.WhenAny(writer, Task.Delay(TimeSpan.FromSeconds(2))).ConfigureAwait(false);
            Abort();
            if (writer is not null) await writer.ConfigureAwait(false);
            await CloseAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Wakes the writer (new message queued, window opened, control packet added).</summary>
    public void Signal() => _signal.Writer.TryWrite(true);

    /// <summary>Stops both loops at once; the close path then detaches the session and handles the will.</summary>
    public void Abort()
    {
        if (!_cts.IsCancellationRequested)
        {
            try { _cts.Cancel(); } catch (ObjectDisposedException) { }
        }
    }

    /// <summary>Sends DISCONNECT with <paramref name="reason"/> (5.0 only; 3.1.1 just closes) and closes.</summary>
    public void CloseWith(MqttReasonCode reason)
    {
        if (State == MqttConnectionState.Connected && Version == MqttProtocolVersion.V500)
        {
            lock (_controlLock) MqttPacketWriter.WriteDisconnect(_control, Version, new MqttDisconnectPacket { ReasonCode = reason });
            State = MqttConnectionState.Disconnecting;
            _closeAfterFlush = true;
            Signal();
            // Give the writer a moment to send it; a stalled socket must not keep us.
            _ = Task.Delay(TimeSpan.FromSeconds(2)).ContinueWith(_ => Abort(), TaskScheduler.Default);
        }
        else
        {
            Abort();
        }
    }

    private async Task<Task?> ReadLoopAsync()
    {
        Task? writer = null;
        var token = _cts.Token;
        while (true)
        {
            var result = await _input.ReadAsync(token).ConfigureAwait(false);
            var buffer = result.Buffer;
            long before = buffer.Length;
            bool keepGoing = true;
            try
            {
                while (keepGoing && _reader.TryReadPacket(ref buffer, out var packet))
                {
                    if (packet.Type == MqttPacketType.Connect)
                    {
                        keepGoing = await HandleConnectAsync(packet).ConfigureAwait(false);
                        if (keepGoing) writer = WriteLoopAsync();
                    }
                    else
                    {
                        keepGoing = HandlePacket(packet);
                    }
                }
            }
            catch (MqttProtocolException e)
            {
                await FailAsync(e).ConfigureAwait(false);
                return writer;
            }
            finally
            {
                _input.AdvanceTo(buffer.Start, buffer.End);
            }
            _broker.Metrics.BytesIn(before - buffer.Length);
            Volatile.Write(ref _lastActivity, _broker.Options.TimeProvider.GetTimestamp());
            if (!keepGoing || result.IsCompleted || State >= MqttConnectionState.Disconnecting) return writer;
            // Fairness: a publisher that never pauses would otherwise keep this thread-pool thread forever (its reads
            // complete synchronously) and starve the subscribers' write loops on a small machine.
            if ((_readSinceYield += before - buffer.Length) > 64 * 1024)
            {
                _readSinceYield = 0;
                await Task.Yield();
            }
        }
    }

    private async Task WriteLoopAsync()
    {
        var token = _cts.Token;
        try
        {
            while (await _signal.Reader.WaitToReadAsync(token).ConfigureAwait(false))
            {
                _signal.Reader.TryRead(out _);
                bool more;
                do
                {
                    int budget = WriteBudget;
                    long sent = 0;
                    var session = Session;
                    if (session is not null) more = session.Drain(this, ref budget, ref sent);
                    else
                    {
                        CopyControl(ref budget);
                        more = false;
                    }
                    long bytes = _output.UnflushedBytes;
                    if (bytes > 0) await _output.FlushAsync(token).ConfigureAwait(false);
                    _broker.Metrics.BytesOut(bytes);
                    _broker.Metrics.Sent(sent);
                    if (_closeAfterFlush)
                    {
                        // CloseWith may have queued its DISCONNECT after this pass copied the control packets (it
                        // writes the packet before raising the flag), so copy and flush once more before closing.
                        int last = WriteBudget;
                        CopyControl(ref last);
                        if (_output.UnflushedBytes > 0) await _output.FlushAsync(token).ConfigureAwait(false);
                        Abort();
                        return;
                    }
                }
                while (more && !token.IsCancellationRequested);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            // closing
        }
        finally
        {
            Abort();
        }
    }

    /// <summary>Moves pending control packets into the output pipe (writer only).</summary>
    public int CopyControl(ref int budget)
    {
        lock (_controlLock)
        {
            int n = _control.WrittenCount;
            if (n == 0) return 0;
            _output.Write(_control.WrittenSpan);
            _control.ResetWrittenCount();
            budget -= n;
            return n;
        }
    }

    private void WriteControl(MqttPacketType type, ushort packetId, MqttReasonCode code = MqttReasonCode.Success)
    {
        lock (_controlLock)
            MqttPacketWriter.WritePublishResponse(_control, Version, new MqttPublishResponsePacket { Type = type, PacketIdentifier = packetId, ReasonCode = code });
        Signal();
    }

    /// <summary>Writes PUBREL (resend after reconnect) straight to the output; caller holds the session lock.</summary>
    public int WriteResponseLocked(MqttPacketType type, ushort packetId)
        => MqttPacketWriter.WritePublishResponse(_output, Version, new MqttPublishResponsePacket { Type = type, PacketIdentifier = packetId });

    /// <summary>Encodes one PUBLISH into the output (writer only, session lock held). Returns 0 when it exceeds
    /// the client's Maximum Packet Size.</summary>
    public int WritePublishLocked(in MqttDelivery d, bool duplicate, DateTimeOffset now)
    {
        var message = d.Message;
        var properties = default(MqttProperties);
        if (Version == MqttProtocolVersion.V500)
        {
            var forwarded = message.EncodedProperties;
            bool expiry = message.ExpiresAt is not null;
            if (!expiry && d.SubscriptionIdentifier == 0)
            {
                if (!forwarded.IsEmpty) properties = new MqttProperties(new ReadOnlySequence<byte>(forwarded));
            }
            else
            {
                properties = BuildProperties(forwarded.Span, d, expiry ? message.ExpiresAt!.Value - now : TimeSpan.Zero, expiry);
            }
        }
        var packet = new MqttPublishPacket
        {
            Topic = message.TopicSequence, Payload = message.PayloadSequence, QoS = d.QoS, Retain = d.Retain,
            Duplicate = duplicate && d.QoS > 0, PacketIdentifier = d.QoS > 0 ? d.PacketIdentifier : (ushort)0, Properties = properties,
        };
        return MqttPacketWriter.WritePublish(_output, Version, packet, ClientMaximumPacketSize);
    }

    private MqttProperties BuildProperties(ReadOnlySpan<byte> forwarded, in MqttDelivery d, TimeSpan remaining, bool expiry)
    {
        int needed = forwarded.Length + 5 + 5 * (1 + (d.MoreSubscriptionIdentifiers?.Length ?? 0));
        if (_propertyScratch.Length < needed) _propertyScratch = new byte[Math.Max(needed, _propertyScratch.Length * 2)];
        var span = _propertyScratch.AsSpan();
        forwarded.CopyTo(span);
        int n = forwarded.Length;
        if (expiry)
        {
            span[n++] = (byte)MqttPropertyId.MessageExpiryInterval;
            BinaryPrimitives.WriteUInt32BigEndian(span[n..], (uint)Math.Max(0, Math.Ceiling(remaining.TotalSeconds))); // [MQTT-3.3.2-6]
            n += 4;
        }
        if (d.SubscriptionIdentifier != 0)
        {
            span[n++] = (byte)MqttPropertyId.SubscriptionIdentifier;
            n += VariableByteInteger.Write(span[n..], d.SubscriptionIdentifier);
            foreach (var id in d.MoreSubscriptionIdentifiers ?? [])
            {
                span[n++] = (byte)MqttPropertyId.SubscriptionIdentifier;
                n += VariableByteInteger.Write(span[n..], id);
            }
        }
        return new MqttProperties(new ReadOnlySequence<byte>(_propertyScratch, 0, n));
    }

    private async Task FailAsync(MqttProtocolException e)
    {
        // 5.0: CONNACK (while connecting) or DISCONNECT with the reason code; 3.1.1: CONNACK 0x01 for a bad level, else close.
        try
        {
            if (State == MqttConnectionState.AwaitingConnect)
            {
                if (e.ReasonCode == MqttReasonCode.UnsupportedProtocolVersion)
                    MqttPacketWriter.WriteConnAck(_output, MqttProtocolVersion.V311, new MqttConnAckPacket { ReturnCode = MqttConnectReturnCode.UnacceptableProtocolVersion });
                else if (e.ProtocolVersion == MqttProtocolVersion.V500)
                    MqttPacketWriter.WriteConnAck(_output, MqttProtocolVersion.V500, new MqttConnAckPacket { ReasonCode = e.ReasonCode });
                _broker.Metrics.Refused(e.ReasonCode);
                await FlushDirectAsync().ConfigureAwait(false);
            }
            else if (State == MqttConnectionState.Connected && Version == MqttProtocolVersion.V500)
            {
                CloseWith(e.ReasonCode);
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException or InvalidOperationException or ArgumentException)
        {
        }
        if (State != MqttConnectionState.Disconnecting) Abort(); // else the writer sends the DISCONNECT, then aborts
    }

    private async Task FlushDirectAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _output.FlushAsync(timeout.Token).ConfigureAwait(false);
    }

    private async Task CloseAsync()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0) return;
        var previous = State;
        State = MqttConnectionState.Closed;
        try { await _input.CompleteAsync().ConfigureAwait(false); } catch (Exception) { }
        try { await _output.CompleteAsync().ConfigureAwait(false); } catch (Exception) { }
        try { await _stream.DisposeAsync().ConfigureAwait(false); } catch (Exception) { }
        _broker.OnConnectionClosed(this, previous, _gracefulDisconnect);
        _cts.Dispose();
    }
}
