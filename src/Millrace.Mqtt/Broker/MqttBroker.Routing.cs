using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using Millrace.Mqtt.Codec;
using Millrace.Mqtt.Packets;
using Millrace.Mqtt.Topics;

namespace Millrace.Mqtt.Broker;

public sealed partial class MqttBroker
{
    private readonly MqttSubscriptionTrie<MqttSubscriber, MqttSubscriptionOptions> _trie = new(ReferenceEqualityComparer.Instance);
    private readonly ConcurrentDictionary<string, MqttApplicationMessage> _retained = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<MqttInProcessSubscription, byte> _inProcess = new();

    [ThreadStatic]
    private static List<Target>? t_targets;

    /// <summary>Number of retained messages.</summary>
    public int RetainedCount => _retained.Count;

    /// <summary>Publishes a message from inside the process (no socket, no ACL: the hub is trusted). Retained
    /// messages are stored (an empty payload clears), and matching subscribers receive it as from a client.</summary>
    /// <exception cref="ArgumentException">The topic is not a valid Topic Name.</exception>
    public void PublishInProcess(string topic, ReadOnlySpan<byte> payload, MqttQualityOfService qos = MqttQualityOfService.AtMostOnce, bool retain = false)
    {
        var topicBytes = Encoding.UTF8.GetBytes(topic);
        if (!MqttTopic.IsValidTopicName(topicBytes)) throw new ArgumentException($"'{topic}' is not a valid Topic Name.", nameof(topic));
        if ((int)qos > 2) throw new ArgumentOutOfRangeException(nameof(qos));
        Metrics.Received(1);
        Publish(new MqttApplicationMessage(topicBytes, payload, qos, retain));
    }

    /// <summary>Subscribes a handler inside the process (no socket hop). Messages reach it in order, one at a time,
    /// through a bounded queue of <paramref name="capacity"/>; when the handler falls behind, further messages are
    /// dropped and counted (reason <c>queue_full</c>). Dispose the result to unsubscribe.</summary>
    /// <exception cref="ArgumentException">The filter is not a valid Topic Filter.</exception>
    public MqttInProcessSubscription SubscribeInProcess(string filter, Func<MqttApplicationMessage, CancellationToken, ValueTask> handler,
        MqttQualityOfService qos = MqttQualityOfService.AtLeastOnce, int capacity = 10_000)
    {
        var filterBytes = Encoding.UTF8.GetBytes(filter);
        if (MqttTopic.ValidateFilter(filterBytes) is var status && status != MqttTopicFilterStatus.Valid)
            throw new ArgumentException($"'{filter}' is not a valid Topic Filter: {status}.", nameof(filter));
        var subscription = new MqttInProcessSubscription(this, filter, handler, capacity);
        _inProcess[subscription] = 0;
        _trie.Add(filterBytes, subscription.AsSubscriber, new MqttSubscriptionOptions(qos, false, true, MqttRetainHandling.SendAtSubscribe, 0));
        if (!MqttTopic.TryParseShared(filterBytes, out _, out _))
            foreach (var retained in RetainedMatching(filterBytes)) subscription.Deliver(new MqttDelivery(retained, retained.QoS, true, 0, null));
        return subscription;
    }

    internal void RemoveInProcess(MqttInProcessSubscription subscription)
    {
        if (_inProcess.TryRemove(subscription, out _) && Volatile.Read(ref _state) == 1)
            _trie.Remove(Encoding.UTF8.GetBytes(subscription.Filter), subscription.AsSubscriber);
    }

    /// <summary>Stores/clears the retained message and routes to every matching subscription.</summary>
    internal void Publish(MqttApplicationMessage message)
    {
        if (message.Retain)
        {
            if (message.Payload.IsEmpty) _retained.TryRemove(message.Topic, out _); // [MQTT-3.3.1-10]
            else _retained[message.Topic] = message;
        }
        var targets = t_targets ??= [];
        var collector = new TargetCollector(targets, message);
        _trie.Match(message.TopicSpan, ref collector);
        t_targets = null; // a handler publishing re-entrantly gets its own list
        foreach (var t in targets)
        {
            var qos = (MqttQualityOfService)Math.Min((int)message.QoS, (int)t.Options.QoS);
            bool retain = t.Options.RetainAsPublished && message.Retain; // [MQTT-3.3.1-12], 5.0 Retain As Published
            t.Subscriber.Deliver(new MqttDelivery(message, qos, retain, t.Options.SubscriptionIdentifier, t.MoreIds));
        }
        targets.Clear();
        t_targets = targets;
    }

