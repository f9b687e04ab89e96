namespace Millrace.Mqtt.Broker;

/// <summary>Where a client connection is in its life.</summary>
internal enum MqttConnectionState
{
    /// <summary>Accepted (TLS done); waiting for CONNECT.</summary>
    AwaitingConnect,
    /// <summary>CONNECT read; authenticating and setting up the session.</summary>
    Connecting,
    /// <summary>CONNACK sent: packets flow.</summary>
    Connected,
    /// <summary>Ending: a DISCONNECT was received or is being sent; nothing more is read.</summary>
    Disconnecting,
    /// <summary>Socket closed, session detached, will handled.</summary>
    Closed,
}
