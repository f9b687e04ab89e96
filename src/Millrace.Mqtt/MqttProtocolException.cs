namespace Millrace.Mqtt;

/// <summary>
/// A received packet broke a rule of the MQTT specification. The connection must end:
/// on MQTT 5.0 by sending DISCONNECT (or CONNACK while connecting) with <see cref="ReasonCode"/>,
/// on MQTT 3.1.1 by closing the network connection.
/// </summary>
public sealed class MqttProtocolException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="reasonCode">The MQTT 5.0 reason code the specification prescribes for this failure.</param>
    /// <param name="rule">The normative statement or section broken, e.g. <c>MQTT-3.3.1-4</c> or <c>§2.2.2.2</c>.</param>
    /// <param name="message">What was wrong, for humans.</param>
    public MqttProtocolException(MqttReasonCode reasonCode, string rule, string message)
        : base($"{message} [{rule}]")
    {
        ReasonCode = reasonCode;
        Rule = rule;
    }

    /// <summary>The reason code to send in DISCONNECT/CONNACK (MQTT 5.0).</summary>
    public MqttReasonCode ReasonCode { get; }

    /// <summary>The normative statement (e.g. <c>MQTT-1.5.4-2</c>) or section that the packet violated.</summary>
    public string Rule { get; }

    /// <summary>
    /// The protocol version in effect when the failure was detected; <see cref="MqttProtocolVersion.Unknown"/>
    /// before CONNECT was understood. Tells the caller whether to answer with a 5.0 DISCONNECT or just close.
    /// </summary>
    public MqttProtocolVersion ProtocolVersion { get; internal set; }

    internal static MqttProtocolException Malformed(string rule, string message)
        => new(MqttReasonCode.MalformedPacket, rule, message);

    internal static MqttProtocolException Protocol(string rule, string message)
        => new(MqttReasonCode.ProtocolError, rule, message);
}
