namespace Millrace.Mqtt.Broker;

/// <summary>Something the subscription trie delivers to: a client session or an in-process subscription.
/// Compared by reference.</summary>
internal abstract class MqttSubscriber
{
    /// <summary>True when a delivery now would reach a live consumer (shared subscriptions prefer those).</summary>
    public abstract bool IsOnline { get; }

    /// <summary>Queues a message for this subscriber; never blocks. Returns false when it was dropped.</summary>
    public abstract bool Deliver(in MqttDelivery delivery);
}
