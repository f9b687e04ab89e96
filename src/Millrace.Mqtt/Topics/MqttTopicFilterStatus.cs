namespace Millrace.Mqtt.Topics;

/// <summary>Why a Topic Filter is (in)valid (3.1.1 §4.7, 5.0 §4.7 and §4.8.2).</summary>
public enum MqttTopicFilterStatus
{
    /// <summary>A valid filter.</summary>
    Valid,
    /// <summary>Zero length [MQTT-4.7.3-1].</summary>
    Empty,
    /// <summary>Longer than 65,535 bytes [MQTT-4.7.3-3].</summary>
    TooLong,
    /// <summary>Contains U+0000 [MQTT-4.7.3-2].</summary>
    ContainsNull,
    /// <summary>'#' not alone in the last level.</summary>
    MisplacedMultiLevelWildcard,
    /// <summary>'+' not alone in its level.</summary>
    MisplacedSingleLevelWildcard,
    /// <summary>A <c>$share/</c> filter without a valid ShareName and Topic Filter [MQTT-4.8.2-1], [MQTT-4.8.2-2].</summary>
    InvalidSharedSubscription,
}
