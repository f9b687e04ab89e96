namespace Millrace.Mqtt.Codec;

/// <summary>Result of checking an MQTT UTF-8 Encoded String.</summary>
public enum MqttUtf8Status
{
    /// <summary>The string is acceptable.</summary>
    Valid,
    /// <summary>Not well-formed UTF-8 (includes overlong forms and encoded surrogates U+D800..U+DFFF).</summary>
    IllFormed,
    /// <summary>Contains U+0000.</summary>
    ContainsNull,
    /// <summary>Contains a control character U+0001..U+001F or U+007F..U+009F (only when those are rejected).</summary>
    ContainsControlCharacter,
}
