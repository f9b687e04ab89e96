namespace Millrace.Mqtt;

/// <summary>The MQTT protocol revision spoken on a connection; the value is the wire "protocol level" of CONNECT.</summary>
public enum MqttProtocolVersion : byte
{
    /// <summary>No version negotiated yet (a server before it has read CONNECT).</summary>
    Unknown = 0,

    /// <summary>MQTT 3.1.1 (OASIS Standard, 29 October 2014), protocol level 4.</summary>
    V311 = 4,

    /// <summary>MQTT 5.0 (OASIS Standard, 7 March 2019), protocol level 5.</summary>
    V500 = 5,
}
