namespace Millrace.Mqtt.Broker;

/// <summary>
/// A client's session (5.0 §4.1): subscriptions, outgoing messages (queued, then in flight until acknowledged),
/// and incoming QoS 2 identifiers not yet released. It outlives connections when its expiry interval is non-zero.
/// All state is guarded by locking the session; the attached connection's writer drains it.
/// </summary>
internal sealed class MqttSession : MqttSubscriber
{
    private readonly MqttBroker _broker;
    private readonly Queue<MqttDelivery> _queue = new();
    private readonly Dictionary<ushort, MqttDelivery> _inflight = [];
    private readonly HashSet<ushort> _incomingQoS2 = [];
    private ushort _lastPacketId;
    private long _sequence;

    public MqttSession(MqttBroker broker, string clientId)
    {
        _broker = broker;
        ClientId = clientId;
    }

    public string ClientId { get; }

    /// <summary>Filter (as subscribed, possibly $share/...) → options. Guarded by the session lock.</summary>
    public Dictionary<string, MqttSubscriptionOptions> Subscriptions { get; } = new(StringComparer.Ordinal);

    public MqttBrokerConnection? Connection { get; private set; }
    public uint ExpiryInterval { get; set; }
    public DateTimeOffset DisconnectedAt { get; set; }
    public bool Dirty { get; set; }
    public bool Ended { get; set; } // removed from the broker: deliveries are ignored

    /// <summary>Outgoing window for the attached connection.</summary>
    public int InflightLimit { get; set; } = 1;

    public override bool IsOnline => Connection is not null;

    public int QueuedCount { get { lock (this) return _queue.Count; } }
    public int InflightCount { get { lock (this) return _inflight.Count; } }

    public override bool Deliver(in MqttDelivery delivery)
    {
        MqttBrokerConnection? connection;
        lock (this)
        {
            if (Ended) return false;
            connection = Connection;
            if (connection is null && delivery.QoS == MqttQualityOfService.AtMostOnce)
            {
                _broker.Metrics.Drop("offline_qos0");
                return false; // QoS 0 is not kept for disconnected clients
            }
            if (_queue.Count >= _broker.Options.MaximumQueuedMessages)
            {
                _broker.Metrics.Drop("queue_full");
                return false;
            }
            var d = delivery;
            d.Sequence = ++_sequence;
            _queue.Enqueue(d);
            if (d.QoS > 0 && ExpiryInterval > 0) Dirty = true;
        }
        connection?.Signal();
        return true;
    }

    /// <summary>Attaches a new connection; in-flight messages will be sent again (DUP) before queued ones.</summary>
    public void Attach(MqttBrokerConnection connection, int inflightLimit)
    {
        lock (this)
        {
            Connection = connection;
            InflightLimit = Math.Max(1, inflightLimit);
            foreach (var id in _inflight.Keys.ToArray())
            {
                var d = _inflight[id];
                d.NeedsResend = true;
                _inflight[id] = d;
            }
        }
    }

    /// <summary>Detaches <paramref name="connection"/> if it is still the attached one.</summary>
    public bool Detach(MqttBrokerConnection connection, DateTimeOffset now)
    {
        lock (this)
        {
            if (Connection != connection) return false;
            Connection = null;
            DisconnectedAt = now;
            Dirty = ExpiryInterval > 0;
            // QoS 0 messages are not kept for a disconnected client.
            if (_queue.Count > 0 && _queue.Any(d => d.QoS == 0))
            {
                var keep = _queue.Where(d => d.QoS > 0).ToArray();
                _broker.Metrics.Drop("offline_qos0", _queue.Count - keep.Length);
                _queue.Clear();
                foreach (var d in keep) _queue.Enqueue(d);
            }
            return true;
        }
    }

    /// <summary>Writes what can be sent now: resends first, then queued messages up to the in-flight window.
    /// Returns true when more is waiting (the byte budget ran out). Called by the connection's writer.</summary>
    public bool Drain(MqttBrokerConnection connection, ref int budget, ref long sent)
    {
        lock (this)
        {
            connection.CopyControl(ref budget); // control packets first (e.g. SUBACK before the retained messages it unlocks)
            if (Connection != connection) return false;
            if (_inflight.Count > 0) ResendLocked(connection, ref budget);
            var now = _broker.Options.TimeProvider.GetUtcNow();
            while (budget > 0 && _queue.TryPeek(out var d))
            {
                if (d.QoS > 0 && _inflight.Count >= InflightLimit) break;
                _queue.Dequeue();
                if (d.Message.IsExpired(now))
                {
                    _broker.Metrics.Drop("expired");
                    continue;
                }
                if (d.QoS > 0)
                {
                    d.PacketIdentifier = NextPacketIdLocked();
                    d.State = MqttDeliveryState.AwaitingAcknowledgement;
                }
                int n = connection.WritePublishLocked(d, duplicate: false, now);
                if (n == 0)
                {
                    _broker.Metrics.Drop("too_large"); // larger than the client's Maximum Packet Size: discarded [MQTT-3.1.2-25]
                    continue;
                }
                if (d.QoS > 0) _inflight[d.PacketIdentifier] = d;
                budget -= n;
                sent++;
            }
            return budget <= 0 && (_queue.Count > 0 && (_queue.Peek().QoS == 0 || _inflight.Count < InflightLimit));
        }
    }

