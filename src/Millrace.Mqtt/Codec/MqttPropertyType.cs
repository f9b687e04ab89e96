namespace Millrace.Mqtt.Codec;

/// <summary>Wire data type of a property value (§1.5).</summary>
public enum MqttPropertyType : byte
{
    /// <summary>Not a defined property.</summary>
    None,
    /// <summary>One byte.</summary>
    Byte,
    /// <summary>Big-endian 16-bit integer.</summary>
    TwoByteInteger,
    /// <summary>Big-endian 32-bit integer.</summary>
    FourByteInteger,
    /// <summary>Variable Byte Integer.</summary>
    VariableByteInteger,
    /// <summary>Length-prefixed UTF-8 string.</summary>
    Utf8String,
    /// <summary>Length-prefixed binary data.</summary>
    BinaryData,
    /// <summary>Two UTF-8 strings (name, value).</summary>
    Utf8StringPair,
}
