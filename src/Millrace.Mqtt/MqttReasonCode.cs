namespace Millrace.Mqtt;

/// <summary>
/// MQTT 5.0 reason codes (spec section 2.4). Values below 0x80 mean success; 0x80 and above mean failure.
/// In MQTT 3.1.1 there are no reason codes on the wire; a decoder failure still carries one so the
/// caller knows why it closes the connection.
/// </summary>
public enum MqttReasonCode : byte
{
    /// <summary>Success / Normal disconnection / Granted QoS 0.</summary>
    Success = 0x00,
    /// <summary>Granted QoS 1 (SUBACK).</summary>
    GrantedQoS1 = 0x01,
    /// <summary>Granted QoS 2 (SUBACK).</summary>
    GrantedQoS2 = 0x02,
    /// <summary>Disconnect with Will Message (DISCONNECT).</summary>
    DisconnectWithWillMessage = 0x04,
    /// <summary>No matching subscribers (PUBACK, PUBREC).</summary>
    NoMatchingSubscribers = 0x10,
    /// <summary>No subscription existed (UNSUBACK).</summary>
    NoSubscriptionExisted = 0x11,
    /// <summary>Continue authentication (AUTH).</summary>
    ContinueAuthentication = 0x18,
    /// <summary>Re-authenticate (AUTH).</summary>
    ReAuthenticate = 0x19,
    /// <summary>Unspecified error.</summary>
    UnspecifiedError = 0x80,
    /// <summary>Malformed Packet: the packet cannot be parsed according to the specification.</summary>
    MalformedPacket = 0x81,
    /// <summary>Protocol Error: the packet parses but is not allowed by the protocol or the connection state.</summary>
    ProtocolError = 0x82,
    /// <summary>Implementation specific error.</summary>
    ImplementationSpecificError = 0x83,
    /// <summary>Unsupported Protocol Version (CONNACK).</summary>
    UnsupportedProtocolVersion = 0x84,
    /// <summary>Client Identifier not valid (CONNACK).</summary>
    ClientIdentifierNotValid = 0x85,
    /// <summary>Bad User Name or Password (CONNACK).</summary>
    BadUserNameOrPassword = 0x86,
    /// <summary>Not authorized.</summary>
    NotAuthorized = 0x87,
    /// <summary>Server unavailable (CONNACK).</summary>
    ServerUnavailable = 0x88,
    /// <summary>Server busy.</summary>
    ServerBusy = 0x89,
    /// <summary>Banned (CONNACK).</summary>
    Banned = 0x8A,
    /// <summary>Server shutting down (DISCONNECT).</summary>
    ServerShuttingDown = 0x8B,
    /// <summary>Bad authentication method.</summary>
    BadAuthenticationMethod = 0x8C,
    /// <summary>Keep Alive timeout (DISCONNECT).</summary>
    KeepAliveTimeout = 0x8D,
    /// <summary>Session taken over (DISCONNECT).</summary>
    SessionTakenOver = 0x8E,
    /// <summary>Topic Filter invalid.</summary>
    TopicFilterInvalid = 0x8F,
    /// <summary>Topic Name invalid.</summary>
    TopicNameInvalid = 0x90,
    /// <summary>Packet Identifier in use.</summary>
    PacketIdentifierInUse = 0x91,
    /// <summary>Packet Identifier not found.</summary>
    PacketIdentifierNotFound = 0x92,
    /// <summary>Receive Maximum exceeded (DISCONNECT).</summary>
    ReceiveMaximumExceeded = 0x93,
    /// <summary>Topic Alias invalid (DISCONNECT).</summary>
    TopicAliasInvalid = 0x94,
    /// <summary>Packet too large.</summary>
    PacketTooLarge = 0x95,
    /// <summary>Message rate too high (DISCONNECT).</summary>
    MessageRateTooHigh = 0x96,
    /// <summary>Quota exceeded.</summary>
    QuotaExceeded = 0x97,
    /// <summary>Administrative action (DISCONNECT).</summary>
    AdministrativeAction = 0x98,
    /// <summary>Payload format invalid.</summary>
    PayloadFormatInvalid = 0x99,
    /// <summary>Retain not supported.</summary>
    RetainNotSupported = 0x9A,
    /// <summary>QoS not supported.</summary>
    QoSNotSupported = 0x9B,
    /// <summary>Use another server.</summary>
    UseAnotherServer = 0x9C,
    /// <summary>Server moved.</summary>
    ServerMoved = 0x9D,
    /// <summary>Shared Subscriptions not supported.</summary>
    SharedSubscriptionsNotSupported = 0x9E,
    /// <summary>Connection rate exceeded.</summary>
    ConnectionRateExceeded = 0x9F,
    /// <summary>Maximum connect time (DISCONNECT).</summary>
    MaximumConnectTime = 0xA0,
    /// <summary>Subscription Identifiers not supported.</summary>
    SubscriptionIdentifiersNotSupported = 0xA1,
    /// <summary>Wildcard Subscriptions not supported.</summary>
    WildcardSubscriptionsNotSupported = 0xA2,
}
