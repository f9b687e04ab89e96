namespace Millrace.Mqtt;

/// <summary>MQTT control packet types: the high nibble of the fixed header's first byte.</summary>
public enum MqttPacketType : byte
{
    /// <summary>Client request to connect to a server.</summary>
    Connect = 1,
    /// <summary>Connect acknowledgement.</summary>
    ConnAck = 2,
    /// <summary>Publish an application message.</summary>
    Publish = 3,
    /// <summary>QoS 1 publish acknowledgement.</summary>
    PubAck = 4,
    /// <summary>QoS 2 publish received (part 1).</summary>
    PubRec = 5,
    /// <summary>QoS 2 publish release (part 2).</summary>
    PubRel = 6,
    /// <summary>QoS 2 publish complete (part 3).</summary>
    PubComp = 7,
    /// <summary>Subscribe request.</summary>
    Subscribe = 8,
    /// <summary>Subscribe acknowledgement.</summary>
    SubAck = 9,
    /// <summary>Unsubscribe request.</summary>
    Unsubscribe = 10,
    /// <summary>Unsubscribe acknowledgement.</summary>
    UnsubAck = 11,
    /// <summary>Ping request.</summary>
    PingReq = 12,
    /// <summary>Ping response.</summary>
    PingResp = 13,
    /// <summary>Disconnect notification.</summary>
    Disconnect = 14,
    /// <summary>Authentication exchange (MQTT 5.0 only).</summary>
    Auth = 15,
}
