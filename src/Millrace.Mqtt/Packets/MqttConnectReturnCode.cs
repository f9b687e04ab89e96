namespace Millrace.Mqtt.Packets;

/// <summary>MQTT 3.1.1 CONNACK return codes (§3.2.2.3).</summary>
public enum MqttConnectReturnCode : byte
{
    /// <summary>Connection accepted.</summary>
    Accepted = 0,
    /// <summary>The server does not support the requested protocol level.</summary>
    UnacceptableProtocolVersion = 1,
    /// <summary>The Client Identifier is correct UTF-8 but not allowed.</summary>
    IdentifierRejected = 2,
    /// <summary>The MQTT service is unavailable.</summary>
    ServerUnavailable = 3,
    /// <summary>The data in the user name or password is malformed.</summary>
    BadUserNameOrPassword = 4,
    /// <summary>The client is not authorized to connect.</summary>
    NotAuthorized = 5,
}
