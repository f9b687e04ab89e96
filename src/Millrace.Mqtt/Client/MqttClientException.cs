namespace Millrace.Mqtt.Client;

/// <summary>A client operation failed: not connected, connection lost, disposed, or refused by the server.</summary>
public class MqttClientException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MqttClientException(string message, Exception? inner = null) : base(message, inner) { }
}
