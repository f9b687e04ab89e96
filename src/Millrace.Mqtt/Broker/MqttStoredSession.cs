namespace Millrace.Mqtt.Broker;

/// <summary>
/// The persistent part of a session (MQTT 5.0 §4.1): subscriptions, messages waiting for or in delivery, and the
/// QoS 2 packet identifiers received but not yet released. Immutable snapshot written to an <see cref="IMqttSessionStore"/>.
/// </summary>
public sealed record MqttStoredSession
{
    /// <summary>Client Identifier.</summary>
    public required string ClientId { get; init; }
    /// <summary>Session Expiry Interval in seconds (<see cref="uint.MaxValue"/>: never).</summary>
    public uint ExpiryInterval { get; init; }
    /// <summary>When the session was last connected (expiry counts from there).</summary>
    public DateTimeOffset DisconnectedAt { get; init; }
    /// <summary>Subscriptions.</summary>
    public IReadOnlyList<MqttStoredSubscription> Subscriptions { get; init; } = [];
    /// <summary>Outgoing messages: in flight first (with their Packet Identifier), then queued (Packet Identifier 0).</summary>
    public IReadOnlyList<MqttStoredMessage> Messages { get; init; } = [];
    /// <summary>Incoming QoS 2 Packet Identifiers whose PUBREL has not arrived.</summary>
    public IReadOnlyList<ushort> IncomingQoS2 { get; init; } = [];
}

/// <summary>One subscription of a stored session.</summary>
/// <param name="Filter">Topic Filter as subscribed (possibly <c>$share/...</c>).</param>
/// <param name="Options">5.0 Subscription Options byte (QoS, No Local, Retain As Published, Retain Handling).</param>
/// <param name="SubscriptionIdentifier">5.0 Subscription Identifier, 0 when none.</param>
public sealed record MqttStoredSubscription(string Filter, byte Options, int SubscriptionIdentifier);

/// <summary>Delivery state of an outgoing message.</summary>
public enum MqttDeliveryState : byte
{
    /// <summary>Not sent yet.</summary>
    Queued = 0,
    /// <summary>PUBLISH sent, waiting for PUBACK (QoS 1) or PUBREC (QoS 2).</summary>
    AwaitingAcknowledgement = 1,
    /// <summary>PUBREL sent, waiting for PUBCOMP (QoS 2).</summary>
    AwaitingCompletion = 2,
}

/// <summary>One outgoing message of a stored session.</summary>
/// <param name="Message">The message.</param>
/// <param name="QoS">QoS of this delivery (the lower of publish and subscription QoS).</param>
/// <param name="Retain">RETAIN flag of this delivery.</param>
/// <param name="PacketIdentifier">Packet Identifier when in flight, else 0.</param>
/// <param name="State">Delivery state.</param>
/// <param name="SubscriptionIdentifiers">5.0 Subscription Identifiers to send with it.</param>
public sealed record MqttStoredMessage(MqttApplicationMessage Message, MqttQualityOfService QoS, bool Retain, ushort PacketIdentifier,
    MqttDeliveryState State, IReadOnlyList<int> SubscriptionIdentifiers);
