namespace Millrace.Mqtt.Broker;

/// <summary>One message on its way to one session: queued, or in flight with a Packet Identifier.</summary>
internal struct MqttDelivery
{
    public MqttApplicationMessage Message;
    public MqttQualityOfService QoS;
    public bool Retain;
    public MqttDeliveryState State;
    public ushort PacketIdentifier;
    public bool NeedsResend;       // sent on an earlier connection: send again with DUP (or PUBREL again)
    public long Sequence;          // keeps resends in their original order
    public int SubscriptionIdentifier;
    public int[]? MoreSubscriptionIdentifiers; // rare: overlapping subscriptions with several identifiers

    public MqttDelivery(MqttApplicationMessage message, MqttQualityOfService qos, bool retain, int subscriptionIdentifier, int[]? more)
    {
        Message = message;
        QoS = qos;
        Retain = retain;
        State = MqttDeliveryState.Queued;
        PacketIdentifier = 0;
        NeedsResend = false;
        Sequence = 0;
        SubscriptionIdentifier = subscriptionIdentifier;
        MoreSubscriptionIdentifiers = more;
    }

    public readonly IReadOnlyList<int> SubscriptionIdentifiers
        => SubscriptionIdentifier == 0 ? [] : MoreSubscriptionIdentifiers is null ? [SubscriptionIdentifier] : [SubscriptionIdentifier, .. MoreSubscriptionIdentifiers];
}
