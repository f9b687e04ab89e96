namespace Millrace.Mqtt.Packets;

/// <summary>5.0 Retain Handling subscription option (§3.8.3.1).</summary>
public enum MqttRetainHandling : byte
{
    /// <summary>Send retained messages at the time of the subscribe.</summary>
    SendAtSubscribe = 0,
    /// <summary>Send retained messages only if the subscription did not exist.</summary>
    SendAtSubscribeIfNew = 1,
    /// <summary>Do not send retained messages.</summary>
    DoNotSend = 2,
}
