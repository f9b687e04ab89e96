using System.Buffers;
using System.Text;
using Millrace.Mqtt.Codec;
using Millrace.Mqtt.Packets;
using Millrace.Mqtt.Topics;

namespace Millrace.Mqtt.Client;

// Publishing (QoS 0/1/2 flows, in-flight window, topic aliases), SUBSCRIBE and UNSUBSCRIBE.
public sealed partial class MqttClient
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    /// <summary>
    /// Publishes a message and returns when its flow completes: QoS 0 once handed to the connection, QoS 1 on PUBACK,
    /// QoS 2 on PUBCOMP. QoS 1/2 wait for a slot in the in-flight window, and are kept (copied) by the session until
    /// acknowledged, across reconnections; cancelling stops the wait, not the delivery. QoS 0 needs a connection.
    /// </summary>
    /// <exception cref="ArgumentException">Invalid topic or QoS, or the packet exceeds the server's Maximum Packet Size.</exception>
    /// <exception cref="MqttClientException">QoS 0 without a connection, or the client is closed.</exception>
    public async Task<MqttPublishResult> PublishAsync(string topic, ReadOnlyMemory<byte> payload, MqttQualityOfService qos = MqttQualityOfService.AtMostOnce,
        bool retain = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(topic);
        if ((int)qos > 2) throw new ArgumentException($"QoS must be 0, 1 or 2, got {(int)qos}.", nameof(qos));
        int topicLength = GetTopicByteCount(topic);
        if (qos == MqttQualityOfService.AtMostOnce)
        {
            await PublishAtMostOnceAsync(topic, topicLength, payload, retain, cancellationToken).ConfigureAwait(false);
            return new MqttPublishResult(MqttReasonCode.Success);
        }

        var data = new byte[topicLength + payload.Length];
        Encoding.UTF8.GetBytes(topic, data);
        payload.Span.CopyTo(data.AsSpan(topicLength));
        CheckSize(data.AsMemory(0, topicLength), payload, qos);
        var message = new MqttOutboundPublish(topic, data, topicLength, qos, retain);
        lock (_sync)
        {
            if (_state is State.Closed or State.New) throw NotOpen();
            message.Sequence = ++_sequence;
            _waiting.Enqueue(message);
        }
        await PumpAsync(Volatile.Read(ref _readyConnection)).ConfigureAwait(false);
        try
        {
            return await message.Completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            lock (_sync) if (message.PacketIdentifier == 0) message.Cancelled = true; // not sent yet: withdraw it
            throw;
        }
    }

    /// <summary>
    /// Moves waiting publications into the in-flight window and writes them, while slots are free. Everything happens
    /// under the connection's write lock, so the wire order is the order of the <see cref="PublishAsync"/> calls.
    /// Without a ready connection the publications keep waiting; the next connection pumps them.
    /// </summary>
    private async ValueTask PumpAsync(MqttConnection? connection)
    {
        if (connection is null) return;
        lock (_sync) if (_waiting.Count == 0 || _inflight >= _inflightLimit) return;
        MqttTransport.WriterLease lease;
        try
        {
            lease = await connection.Transport.LockAsync().ConfigureAwait(false);
        }
        catch (MqttClientException)
        {
            return;
        }
        await using (lease.ConfigureAwait(false))
        {
            while (TakeNextToSend(connection) is { } next)
                WritePublish(lease.Output, connection, next, duplicate: false);
        }
    }

    private MqttOutboundPublish? TakeNextToSend(MqttConnection connection)
    {
        lock (_sync)
        {
            if (connection != _readyConnection) return null;
            while (_inflight < _inflightLimit && _waiting.TryDequeue(out var message))
            {
                if (message.Cancelled)
                {
                    message.Completion.TrySetCanceled();
                    continue;
                }
                ushort id = _ids.Allocate();
                if (id == 0)
                {
                    message.Completion.TrySetException(new MqttClientException("All 65,535 Packet Identifiers are in use."));
                    continue;
                }
                message.PacketIdentifier = id;
                message.SentOn = connection;
                _outbound[id] = message;
                _inflight++;
                return message;
            }
            return null;
        }
    }

    private MqttClientException NotOpen() => new(_state == State.Closed ? "The client is closed." : "The client is not connected: call ConnectAsync first.");

    private static int GetTopicByteCount(string topic)
    {
        int count;
        try
        {
            count = StrictUtf8.GetByteCount(topic);
        }
        catch (EncoderFallbackException)
        {
            throw new ArgumentException("Topic is not valid UTF-8 (lone surrogate).", nameof(topic));
        }
        if (count is 0 or > MqttTopic.MaxLength || topic.AsSpan().IndexOfAny('+', '#', '\0') >= 0)
            throw new ArgumentException($"\"{topic}\" is not a valid Topic Name: 1..65,535 bytes, no '+', '#' or U+0000 [MQTT-3.3.2-2].", nameof(topic));
        return count;
    }

    private void CheckSize(ReadOnlyMemory<byte> topic, ReadOnlyMemory<byte> payload, MqttQualityOfService qos)
    {
        var connection = Volatile.Read(ref _connection);
        if (connection is null || connection.ServerMaximumPacketSize == MqttPacketWriter.Unlimited) return;
        var packet = new MqttPublishPacket
        {
            QoS = qos, Topic = new ReadOnlySequence<byte>(topic), PacketIdentifier = 1, Payload = new ReadOnlySequence<byte>(payload),
        };
        int size = MqttPacketWriter.GetPublishSize(connection.Version, packet);
        if (size > connection.ServerMaximumPacketSize)
            throw new ArgumentException($"The PUBLISH would be {size} bytes; the server accepts at most {connection.ServerMaximumPacketSize}.", nameof(payload));
    }

    private async Task PublishAtMostOnceAsync(string topic, int topicLength, ReadOnlyMemory<byte> payload, bool retain, CancellationToken cancellationToken)
    {
        var connection = Volatile.Read(ref _readyConnection) ?? throw (_state == State.Open
            ? new MqttClientException("Not connected (reconnecting): a QoS 0 message cannot wait for a connection.")
            : NotOpen());
        byte[] rented = ArrayPool<byte>.Shared.Rent(topicLength);
        try
        {
            Encoding.UTF8.GetBytes(topic, rented);
            await using var lease = await connection.Transport.LockAsync(cancellationToken).ConfigureAwait(false);
            bool sendTopic = true;
            var properties = connection.IsV5 ? connection.SendAliases.Choose(topic, out sendTopic) : default;
            var packet = new MqttPublishPacket
            {
                Retain = retain,
                Topic = sendTopic ? new ReadOnlySequence<byte>(rented, 0, topicLength) : default,
                Properties = properties,
                Payload = new ReadOnlySequence<byte>(payload),
            };
            if (MqttPacketWriter.WritePublish(lease.Output, connection.Version, packet, connection.ServerMaximumPacketSize) == 0)
                throw new ArgumentException($"The PUBLISH exceeds the server's Maximum Packet Size of {connection.ServerMaximumPacketSize} bytes.", nameof(payload));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private async ValueTask SendPublishAsync(MqttConnection connection, MqttOutboundPublish message, bool duplicate)
    {
        await using var lease = await connection.Transport.LockAsync().ConfigureAwait(false);
        WritePublish(lease.Output, connection, message, duplicate);
    }

    /// <summary>Encodes a QoS 1/2 PUBLISH; the caller holds the write lock (topic aliases are chosen in wire order).</summary>
    private void WritePublish(IBufferWriter<byte> output, MqttConnection connection, MqttOutboundPublish message, bool duplicate)
    {
        bool sendTopic = true;
        // A resend names its topic in full: aliases do not survive the connection it was first sent on.
        var properties = connection.IsV5 && !duplicate ? connection.SendAliases.Choose(message.Topic, out sendTopic) : default;
        var packet = new MqttPublishPacket
        {
            Duplicate = duplicate,
            QoS = message.QoS,
            Retain = message.Retain,
            Topic = sendTopic ? new ReadOnlySequence<byte>(message.TopicBytes) : default,
            PacketIdentifier = message.PacketIdentifier,
            Properties = properties,
            Payload = new ReadOnlySequence<byte>(message.Payload),
        };
        if (MqttPacketWriter.WritePublish(output, connection.Version, packet, connection.ServerMaximumPacketSize) == 0)
        {
            Abandon(message, new ArgumentException($"The PUBLISH exceeds the server's Maximum Packet Size of {connection.ServerMaximumPacketSize} bytes."));
            return;
        }
        message.Sent = true;
    }

    private void Abandon(MqttOutboundPublish message, Exception reason)
    {
        lock (_sync)
        {
            if (!_outbound.Remove(message.PacketIdentifier)) return;
            _ids.Release(message.PacketIdentifier);
            _inflight--;
        }
        message.Completion.TrySetException(reason);
    }

    private async ValueTask CompleteOutboundAsync(MqttConnection connection, MqttPublishResponsePacket response)
    {
        ushort id = response.PacketIdentifier;
        MqttOutboundPublish? message;
        bool done;
        lock (_sync)
        {
            if (!_outbound.TryGetValue(id, out message)) message = null;
            bool expected = message is not null && response.Type switch
            {
                MqttPacketType.PubAck => message.QoS == MqttQualityOfService.AtLeastOnce,
                MqttPacketType.PubRec => message.QoS == MqttQualityOfService.ExactlyOnce,
                _ => message.QoS == MqttQualityOfService.ExactlyOnce && message.Released,
            };
            if (!expected) message = null;
            // QoS 2 goes on to PUBREL unless PUBREC reports a failure [§4.3.3].
            done = message is not null && (response.Type != MqttPacketType.PubRec || (byte)response.ReasonCode >= 0x80);
            if (done)
            {
                _outbound.Remove(id);
                _ids.Release(id);
                _inflight--;
            }
            else if (message is not null)
            {
                message.Released = true;
            }
        }
        if (done)
        {
            message!.Completion.TrySetResult(new MqttPublishResult(response.ReasonCode));
            await PumpAsync(connection).ConfigureAwait(false); // a slot is free
        }
        else if (response.Type == MqttPacketType.PubRec)
        {
            // Known: release it. Unknown (e.g. a duplicate PUBREC): PUBREL anyway so the server can finish [§4.3.3].
            var code = message is not null || !connection.IsV5 ? MqttReasonCode.Success : MqttReasonCode.PacketIdentifierNotFound;
            await SendResponseAsync(connection, MqttPacketType.PubRel, id, code).ConfigureAwait(false);
        }
    }

    private static async ValueTask SendResponseAsync(MqttConnection connection, MqttPacketType type, ushort id, MqttReasonCode code)
    {
        await using var lease = await connection.Transport.LockAsync().ConfigureAwait(false);
        MqttPacketWriter.WritePublishResponse(lease.Output, connection.Version,
            new MqttPublishResponsePacket { Type = type, PacketIdentifier = id, ReasonCode = code });
    }

    /// <summary>Subscribes to one Topic Filter; returns the granted QoS (or the failure reason code).</summary>
    public async Task<MqttReasonCode> SubscribeAsync(string filter, MqttQualityOfService qos = MqttQualityOfService.AtMostOnce,
        CancellationToken cancellationToken = default)
        => (await SubscribeAsync([new MqttTopicSubscription(filter, qos)], cancellationToken).ConfigureAwait(false))[0];

    /// <summary>
    /// Subscribes to several Topic Filters in one SUBSCRIBE; returns one reason code per filter, in order (granted QoS
    /// 0x00–0x02, or a failure ≥ 0x80). Accepted subscriptions are renewed automatically when a reconnection finds no session.
    /// </summary>
    public async Task<IReadOnlyList<MqttReasonCode>> SubscribeAsync(IReadOnlyList<MqttTopicSubscription> subscriptions,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subscriptions);
        if (subscriptions.Count == 0) throw new ArgumentException("Subscribe to at least one Topic Filter [MQTT-3.8.3-2].", nameof(subscriptions));
        bool v5 = _options.ProtocolVersion == MqttProtocolVersion.V500;
        foreach (var s in subscriptions)
        {
            ArgumentNullException.ThrowIfNull(s, nameof(subscriptions));
            CheckFilter(s.Filter, v5);
            if ((int)s.QoS > 2) throw new ArgumentException($"QoS of \"{s.Filter}\" must be 0, 1 or 2.", nameof(subscriptions));
            if ((int)s.RetainHandling > 2) throw new ArgumentException($"RetainHandling of \"{s.Filter}\" must be 0, 1 or 2.", nameof(subscriptions));
            if (v5 && s.NoLocal && s.Filter.StartsWith("$share/", StringComparison.Ordinal))
                throw new ArgumentException($"No Local is not allowed on the shared subscription \"{s.Filter}\" [MQTT-3.8.3-4].", nameof(subscriptions));
        }
        var request = MqttPendingRequest.Subscribe([.. subscriptions]);
        return await RunRequestAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Unsubscribes; returns one reason code per filter (on 3.1.1, which has none, <see cref="MqttReasonCode.Success"/>).</summary>
    public async Task<IReadOnlyList<MqttReasonCode>> UnsubscribeAsync(IReadOnlyList<string> filters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filters);
        if (filters.Count == 0) throw new ArgumentException("Unsubscribe from at least one Topic Filter [MQTT-3.10.3-2].", nameof(filters));
        foreach (var f in filters) CheckFilter(f, _options.ProtocolVersion == MqttProtocolVersion.V500);
        return await RunRequestAsync(MqttPendingRequest.Unsubscribe([.. filters]), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Unsubscribes from one Topic Filter.</summary>
    public async Task<MqttReasonCode> UnsubscribeAsync(string filter, CancellationToken cancellationToken = default)
        => (await UnsubscribeAsync([filter], cancellationToken).ConfigureAwait(false))[0];

    private static void CheckFilter(string filter, bool v5)
    {
        ArgumentNullException.ThrowIfNull(filter);
        byte[] bytes;
        try
        {
            bytes = StrictUtf8.GetBytes(filter);
        }
        catch (EncoderFallbackException)
        {
            throw new ArgumentException($"Topic Filter \"{filter}\" is not valid UTF-8 (lone surrogate).", nameof(filter));
        }
        var status = MqttTopic.ValidateFilter(bytes, allowShared: v5);
        if (status != MqttTopicFilterStatus.Valid)
            throw new ArgumentException($"Topic Filter \"{filter}\" is invalid: {status}.", nameof(filter));
    }

    private async Task<IReadOnlyList<MqttReasonCode>> RunRequestAsync(MqttPendingRequest request, CancellationToken cancellationToken)
    {
        MqttConnection? connection;
        lock (_sync)
        {
            if (_state is State.Closed or State.New) throw NotOpen();
            request.PacketIdentifier = _ids.Allocate();
            if (request.PacketIdentifier == 0) throw new MqttClientException("All 65,535 Packet Identifiers are in use.");
            _requests[request.PacketIdentifier] = request;
            connection = _readyConnection;
            if (connection is not null) request.SentOn = connection;
        }
        if (connection is not null)
        {
            try
            {
                await SendRequestAsync(connection, request).ConfigureAwait(false);
            }
            catch (MqttClientException)
            {
                // Resent on the next connection.
            }
        }
        return await request.Completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask SendRequestAsync(MqttConnection connection, MqttPendingRequest request)
    {
        await using var lease = await connection.Transport.LockAsync().ConfigureAwait(false);
        int written = request.IsSubscribe
            ? MqttPacketWriter.WriteSubscribe(lease.Output, connection.Version, request.PacketIdentifier, default, request.ToPacketSubscriptions(), connection.ServerMaximumPacketSize)
            : MqttPacketWriter.WriteUnsubscribe(lease.Output, connection.Version, request.PacketIdentifier, default, request.FilterBytes, connection.ServerMaximumPacketSize);
        if (written == 0)
        {
            lock (_sync)
            {
                _requests.Remove(request.PacketIdentifier);
                _ids.Release(request.PacketIdentifier);
            }
            request.Completion.TrySetException(new ArgumentException($"The request exceeds the server's Maximum Packet Size of {connection.ServerMaximumPacketSize} bytes."));
        }
    }
}
