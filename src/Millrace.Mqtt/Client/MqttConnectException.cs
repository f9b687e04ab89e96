namespace Millrace.Mqtt.Client;

/// <summary>The server refused the connection: CONNACK carried a failure reason (or 3.1.1 return) code.</summary>
public sealed class MqttConnectException : MqttClientException
{
    /// <summary>Creates the exception.</summary>
    public MqttConnectException(MqttReasonCode reasonCode, string? reasonString)
        : base($"The server refused the connection: {reasonCode} (0x{(byte)reasonCode:X2}){(reasonString is null ? "" : $", \"{reasonString}\"")}.")
    {
        ReasonCode = reasonCode;
        ReasonString = reasonString;
    }

    /// <summary>The CONNACK reason code (3.1.1 return codes are mapped to their 5.0 equivalent).</summary>
    public MqttReasonCode ReasonCode { get; }

    /// <summary>The 5.0 Reason String, when the server sent one.</summary>
    public string? ReasonString { get; }
}