    /// <summary>SUBSCRIBE: authorize and add each filter, answer SUBACK, then queue the retained messages it unlocks.</summary>
    internal void Subscribe(MqttBrokerConnection connection, MqttSession session, in MqttSubscribePacket subscribe)
    {
        bool v5 = connection.Version == MqttProtocolVersion.V500;
        int subscriptionId = subscribe.Properties.TryGetNumber(MqttPropertyId.SubscriptionIdentifier, out uint id) ? (int)id : 0;
        var codes = new MqttReasonCode[subscribe.Count];
        var retainedToSend = new List<MqttApplicationMessage>();
        int i = 0;
        lock (session)
        {
            foreach (var entry in subscribe)
            {
                var filterBytes = entry.Filter.ToArray();
                string filter = Encoding.UTF8.GetString(filterBytes);
                bool shared = MqttTopic.TryParseShared(filterBytes, out _, out var inner);
                if (Options.Authorizer is { } authorizer
                    && !authorizer.CanSubscribe(connection.Identity, connection.ClientId, shared ? Encoding.UTF8.GetString(inner) : filter))
                {
                    codes[i++] = MqttReasonCode.NotAuthorized; // 3.1.1: 0x80 Failure
                    continue;
                }
                var options = new MqttSubscriptionOptions(entry.MaximumQoS, v5 && entry.NoLocal, v5 && entry.RetainAsPublished,
                    v5 ? entry.RetainHandling : MqttRetainHandling.SendAtSubscribe, subscriptionId);
                bool isNew = !session.Subscriptions.ContainsKey(filter);
                _trie.Add(filterBytes, session, options);
                session.Subscriptions[filter] = options;
                codes[i++] = (MqttReasonCode)(byte)entry.MaximumQoS; // granted as asked: this broker supports QoS 2
                bool sendRetained = !shared && (options.RetainHandling == MqttRetainHandling.SendAtSubscribe
                    || (options.RetainHandling == MqttRetainHandling.SendAtSubscribeIfNew && isNew)); // [MQTT-3.3.1-9], 5.0 Retain Handling
                if (sendRetained)
                {
                    foreach (var retained in RetainedMatching(filterBytes))
                    {
                        var qos = (MqttQualityOfService)Math.Min((int)retained.QoS, (int)options.QoS);
                        session.Deliver(new MqttDelivery(retained, qos, true, subscriptionId, null)); // RETAIN 1 on subscribe [MQTT-3.3.1-8]
                    }
                }
            }
            connection.WriteSubAck(subscribe.PacketIdentifier, codes, unsubscribe: false);
            if (session.ExpiryInterval > 0) session.Dirty = true;
        }
    }

    /// <summary>UNSUBSCRIBE: remove each filter and answer UNSUBACK.</summary>
    internal void Unsubscribe(MqttBrokerConnection connection, MqttSession session, in MqttUnsubscribePacket unsubscribe)
    {
        var codes = new MqttReasonCode[unsubscribe.Count];
        int i = 0;
        lock (session)
        {
            foreach (var filterSequence in unsubscribe)
            {
                var filterBytes = filterSequence.ToArray();
                bool existed = session.Subscriptions.Remove(Encoding.UTF8.GetString(filterBytes));
                if (existed) _trie.Remove(filterBytes, session);
                codes[i++] = existed ? MqttReasonCode.Success : MqttReasonCode.NoSubscriptionExisted;
            }
            if (session.ExpiryInterval > 0) session.Dirty = true;
        }
        connection.WriteSubAck(unsubscribe.PacketIdentifier, codes, unsubscribe: true);
    }

    private List<MqttApplicationMessage> RetainedMatching(ReadOnlySpan<byte> filter)
    {
        var now = Options.TimeProvider.GetUtcNow();
        var result = new List<MqttApplicationMessage>();
        foreach (var (topic, message) in _retained)
        {
            if (message.IsExpired(now))
            {
                _retained.TryRemove(new KeyValuePair<string, MqttApplicationMessage>(topic, message));
                continue;
            }
            if (MqttTopic.Matches(filter, message.TopicSpan)) result.Add(message);
        }
        return result;
    }

    private struct Target(MqttSubscriber subscriber, MqttSubscriptionOptions options)
    {
        public MqttSubscriber Subscriber = subscriber;
        public MqttSubscriptionOptions Options = options;
        public int[]? MoreIds;
        public bool Shared;
    }

    /// <summary>Collects the deliveries of one message: one per subscriber, merging overlapping subscriptions to the
    /// highest QoS and all Subscription Identifiers [MQTT-3.3.4-2], [MQTT-3.3.4-3]; one member per shared group.</summary>
    private readonly struct TargetCollector(List<Target> targets, MqttApplicationMessage message) : IMqttSubscriptionVisitor<MqttSubscriber, MqttSubscriptionOptions>
    {
        public void OnSubscription(MqttSubscriber subscriber, MqttSubscriptionOptions value)
        {
            if (value.NoLocal && ReferenceEquals(subscriber, message.Origin)) return; // [MQTT-3.8.3-3]
            for (int i = 0; i < targets.Count; i++)
            {
                var t = targets[i];
                if (!ReferenceEquals(t.Subscriber, subscriber) || t.Shared) continue;
                var merged = t.Options with
                {
                    QoS = (MqttQualityOfService)Math.Max((int)t.Options.QoS, (int)value.QoS),
                    RetainAsPublished = t.Options.RetainAsPublished || value.RetainAsPublished,
                };
                if (value.SubscriptionIdentifier != 0)
                {
                    if (merged.SubscriptionIdentifier == 0) merged = merged with { SubscriptionIdentifier = value.SubscriptionIdentifier };
                    else t.MoreIds = [.. t.MoreIds ?? [], value.SubscriptionIdentifier];
                }
                t.Options = merged;
                targets[i] = t;
                return;
            }
            targets.Add(new Target(subscriber, value));
        }

        public void OnSharedGroup(MqttSharedSubscriptionGroup<MqttSubscriber, MqttSubscriptionOptions> group)
        {
            // Round-robin, preferring members that are connected now [MQTT-4.8.2-?]: an offline member would only queue it.
            var pick = group.PickNext();
            for (int tries = 1; !pick.Key.IsOnline && tries < group.Count; tries++) pick = group.PickNext();
            if (pick.Value.NoLocal && ReferenceEquals(pick.Key, message.Origin)) return;
            targets.Add(new Target(pick.Key, pick.Value) { Shared = true }); // never merged with the member's own subscriptions
        }
    }
}
