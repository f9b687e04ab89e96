namespace Millrace.Mqtt.Client;

/// <summary>
/// How a publication ended: for QoS 0 when it was handed to the connection, for QoS 1 on PUBACK, for QoS 2 on
/// PUBCOMP (or on a failing PUBREC). On 3.1.1 the reason code is always <see cref="MqttReasonCode.Success"/>.
/// </summary>
/// <param name="ReasonCode">The PUBACK/PUBREC/PUBCOMP reason code.</param>
public readonly record struct MqttPublishResult(MqttReasonCode ReasonCode)
{
    /// <summary>True for reason codes below 0x80 (including 0x10 No matching subscribers).</summary>
    public bool IsSuccess => (byte)ReasonCode < 0x80;
}
