namespace Millrace.Mqtt.Client;

/// <summary>One Topic Filter to subscribe to, with its options. <c>+</c>, <c>#</c> and <c>$share/{group}/{filter}</c> are allowed.</summary>
/// <param name="Filter">The Topic Filter.</param>
/// <param name="QoS">Maximum QoS the server may deliver with.</param>
public sealed record MqttTopicSubscription(string Filter, MqttQualityOfService QoS = MqttQualityOfService.AtMostOnce)
{
    /// <summary>5.0 No Local: do not receive this client's own publications (not allowed on shared subscriptions).</summary>
    public bool NoLocal { get; init; }

    /// <summary>5.0 Retain As Published: keep the RETAIN flag of forwarded messages.</summary>
    public bool RetainAsPublished { get; init; }

    /// <summary>5.0 Retain Handling.</summary>
    public Packets.MqttRetainHandling RetainHandling { get; init; } = Packets.MqttRetainHandling.SendAtSubscribe;
}
