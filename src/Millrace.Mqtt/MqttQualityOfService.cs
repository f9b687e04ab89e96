namespace Millrace.Mqtt;

/// <summary>Delivery guarantee of an application message.</summary>
public enum MqttQualityOfService : byte
{
    /// <summary>QoS 0: at most once.</summary>
    AtMostOnce = 0,
    /// <summary>QoS 1: at least once.</summary>
    AtLeastOnce = 1,
    /// <summary>QoS 2: exactly once.</summary>
    ExactlyOnce = 2,
}
