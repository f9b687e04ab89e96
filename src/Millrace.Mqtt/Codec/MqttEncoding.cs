using System.Buffers;

namespace Millrace.Mqtt.Codec;

/// <summary>Size arithmetic and argument checks shared by the packet encoders.</summary>
internal static class MqttEncoding
{
    /// <summary>Size of a length-prefixed string/binary field, checking the 65,535-byte limit.</summary>
    public static int Prefixed(in ReadOnlySequence<byte> value, string field)
    {
        if (value.Length > ushort.MaxValue)
            throw new ArgumentException($"{field} is {value.Length} bytes; a UTF-8 string or binary field holds at most 65,535.", field);
        return 2 + (int)value.Length;
    }

    /// <summary>Size of a property block with its length prefix (0 on 3.1.1, which has no properties).</summary>
    public static int Properties(in MqttProperties properties, MqttProtocolVersion version, MqttPropertyContext context)
    {
        if (version != MqttProtocolVersion.V500) return 0;
        foreach (var p in properties)
            if (!MqttPropertyTable.IsAllowed(context, (int)p.Id))
                throw new ArgumentException($"Property {p.Id} is not allowed in {context}.", nameof(properties));
        return VariableByteInteger.GetByteCount(properties.Length) + properties.Length;
    }

    /// <summary>Whole packet size for a remaining length; checks the protocol maximum.</summary>
    public static int Total(long remainingLength)
    {
        if (remainingLength > VariableByteInteger.MaxValue)
            throw new ArgumentException($"The packet's Remaining Length {remainingLength} exceeds the maximum of 268,435,455 bytes.");
        return 1 + VariableByteInteger.GetByteCount((int)remainingLength) + (int)remainingLength;
    }

    public static void CheckVersion(MqttProtocolVersion version)
    {
        if (version is not (MqttProtocolVersion.V311 or MqttProtocolVersion.V500))
            throw new ArgumentOutOfRangeException(nameof(version), version, "Encode with MQTT 3.1.1 or 5.0.");
    }

    public static void Finish(IBufferWriter<byte> output, in MqttSpanWriter writer, int total)
    {
        if (writer.Position != total) throw new InvalidOperationException($"Encoder size mismatch: computed {total}, wrote {writer.Position}.");
        output.Advance(total);
    }
}
