using System.Buffers;
using Millrace.Mqtt.Codec;
using Millrace.Mqtt.Packets;
using Millrace.Mqtt.Topics;

namespace Millrace.Mqtt.Broker;

internal sealed partial class MqttBrokerConnection
{
    private MqttTopicAliasMap? _aliases;
    private bool _gracefulDisconnect;
    private byte[] _publishScratch = new byte[256];

    public string? Identity { get; private set; }
    public MqttWill? Will { get; private set; }
    public int ClientMaximumPacketSize { get; private set; } = MqttPacketWriter.Unlimited;

    /// <summary>CONNECT: authenticate, set up or resume the session, answer CONNACK. False: refused (closed).</summary>
    private async ValueTask<bool> HandleConnectAsync(MqttPacket packet)
    {
        State = MqttConnectionState.Connecting;
        var connect = packet.AsConnect();
        Version = connect.ProtocolVersion;
        bool v5 = Version == MqttProtocolVersion.V500;
        var options = _broker.Options;

        if (v5 && connect.Properties.TryGetBytes(MqttPropertyId.AuthenticationMethod, out _))
            return await RefuseAsync(MqttReasonCode.BadAuthenticationMethod).ConfigureAwait(false); // no enhanced authentication

        string clientId = MqttUtf8.GetString(connect.ClientId);
        bool assigned = false;
        if (clientId.Length == 0)
        {
            if (!v5 && !connect.CleanStart) return await RefuseAsync(MqttReasonCode.ClientIdentifierNotValid).ConfigureAwait(false); // [MQTT-3.1.3-8]
            clientId = "millrace-" + Guid.NewGuid().ToString("N");
            assigned = v5;
        }
        ClientId = clientId;
        string? userName = connect.HasUserName ? MqttUtf8.GetString(connect.UserName) : null;
        Identity = userName;
        if (options.Authenticator is { } authenticator)
        {
            var password = connect.HasPassword ? connect.Password.ToArray() : [];
            var result = await authenticator.AuthenticateAsync(new MqttAuthenticationRequest(clientId, userName, password, RemoteEndPoint, Version), _cts.Token)
                .ConfigureAwait(false);
            if (!result.Succeeded)
                return await RefuseAsync(result.ReasonCode >= MqttReasonCode.UnspecifiedError ? result.ReasonCode : MqttReasonCode.NotAuthorized).ConfigureAwait(false);
            Identity = result.Identity;
        }

        KeepAlive = v5 && options.ServerKeepAlive is { } serverKeepAlive ? serverKeepAlive : connect.KeepAlive;
        int inflight = options.MaximumInflight;
        uint requestedExpiry = connect.CleanStart ? 0 : options.MaximumSessionExpiry; // 3.1.1
        if (v5)
        {
            if (connect.Properties.TryGetNumber(MqttPropertyId.ReceiveMaximum, out uint receiveMaximum)) inflight = Math.Min(inflight, (int)receiveMaximum);
            if (connect.Properties.TryGetNumber(MqttPropertyId.MaximumPacketSize, out uint maximumPacketSize))
                ClientMaximumPacketSize = (int)Math.Min(maximumPacketSize, int.MaxValue);
            connect.Properties.TryGetNumber(MqttPropertyId.SessionExpiryInterval, out requestedExpiry);
            if (options.TopicAliasMaximum > 0) _aliases = new MqttTopicAliasMap(options.TopicAliasMaximum);
        }
        uint expiry = Math.Min(requestedExpiry, options.MaximumSessionExpiry);
        Will = MqttWill.From(connect);
        if (Will is not null) Will.Identity = Identity;

        var properties = MqttProperties.Empty;
        if (v5)
        {
            var builder = new MqttPropertiesBuilder();
            if (options.ReceiveMaximum != ushort.MaxValue) builder.Add(MqttPropertyId.ReceiveMaximum, options.ReceiveMaximum);
            builder.Add(MqttPropertyId.MaximumPacketSize, (uint)options.MaximumPacketSize);
            if (options.TopicAliasMaximum > 0) builder.Add(MqttPropertyId.TopicAliasMaximum, options.TopicAliasMaximum);
            if (assigned) builder.Add(MqttPropertyId.AssignedClientIdentifier, clientId);
            if (options.ServerKeepAlive is { } ka) builder.Add(MqttPropertyId.ServerKeepAlive, ka);
            if (expiry != requestedExpiry) builder.Add(MqttPropertyId.SessionExpiryInterval, expiry);
            properties = builder.Build();
        }
        State = MqttConnectionState.Connected;
        Session = _broker.ConnectSession(this, connect.CleanStart, expiry, inflight, properties);
        return true;
    }

