using System.Buffers;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Millrace.Mqtt.Codec;
using Millrace.Mqtt.Packets;

namespace Millrace.Mqtt.Client;

// The read loop, inbound QoS flows, and delivery to the consumer with acknowledgement on take.
public sealed partial class MqttClient
{
    /// <summary>
    /// Received application messages, in order. A QoS 1/2 message is acknowledged (PUBACK/PUBREC) only when the
    /// consumer takes it from the queue, so a slow consumer holds the server back through its in-flight window
    /// (<see cref="MqttClientOptions.ReceiveMaximum"/>) instead of losing messages. Ends after <see cref="DisconnectAsync"/>
    /// (or throws <see cref="MqttClientException"/> when the connection is lost with reconnection disabled).
    /// </summary>
    public IAsyncEnumerable<MqttMessage> Messages => ReadMessagesAsync();

    /// <summary>Same as <see cref="Messages"/>, with a cancellation token.</summary>
    public async IAsyncEnumerable<MqttMessage> ReadMessagesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var reader = _inbound.Reader;
        while (await WaitToReadAsync(reader, cancellationToken).ConfigureAwait(false))
        {
            while (reader.TryRead(out var message))
            {
                await AcknowledgeAsync(message).ConfigureAwait(false);
                yield return message;
            }
        }
    }

    /// <summary>Takes the next message (acknowledging it), waiting until one arrives.</summary>
    /// <exception cref="MqttClientException">The client is closed and the queue is empty.</exception>
    public async ValueTask<MqttMessage> ReceiveAsync(CancellationToken cancellationToken = default)
    {
        var reader = _inbound.Reader;
        while (await WaitToReadAsync(reader, cancellationToken).ConfigureAwait(false))
        {
            if (reader.TryRead(out var message))
            {
                await AcknowledgeAsync(message).ConfigureAwait(false);
                return message;
            }
        }
        throw new MqttClientException("The client is closed and no message is left.");
    }

    private static async ValueTask<bool> WaitToReadAsync(ChannelReader<MqttMessage> reader, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException e) when (e.InnerException is MqttClientException inner)
        {
            throw new MqttClientException(inner.Message, inner.InnerException);
        }
    }

    private async ValueTask AcknowledgeAsync(MqttMessage message)
    {
        if (message.QoS == MqttQualityOfService.AtMostOnce) return;
        Interlocked.Decrement(ref _unacknowledgedInbound);
        MqttConnection? connection;
        lock (_sync)
        {
            if (message.SessionEpoch != _sessionEpoch) return; // that session is gone, and its packet identifiers with it
            if (message.QoS == MqttQualityOfService.ExactlyOnce) _inboundQoS2[message.PacketIdentifier] = Received;
            connection = _connection;
        }
        // Without a connection the server resends after resuming (QoS 1: a duplicate; QoS 2: answered with PUBREC).
        if (connection is null) return;
        var type = message.QoS == MqttQualityOfService.AtLeastOnce ? MqttPacketType.PubAck : MqttPacketType.PubRec;
        try
        {
            await SendResponseAsync(connection, type, message.PacketIdentifier, MqttReasonCode.Success).ConfigureAwait(false);
        }
        catch (MqttClientException)
        {
            // Lost meanwhile: as above.
        }
    }

    private async Task ReadLoopAsync(MqttConnection connection)
    {
        var input = connection.Transport.Input;
        var closed = connection.Transport.Closed;
        Exception? error = null;
        MqttReasonCode? serverReason = null;
        try
        {
            while (serverReason is null)
            {
                var read = await input.ReadAsync(closed).ConfigureAwait(false);
                var buffer = read.Buffer;
                try
                {
                    while (serverReason is null && connection.Reader.TryReadPacket(ref buffer, out var packet))
                    {
                        Interlocked.Exchange(ref connection.LastReceiveTimestamp, _time.GetTimestamp());
                        serverReason = await HandlePacketAsync(connection, packet).ConfigureAwait(false);
                    }
                }
                catch (MqttProtocolException e)
                {
                    error = new MqttClientException($"The server broke the protocol: {e.Message}", e);
                    await TrySendDisconnectAsync(connection, e.ReasonCode).ConfigureAwait(false);
                    break;
                }
                input.AdvanceTo(buffer.Start, buffer.End);
                if (read.IsCompleted)
                {
                    error = new MqttClientException("The server closed the connection.");
                    break;
                }
            }
            if (serverReason is { } reason)
                error = new MqttClientException($"The server disconnected: {reason} (0x{(byte)reason:X2}).");
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException
                                      or System.Net.Sockets.SocketException or ChannelClosedException or MqttClientException)
        {
            error = connection.Transport.WriteFailure ?? (e is OperationCanceledException ? new MqttClientException("The connection was closed.") : e);
        }
        await input.CompleteAsync().ConfigureAwait(false);
        connection.Transport.Abort(error);
        await OnConnectionLostAsync(connection, error, serverReason).ConfigureAwait(false);
    }

    /// <summary>Handles one packet; returns the reason code when the server sent DISCONNECT.</summary>
    private async ValueTask<MqttReasonCode?> HandlePacketAsync(MqttConnection connection, MqttPacket packet)
    {
        switch (packet.Type)
        {
            case MqttPacketType.Publish:
                await ReceivePublishAsync(connection, packet.AsPublish()).ConfigureAwait(false);
                break;
            case MqttPacketType.PubAck or MqttPacketType.PubRec or MqttPacketType.PubComp:
                await CompleteOutboundAsync(connection, packet.AsPublishResponse()).ConfigureAwait(false);
                break;
            case MqttPacketType.PubRel:
                ushort id = packet.AsPublishResponse().PacketIdentifier;
                lock (_sync) _inboundQoS2[id] = 0; // released: the same identifier may now carry a new message
                await SendResponseAsync(connection, MqttPacketType.PubComp, id, MqttReasonCode.Success).ConfigureAwait(false);
                break;
            case MqttPacketType.SubAck:
                var subAck = packet.AsSubAck();
                CompleteRequest(subAck.PacketIdentifier, subAck.GetReasonCodes());
                break;
            case MqttPacketType.UnsubAck:
                var unsubAck = packet.AsUnsubAck();
                CompleteRequest(unsubAck.PacketIdentifier, connection.IsV5 ? unsubAck.GetReasonCodes() : null);
                break;
            case MqttPacketType.PingResp:
                Interlocked.Exchange(ref connection.PingSentAt, 0);
                Interlocked.Increment(ref _pingResponses);
                break;
            case MqttPacketType.Disconnect:
                return packet.AsDisconnect().ReasonCode;
            case MqttPacketType.Auth:
                throw MqttProtocolException.Protocol("§4.12", "AUTH received, but this client never asked for enhanced authentication");
        }
        return null;
    }

    private async ValueTask ReceivePublishAsync(MqttConnection connection, MqttPublishPacket publish)
    {
        var topicBytes = connection.ReceiveAliases?.Resolve(publish) ?? publish.Topic;
        string topic = connection.GetTopic(topicBytes);
        ushort id = publish.PacketIdentifier;
        long epoch;
        lock (_sync)
        {
            epoch = _sessionEpoch;
            if (publish.QoS == MqttQualityOfService.ExactlyOnce)
            {
                byte state = _inboundQoS2[id];
                if (state == Queued) return; // a resend of a message the consumer has not taken yet
                if (state == Received) goto pubrec; // delivered already: only our PUBREC was lost
                _inboundQoS2[id] = Queued;
            }
        }

        // One copy out of the receive buffer: payload, then the property block.
        int payloadLength = (int)publish.Payload.Length;
        var data = new byte[payloadLength + publish.Properties.Length];
        publish.Payload.CopyTo(data);
        if (!publish.Properties.IsEmpty) publish.Properties.Encoded.CopyTo(data.AsSpan(payloadLength));
        var message = new MqttMessage(topic, data, payloadLength, publish.QoS, publish.Retain, publish.Duplicate, id, epoch);
        if (publish.QoS != MqttQualityOfService.AtMostOnce) Interlocked.Increment(ref _unacknowledgedInbound);
        if (!_inbound.Writer.TryWrite(message))
        {
            // Queue full: stop reading (TCP pushes back on the server) until the consumer catches up. Never drop.
            connection.ReaderStalled = true;
            try
            {
                await _inbound.Writer.WriteAsync(message, connection.Transport.Closed).ConfigureAwait(false);
            }
            finally
            {
                connection.ReaderStalled = false;
            }
        }
        return;

    pubrec:
        await SendResponseAsync(connection, MqttPacketType.PubRec, id, MqttReasonCode.Success).ConfigureAwait(false);
    }

    private void CompleteRequest(ushort packetIdentifier, MqttReasonCode[]? codes)
    {
        MqttPendingRequest? request;
        lock (_sync)
        {
            if (!_requests.Remove(packetIdentifier, out request)) return;
            _ids.Release(packetIdentifier);
            codes ??= new MqttReasonCode[request.Filters.Length]; // 3.1.1 UNSUBACK carries no codes: success
            for (int i = 0; i < request.Filters.Length && i < codes.Length; i++)
            {
                if (request.Subscriptions is { } subs)
                {
                    if ((byte)codes[i] < 0x80) _subscriptions[subs[i].Filter] = subs[i];
                }
                else if (codes[i] is MqttReasonCode.Success or MqttReasonCode.NoSubscriptionExisted)
                {
                    _subscriptions.Remove(request.Filters[i]);
                }
            }
        }
        if (codes.Length != request.Filters.Length)
            request.Completion.TrySetException(new MqttClientException($"The server answered {request.Filters.Length} Topic Filters with {codes.Length} reason codes."));
        else
            request.Completion.TrySetResult(codes);
    }

    private async ValueTask TrySendDisconnectAsync(MqttConnection connection, MqttReasonCode reason)
    {
        if (!connection.IsV5) return;
        try
        {
            await using var lease = await connection.Transport.LockAsync().ConfigureAwait(false);
            MqttPacketWriter.WriteDisconnect(lease.Output, connection.Version, new MqttDisconnectPacket { ReasonCode = reason });
        }
        catch (Exception e) when (e is MqttClientException or ArgumentException)
        {
            // Best effort before closing.
        }
    }
}
