namespace Millrace.Mqtt.Topics;

/// <summary>Receives the subscriptions matching a topic; a struct implementation makes matching allocation-free.</summary>
public interface IMqttSubscriptionVisitor<TSubscriber, TValue> where TSubscriber : notnull
{
    /// <summary>A non-shared subscription of <paramref name="subscriber"/> matches. A subscriber with several
    /// overlapping subscriptions is reported once per subscription (the broker merges them, [MQTT-3.3.4-2]).</summary>
    void OnSubscription(TSubscriber subscriber, TValue value);

    /// <summary>A Shared Subscription group matches; deliver to one member (e.g. <see cref="MqttSharedSubscriptionGroup{TSubscriber, TValue}.PickNext"/>).</summary>
    void OnSharedGroup(MqttSharedSubscriptionGroup<TSubscriber, TValue> group);
}