    private void ResendLocked(MqttBrokerConnection connection, ref int budget)
    {
        List<MqttDelivery>? resend = null;
        foreach (var d in _inflight.Values)
            if (d.NeedsResend) (resend ??= []).Add(d);
        if (resend is null) return;
        resend.Sort((a, b) => a.Sequence.CompareTo(b.Sequence)); // original order [MQTT-4.6.0-1]
        var now = _broker.Options.TimeProvider.GetUtcNow();
        foreach (var d in resend)
        {
            var again = d;
            again.NeedsResend = false;
            _inflight[d.PacketIdentifier] = again;
            budget -= d.State == MqttDeliveryState.AwaitingCompletion
                ? connection.WriteResponseLocked(MqttPacketType.PubRel, d.PacketIdentifier)
                : connection.WritePublishLocked(d, duplicate: true, now);
        }
    }

    private ushort NextPacketIdLocked()
    {
        do
        {
            _lastPacketId = (ushort)(_lastPacketId == ushort.MaxValue ? 1 : _lastPacketId + 1);
        }
        while (_inflight.ContainsKey(_lastPacketId));
        return _lastPacketId;
    }

    /// <summary>PUBACK, PUBREC (ok or failed) or PUBCOMP from the client. Returns false for an unknown identifier.</summary>
    public bool Acknowledge(MqttPacketType type, ushort packetId, MqttReasonCode code, out bool sendPubRel)
    {
        sendPubRel = false;
        MqttBrokerConnection? connection;
        lock (this)
        {
            if (!_inflight.TryGetValue(packetId, out var d)) return false;
            switch (type)
            {
                case MqttPacketType.PubAck when d.QoS == MqttQualityOfService.AtLeastOnce:
                case MqttPacketType.PubComp when d.State == MqttDeliveryState.AwaitingCompletion:
                    _inflight.Remove(packetId);
                    break;
                case MqttPacketType.PubRec when d.QoS == MqttQualityOfService.ExactlyOnce:
                    if ((byte)code >= 0x80) _inflight.Remove(packetId); // the client refused it: the flow ends [MQTT-4.3.3-?]
                    else
                    {
                        d.State = MqttDeliveryState.AwaitingCompletion;
                        _inflight[packetId] = d;
                        sendPubRel = true;
                    }
                    break;
                default:
                    return false;
            }
            if (ExpiryInterval > 0) Dirty = true;
            connection = Connection;
        }
        connection?.Signal(); // the window may have opened
        return true;
    }

    /// <summary>Records an incoming QoS 2 identifier; false when it was already there (a duplicate PUBLISH).</summary>
    public bool BeginIncomingQoS2(ushort packetId, out int pending)
    {
        lock (this)
        {
            bool added = _incomingQoS2.Add(packetId);
            pending = _incomingQoS2.Count;
            if (added && ExpiryInterval > 0) Dirty = true;
            return added;
        }
    }

    /// <summary>Releases an incoming QoS 2 identifier (PUBREL); false when unknown.</summary>
    public bool ReleaseIncomingQoS2(ushort packetId)
    {
        lock (this) return _incomingQoS2.Remove(packetId);
    }

    /// <summary>A consistent copy for the session store.</summary>
    public MqttStoredSession Snapshot()
    {
        lock (this)
        {
            Dirty = false;
            var messages = new List<MqttStoredMessage>(_inflight.Count + _queue.Count);
            foreach (var d in _inflight.Values.OrderBy(d => d.Sequence))
                messages.Add(new MqttStoredMessage(d.Message, d.QoS, d.Retain, d.PacketIdentifier, d.State, d.SubscriptionIdentifiers));
            foreach (var d in _queue)
                if (d.QoS > 0) messages.Add(new MqttStoredMessage(d.Message, d.QoS, d.Retain, 0, MqttDeliveryState.Queued, d.SubscriptionIdentifiers));
            return new MqttStoredSession
            {
                ClientId = ClientId, ExpiryInterval = ExpiryInterval, DisconnectedAt = DisconnectedAt,
                Subscriptions = Subscriptions.Select(s => new MqttStoredSubscription(s.Key, s.Value.OptionsByte, s.Value.SubscriptionIdentifier)).ToArray(),
                Messages = messages, IncomingQoS2 = _incomingQoS2.ToArray(),
            };
        }
    }

    /// <summary>Fills a fresh session from the store (before it is visible to anyone).</summary>
    public void Restore(MqttStoredSession stored)
    {
        lock (this)
        {
            ExpiryInterval = stored.ExpiryInterval;
            DisconnectedAt = stored.DisconnectedAt;
            foreach (var s in stored.Subscriptions) Subscriptions[s.Filter] = MqttSubscriptionOptions.FromByte(s.Options, s.SubscriptionIdentifier);
            foreach (var m in stored.Messages)
            {
                var ids = m.SubscriptionIdentifiers;
                var d = new MqttDelivery(m.Message, m.QoS, m.Retain, ids.Count > 0 ? ids[0] : 0, ids.Count > 1 ? ids.Skip(1).ToArray() : null)
                {
                    Sequence = ++_sequence,
                };
                if (m.State == MqttDeliveryState.Queued || m.PacketIdentifier == 0 || _inflight.ContainsKey(m.PacketIdentifier))
                {
                    d.State = MqttDeliveryState.Queued;
                    _queue.Enqueue(d);
                }
                else
                {
                    d.PacketIdentifier = m.PacketIdentifier;
                    d.State = m.State;
                    d.NeedsResend = true;
                    _inflight[m.PacketIdentifier] = d;
                    _lastPacketId = Math.Max(_lastPacketId, m.PacketIdentifier);
                }
            }
            foreach (var id in stored.IncomingQoS2) _incomingQoS2.Add(id);
        }
    }
}