    /// <summary>Writes CONNACK into the control buffer (under the broker's session lock, before any PUBLISH can be queued).</summary>
    internal void WriteConnAck(bool sessionPresent, in MqttProperties properties)
    {
        lock (_controlLock)
            MqttPacketWriter.WriteConnAck(_control, Version, new MqttConnAckPacket { SessionPresent = sessionPresent, Properties = properties });
    }

    private async ValueTask<bool> RefuseAsync(MqttReasonCode code)
    {
        MqttPacketWriter.WriteConnAck(_output, Version, new MqttConnAckPacket { ReasonCode = code });
        _broker.Metrics.Refused(code);
        try { await FlushDirectAsync().ConfigureAwait(false); }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException) { }
        State = MqttConnectionState.Disconnecting;
        return false;
    }

    /// <summary>Every packet after CONNECT. False ends the connection.</summary>
    private bool HandlePacket(in MqttPacket packet)
    {
        var session = Session!;
        switch (packet.Type)
        {
            case MqttPacketType.Publish:
                return HandlePublish(packet.AsPublish(), session);
            case MqttPacketType.PubAck or MqttPacketType.PubRec or MqttPacketType.PubComp:
                var ack = packet.AsPublishResponse();
                if (session.Acknowledge(ack.Type, ack.PacketIdentifier, ack.ReasonCode, out bool sendPubRel))
                {
                    if (sendPubRel) WriteControl(MqttPacketType.PubRel, ack.PacketIdentifier);
                }
                else if (ack.Type == MqttPacketType.PubRec && (byte)ack.ReasonCode < 0x80)
                {
                    WriteControl(MqttPacketType.PubRel, ack.PacketIdentifier, Version == MqttProtocolVersion.V500 ? MqttReasonCode.PacketIdentifierNotFound : 0);
                }
                return true;
            case MqttPacketType.PubRel:
                var rel = packet.AsPublishResponse();
                bool known = session.ReleaseIncomingQoS2(rel.PacketIdentifier);
                WriteControl(MqttPacketType.PubComp, rel.PacketIdentifier,
                    known || Version != MqttProtocolVersion.V500 ? MqttReasonCode.Success : MqttReasonCode.PacketIdentifierNotFound);
                return true;
            case MqttPacketType.Subscribe:
                _broker.Subscribe(this, session, packet.AsSubscribe());
                return true;
            case MqttPacketType.Unsubscribe:
                _broker.Unsubscribe(this, session, packet.AsUnsubscribe());
                return true;
            case MqttPacketType.PingReq:
                lock (_controlLock) MqttPacketWriter.WritePingResp(_control); // [MQTT-3.12.4-1]
                Signal();
                return true;
            case MqttPacketType.Disconnect:
                HandleDisconnect(packet, session);
                return false;
            default:
                // AUTH cannot reach here (no Authentication Method is ever accepted, so the codec refuses it).
                return false;
        }
    }

    private bool HandlePublish(in MqttPublishPacket publish, MqttSession session)
    {
        _broker.Metrics.Received(1);
        var topic = _aliases is null ? publish.Topic : _aliases.Resolve(publish);
        ReadOnlySpan<byte> topicSpan = topic.IsSingleSegment ? topic.FirstSpan : topic.ToArray();
        bool v5 = Version == MqttProtocolVersion.V500;
        if (_broker.Options.Authorizer is { } authorizer && !authorizer.CanPublish(Identity, ClientId, topicSpan))
        {
            _broker.Metrics.Drop("not_authorized");
            // 5.0 says why; 3.1.1 has no negative acknowledgement, so the message is acknowledged and discarded.
            var code = v5 ? MqttReasonCode.NotAuthorized : MqttReasonCode.Success;
            if (publish.QoS == MqttQualityOfService.AtLeastOnce) WriteControl(MqttPacketType.PubAck, publish.PacketIdentifier, code);
            else if (publish.QoS == MqttQualityOfService.ExactlyOnce) WriteControl(MqttPacketType.PubRec, publish.PacketIdentifier, code);
            return true;
        }
        switch (publish.QoS)
        {
            case MqttQualityOfService.AtMostOnce:
                Route(publish, topic, session);
                return true;
            case MqttQualityOfService.AtLeastOnce:
                Route(publish, topic, session);
                WriteControl(MqttPacketType.PubAck, publish.PacketIdentifier);
                return true;
            default:
                if (session.BeginIncomingQoS2(publish.PacketIdentifier, out int pending))
                {
                    if (pending > _broker.Options.ReceiveMaximum)
                    {
                        CloseWith(MqttReasonCode.ReceiveMaximumExceeded); // [MQTT-3.3.4-9]
                        return false;
                    }
                    Route(publish, topic, session); // delivered once; a re-sent PUBLISH with this identifier is only acknowledged
                }
                WriteControl(MqttPacketType.PubRec, publish.PacketIdentifier);
                return true;
        }
    }

    private void Route(in MqttPublishPacket publish, in ReadOnlySequence<byte> topic, MqttSession session)
    {
        int forwardedLength = 0;
        uint? expiry = null;
        if (Version == MqttProtocolVersion.V500 && !publish.Properties.IsEmpty)
        {
            if (_publishScratch.Length < publish.Properties.Length) _publishScratch = new byte[publish.Properties.Length];
            forwardedLength = MqttForwardedProperties.Copy(publish.Properties.Encoded, _publishScratch, out expiry);
        }
        var now = expiry is null ? default : _broker.Options.TimeProvider.GetUtcNow();
        var message = new MqttApplicationMessage(topic, publish.Payload, publish.QoS, publish.Retain, _publishScratch.AsSpan(0, forwardedLength),
            expiry is { } e ? now.AddSeconds(e) : null) { PublisherClientId = ClientId, Origin = session };
        _broker.Publish(message);
    }

    private void HandleDisconnect(in MqttPacket packet, MqttSession session)
    {
        _gracefulDisconnect = true;
        State = MqttConnectionState.Disconnecting;
        if (Version != MqttProtocolVersion.V500)
        {
            Will = null; // [MQTT-3.1.2-10]
            return;
        }
        var disconnect = packet.AsDisconnect();
        if (disconnect.Properties.TryGetNumber(MqttPropertyId.SessionExpiryInterval, out uint expiry))
            session.ExpiryInterval = Math.Min(expiry, _broker.Options.MaximumSessionExpiry);
        if (disconnect.ReasonCode != MqttReasonCode.DisconnectWithWillMessage) Will = null;
    }

    /// <summary>Writes SUBACK/UNSUBACK into the control buffer.</summary>
    internal void WriteSubAck(ushort packetId, ReadOnlySpan<MqttReasonCode> codes, bool unsubscribe)
    {
        lock (_controlLock)
        {
            if (unsubscribe) MqttPacketWriter.WriteUnsubAck(_control, Version, packetId, MqttProperties.Empty, codes);
            else MqttPacketWriter.WriteSubAck(_control, Version, packetId, MqttProperties.Empty, codes);
        }
        Signal();
    }
}
