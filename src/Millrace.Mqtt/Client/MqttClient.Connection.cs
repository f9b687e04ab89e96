using System.Buffers;
using System.Text;
using Millrace.Mqtt.Codec;
using Millrace.Mqtt.Packets;

namespace Millrace.Mqtt.Client;

// Connection lifecycle: connect and CONNACK, session resume, resend, loss, reconnection with backoff, keep-alive.
public sealed partial class MqttClient
{
    private async Task<MqttConnectResult> EstablishAsync(bool cleanStart, bool isReconnect, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_options.ConnectTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token, _stopping.Token);
        MqttTransport transport;
        try
        {
            transport = await MqttTransport.ConnectAsync(_options, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new MqttClientException($"Could not connect to {_options.Host}:{_options.Port} within {_options.ConnectTimeout}.");
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or IOException or System.Security.Authentication.AuthenticationException)
        {
            throw new MqttClientException($"Could not connect to {_options.Host}:{_options.Port}: {e.Message}", e);
        }

        MqttConnection connection;
        MqttConnectResult result;
        try
        {
            var reader = new MqttPacketReader(MqttDecoderOptions.ForClient(_options.ProtocolVersion) with
            {
                MaximumPacketSize = _options.MaximumPacketSize, TopicAliasMaximum = _options.ReceiveTopicAliasMaximum,
            });
            await using (var lease = await transport.LockAsync(linked.Token).ConfigureAwait(false))
                WriteConnect(lease.Output, cleanStart);
            (connection, result) = await ReadConnAckAsync(transport, reader, linked.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            await transport.DisposeAsync().ConfigureAwait(false);
            if (e is OperationCanceledException && timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                throw new MqttClientException($"No CONNACK from {_options.Host}:{_options.Port} within {_options.ConnectTimeout}.");
            if (e is MqttProtocolException p) throw new MqttClientException($"The server broke the protocol during connect: {p.Message}", p);
            if (e is IOException or MqttClientException and not MqttConnectException)
                throw new MqttClientException($"The connection to {_options.Host}:{_options.Port} failed before CONNACK: {e.Message}", e);
            throw;
        }

        lock (_sync)
        {
            if (_state == State.Closed)
            {
                _ = transport.DisposeAsync();
                throw new MqttClientException("The client was disconnected while connecting.");
            }
            if (!result.SessionPresent) StartNewSessionLocked();
            _clientId = result.ClientId;
            _connection = connection;
        }
        lock (_sync) _inflightLimit = _options.InflightLimit(result.ServerReceiveMaximum);
        connection.SendAliases.Reset(connection.IsV5 ? Math.Min(_options.SendTopicAliasMaximum, result.ServerTopicAliasMaximum) : (ushort)0);
        connection.ReadLoop = Task.Run(() => ReadLoopAsync(connection), CancellationToken.None);

        if (isReconnect && !result.SessionPresent) RenewSubscriptions();
        await ResendAsync(connection, result.SessionPresent).ConfigureAwait(false);
        await PumpAsync(connection).ConfigureAwait(false); // publications that waited for the window or the connection
        _ = Task.Run(() => KeepAliveLoopAsync(connection), CancellationToken.None);
        LastReconnectError = null;
        Raise(Connected, new MqttConnectedEventArgs(result.SessionPresent, isReconnect));
        return result;
    }

    private void WriteConnect(IBufferWriter<byte> output, bool cleanStart)
    {
        bool v5 = _options.ProtocolVersion == MqttProtocolVersion.V500;
        var properties = new MqttPropertiesBuilder();
        var willProperties = new MqttPropertiesBuilder();
        if (v5)
        {
            if (_options.SessionExpiryInterval != 0) properties.Add(MqttPropertyId.SessionExpiryInterval, _options.SessionExpiryInterval);
            if (_options.ReceiveMaximum != ushort.MaxValue) properties.Add(MqttPropertyId.ReceiveMaximum, _options.ReceiveMaximum);
            properties.Add(MqttPropertyId.MaximumPacketSize, (uint)_options.MaximumPacketSize);
            if (_options.ReceiveTopicAliasMaximum != 0) properties.Add(MqttPropertyId.TopicAliasMaximum, _options.ReceiveTopicAliasMaximum);
            if (_options.Will is { DelayInterval: > 0 } w) willProperties.Add(MqttPropertyId.WillDelayInterval, w.DelayInterval);
        }
        var will = _options.Will;
        var packet = new MqttConnectPacket
        {
            ProtocolVersion = _options.ProtocolVersion,
            CleanStart = cleanStart,
            KeepAlive = _options.KeepAliveSeconds,
            Properties = properties.Build(),
            ClientId = Utf8(ClientId),
            HasWill = will is not null,
            WillQoS = will?.QoS ?? MqttQualityOfService.AtMostOnce,
            WillRetain = will?.Retain ?? false,
            WillProperties = willProperties.Build(),
            WillTopic = will is null ? default : Utf8(will.Topic),
            WillPayload = will is null ? default : new ReadOnlySequence<byte>(will.Payload),
            HasUserName = _options.UserName is not null,
            UserName = _options.UserName is null ? default : Utf8(_options.UserName),
            HasPassword = _options.Password is not null,
            Password = _options.Password is { } pw ? new ReadOnlySequence<byte>(pw) : default,
        };
        MqttPacketWriter.WriteConnect(output, packet);
    }

    private static ReadOnlySequence<byte> Utf8(string s) => new(Encoding.UTF8.GetBytes(s));

    private async Task<(MqttConnection, MqttConnectResult)> ReadConnAckAsync(MqttTransport transport, MqttPacketReader reader, CancellationToken cancellationToken)
    {
        var input = transport.Input;
        while (true)
        {
            var read = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = read.Buffer;
            if (reader.TryReadPacket(ref buffer, out var packet))
            {
                if (packet.Type != MqttPacketType.ConnAck)
                    throw new MqttClientException($"The server started enhanced authentication ({packet.Type}), which this client does not support.");
                var ack = packet.AsConnAck();
                var p = ack.Properties;
                string? reasonString = p.GetString(MqttPropertyId.ReasonString);
                if (ack.ReasonCode != MqttReasonCode.Success)
                {
                    input.AdvanceTo(buffer.Start, buffer.End);
                    throw new MqttConnectException(ack.ReasonCode, reasonString);
                }
                var keepAlive = p.GetNumber(MqttPropertyId.ServerKeepAlive) is { } ska ? TimeSpan.FromSeconds(ska) : _options.KeepAlive;
                var result = new MqttConnectResult
                {
                    SessionPresent = ack.SessionPresent,
                    ClientId = p.GetString(MqttPropertyId.AssignedClientIdentifier) ?? ClientId,
                    ServerReceiveMaximum = (ushort)(p.GetNumber(MqttPropertyId.ReceiveMaximum) ?? ushort.MaxValue),
                    ServerTopicAliasMaximum = (ushort)(p.GetNumber(MqttPropertyId.TopicAliasMaximum) ?? 0),
                    MaximumQoS = (MqttQualityOfService)(p.GetNumber(MqttPropertyId.MaximumQoS) ?? 2),
                    RetainAvailable = (p.GetNumber(MqttPropertyId.RetainAvailable) ?? 1) == 1,
                    KeepAlive = keepAlive,
                };
                var connection = new MqttConnection(transport, reader, _options.ProtocolVersion)
                {
                    KeepAlive = keepAlive,
                    ServerMaximumPacketSize = p.GetNumber(MqttPropertyId.MaximumPacketSize) is { } mps ? (int)Math.Min(mps, int.MaxValue) : MqttPacketWriter.Unlimited,
                    ReceiveAliases = _options.ReceiveTopicAliasMaximum > 0 ? new MqttTopicAliasMap(_options.ReceiveTopicAliasMaximum) : null,
                    LastReceiveTimestamp = _time.GetTimestamp(),
                };
                input.AdvanceTo(buffer.Start); // anything after CONNACK stays for the read loop
                return (connection, result);
            }
            input.AdvanceTo(buffer.Start, buffer.End);
            if (read.IsCompleted) throw new MqttClientException("The server closed the connection before CONNACK.");
        }
    }

    /// <summary>The server has no session for us: what the old one promised is void [MQTT-4.1.0-1].</summary>
    private void StartNewSessionLocked()
    {
        _sessionEpoch++;
        Array.Clear(_inboundQoS2);
        List<MqttOutboundPublish> completed = [];
        foreach (var (id, p) in _outbound)
        {
            if (p.Released) completed.Add(p); // PUBREC came: the server had taken responsibility for it
            p.Sent = false;                       // otherwise it is sent again as a new publication
            p.SentOn = null;
        }
        foreach (var p in completed)
        {
            _outbound.Remove(p.PacketIdentifier);
            _ids.Release(p.PacketIdentifier);
            _inflight--;
            p.Completion.TrySetResult(new MqttPublishResult(MqttReasonCode.Success));
        }
        foreach (var r in _requests.Values) r.SentOn = null;
    }

    /// <summary>The new session has no subscriptions: ask again for every one we hold (unless a request is already pending).</summary>
    private void RenewSubscriptions()
    {
        lock (_sync)
        {
            if (_subscriptions.Count == 0) return;
            var request = MqttPendingRequest.Subscribe([.. _subscriptions.Values]);
            request.PacketIdentifier = _ids.Allocate();
            if (request.PacketIdentifier == 0) return;
            _requests[request.PacketIdentifier] = request;
        }
    }

    /// <summary>
    /// Sends every publication and request not yet written on <paramref name="connection"/>, in original order, until none
    /// is left; then the connection becomes ready for new traffic. Repeating the scan under the lock closes the race with
    /// publications registered meanwhile.
    /// </summary>
    private async Task ResendAsync(MqttConnection connection, bool sessionPresent)
    {
        while (true)
        {
            List<MqttOutboundPublish> publishes = [];
            List<MqttPendingRequest> requests = [];
            lock (_sync)
            {
                if (_connection != connection) return;
                foreach (var p in _outbound.Values)
                    if (p.SentOn != connection) { p.SentOn = connection; publishes.Add(p); }
                foreach (var r in _requests.Values)
                    if (r.SentOn != connection) { r.SentOn = connection; requests.Add(r); }
                if (publishes.Count == 0 && requests.Count == 0)
                {
                    _readyConnection = connection;
                    _ready.TrySetResult();
                    return;
                }
            }
            publishes.Sort((a, b) => a.Sequence.CompareTo(b.Sequence));
            try
            {
                foreach (var p in publishes)
                {
                    if (p.Released) await SendResponseAsync(connection, MqttPacketType.PubRel, p.PacketIdentifier, MqttReasonCode.Success).ConfigureAwait(false);
                    else await SendPublishAsync(connection, p, duplicate: sessionPresent && p.Sent).ConfigureAwait(false);
                }
                foreach (var r in requests) await SendRequestAsync(connection, r).ConfigureAwait(false);
            }
            catch (MqttClientException)
            {
                return; // lost again: the read loop reports it and the next connection resends
            }
        }
    }

    private async Task OnConnectionLostAsync(MqttConnection connection, Exception? error, MqttReasonCode? serverReason)
    {
        bool reconnect;
        lock (_sync)
        {
            if (_connection != connection) return;
            _connection = null;
            _readyConnection = null;
            if (_ready.Task.IsCompleted) _ready = NewSignal();
            reconnect = _state != State.Closed && _options.Reconnect.Enabled;
            if (!reconnect && _state != State.Closed) _state = State.Closed;
        }
        await connection.Transport.DisposeAsync().ConfigureAwait(false);
        if (!reconnect && !_stopping.IsCancellationRequested)
        {
            var reason = new MqttClientException("The connection was lost and reconnection is disabled.", error);
            FailSession(reason);
            _inbound.Writer.TryComplete(reason);
        }
        Raise(Disconnected, new MqttDisconnectedEventArgs(error, serverReason, reconnect));
        if (reconnect) _ = Task.Run(ReconnectLoopAsync, CancellationToken.None);
    }

    private async Task ReconnectLoopAsync()
    {
        bool cleanStart = !_options.SessionOutlivesConnection && _options.CleanStart;
        for (int attempt = 0; !_stopping.IsCancellationRequested; attempt++)
        {
            try
            {
                await Task.Delay(_options.Reconnect.GetDelay(attempt, Random.Shared.NextDouble()), _time, _stopping.Token).ConfigureAwait(false);
                await EstablishAsync(cleanStart, isReconnect: true, _stopping.Token).ConfigureAwait(false);
                return;
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LastReconnectError = e;
            }
        }
    }

    /// <summary>
    /// Sends PINGREQ when nothing was sent for half the keep-alive (or nothing received for a whole one), and drops the
    /// connection when PINGRESP does not come within the ping timeout — unless the read loop is itself waiting for the
    /// consumer, in which case the server's silence is our doing.
    /// </summary>
    private async Task KeepAliveLoopAsync(MqttConnection connection)
    {
        var keepAlive = connection.KeepAlive;
        if (keepAlive <= TimeSpan.Zero) return;
        var pingTimeout = _options.PingTimeout ?? keepAlive;
        var tick = TimeSpan.FromMilliseconds(Math.Max(50, keepAlive.TotalMilliseconds / 8));
        var closed = connection.Transport.Closed;
        try
        {
            while (!closed.IsCancellationRequested)
            {
                await Task.Delay(tick, _time, closed).ConfigureAwait(false);
                long now = _time.GetTimestamp();
                long pingSentAt = Interlocked.Read(ref connection.PingSentAt);
                if (pingSentAt != 0)
                {
                    if (_time.GetElapsedTime(pingSentAt, now) >= pingTimeout && !connection.ReaderStalled)
                    {
                        connection.Transport.Abort(new MqttClientException($"Keep-alive timeout: no PINGRESP within {pingTimeout}."));
                        return;
                    }
                    continue;
                }
                bool idleSend = _time.GetElapsedTime(connection.Transport.LastSendTimestamp, now) >= keepAlive / 2;
                bool idleReceive = _time.GetElapsedTime(Interlocked.Read(ref connection.LastReceiveTimestamp), now) >= keepAlive;
                if (!idleSend && !idleReceive) continue;
                Interlocked.Exchange(ref connection.PingSentAt, now);
                await using var lease = await connection.Transport.LockAsync(closed).ConfigureAwait(false);
                MqttPacketWriter.WritePingReq(lease.Output);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or MqttClientException)
        {
            // The connection closed; the read loop reports it.
        }
    }
}
