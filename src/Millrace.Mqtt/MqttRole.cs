namespace Millrace.Mqtt;

/// <summary>Which end of the connection a decoder serves; it decides which packets may legally arrive.</summary>
public enum MqttRole : byte
{
    /// <summary>The decoder reads packets sent by a client (CONNECT, SUBSCRIBE, PINGREQ, ...).</summary>
    Server = 0,
    /// <summary>The decoder reads packets sent by a server (CONNACK, SUBACK, PINGRESP, ...).</summary>
    Client = 1,
}
