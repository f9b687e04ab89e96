namespace Millrace.Mqtt.Codec;

/// <summary>Which property set is being read: packets (and the Will) allow different identifiers.</summary>
public enum MqttPropertyContext : byte
{
    /// <summary>CONNECT variable header.</summary>
    Connect,
    /// <summary>CONNECT payload Will Properties.</summary>
    Will,
    /// <summary>CONNACK.</summary>
    ConnAck,
    /// <summary>PUBLISH.</summary>
    Publish,
    /// <summary>PUBACK, PUBREC, PUBREL, PUBCOMP.</summary>
    PublishResponse,
    /// <summary>SUBSCRIBE.</summary>
    Subscribe,
    /// <summary>SUBACK.</summary>
    SubAck,
    /// <summary>UNSUBSCRIBE.</summary>
    Unsubscribe,
    /// <summary>UNSUBACK.</summary>
    UnsubAck,
    /// <summary>DISCONNECT.</summary>
    Disconnect,
    /// <summary>AUTH.</summary>
    Auth,
}
