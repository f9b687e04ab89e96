using Millrace.Mqtt.Packets;

namespace Millrace.Mqtt.Broker;

/// <summary>What the broker remembers of one subscription (the trie's value).</summary>
/// <param name="QoS">Maximum QoS granted.</param>
/// <param name="NoLocal">5.0 No Local: not sent back to the publishing client.</param>
/// <param name="RetainAsPublished">5.0 Retain As Published: keep the RETAIN flag when forwarding.</param>
/// <param name="RetainHandling">5.0 Retain Handling.</param>
/// <param name="SubscriptionIdentifier">5.0 Subscription Identifier (0: none).</param>
internal readonly record struct MqttSubscriptionOptions(MqttQualityOfService QoS, bool NoLocal, bool RetainAsPublished,
    MqttRetainHandling RetainHandling, int SubscriptionIdentifier)
{
    public byte OptionsByte => (byte)((int)QoS | (NoLocal ? 0x04 : 0) | (RetainAsPublished ? 0x08 : 0) | ((int)RetainHandling << 4));

    public static MqttSubscriptionOptions FromByte(byte options, int subscriptionIdentifier)
        => new((MqttQualityOfService)(options & 3), (options & 0x04) != 0, (options & 0x08) != 0, (MqttRetainHandling)((options >> 4) & 3), subscriptionIdentifier);
}
