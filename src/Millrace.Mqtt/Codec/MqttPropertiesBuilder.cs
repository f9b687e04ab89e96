using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Millrace.Mqtt.Codec;

/// <summary>
/// Builds an encoded MQTT 5.0 property block for sending. Reusable: <see cref="Clear"/> and build again.
/// The <see cref="MqttProperties"/> returned by <see cref="Build"/> points into this builder's buffer and is valid
/// until the next change. Values are checked against each identifier's type; whether an identifier is allowed in a
/// packet is checked when the packet is written.
/// </summary>
public sealed class MqttPropertiesBuilder
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private readonly ArrayBufferWriter<byte> _buffer = new(64);

    /// <summary>Forgets all properties.</summary>
    public MqttPropertiesBuilder Clear()
    {
        _buffer.ResetWrittenCount();
        return this;
    }

    /// <summary>Adds a Byte, Two Byte, Four Byte or Variable Byte Integer property.</summary>
    /// <exception cref="ArgumentException">The identifier is not numeric, or the value does not fit its type.</exception>
    public MqttPropertiesBuilder Add(MqttPropertyId id, uint value)
    {
        var type = MqttPropertyTable.GetType((int)id);
        switch (type)
        {
            case MqttPropertyType.Byte when value <= byte.MaxValue:
                var b = _buffer.GetSpan(2);
                b[0] = (byte)id;
                b[1] = (byte)value;
                _buffer.Advance(2);
                break;
            case MqttPropertyType.TwoByteInteger when value <= ushort.MaxValue:
                var s = _buffer.GetSpan(3);
                s[0] = (byte)id;
                BinaryPrimitives.WriteUInt16BigEndian(s[1..], (ushort)value);
                _buffer.Advance(3);
                break;
            case MqttPropertyType.FourByteInteger:
                var f = _buffer.GetSpan(5);
                f[0] = (byte)id;
                BinaryPrimitives.WriteUInt32BigEndian(f[1..], value);
                _buffer.Advance(5);
                break;
            case MqttPropertyType.VariableByteInteger when value is > 0 and <= VariableByteInteger.MaxValue:
                var v = _buffer.GetSpan(1 + VariableByteInteger.MaxLength);
                v[0] = (byte)id;
                _buffer.Advance(1 + VariableByteInteger.Write(v[1..], (int)value));
                break;
            default:
                throw new ArgumentException($"{id} ({type}) cannot hold the number {value}.", nameof(value));
        }
        return this;
    }

    /// <summary>Adds a UTF-8 string property.</summary>
    public MqttPropertiesBuilder Add(MqttPropertyId id, string value)
    {
        if (MqttPropertyTable.GetType((int)id) != MqttPropertyType.Utf8String) throw new ArgumentException($"{id} is not a UTF-8 string property.", nameof(id));
        var bytes = ToUtf8(value, nameof(value));
        WriteId(id);
        WritePrefixed(bytes);
        return this;
    }

    /// <summary>Adds a string (already UTF-8) or binary property.</summary>
    public MqttPropertiesBuilder Add(MqttPropertyId id, ReadOnlySpan<byte> value)
    {
        var type = MqttPropertyTable.GetType((int)id);
        if (type is not (MqttPropertyType.Utf8String or MqttPropertyType.BinaryData)) throw new ArgumentException($"{id} is not a string or binary property.", nameof(id));
        if (type == MqttPropertyType.Utf8String && MqttUtf8.Validate(value) != MqttUtf8Status.Valid) throw new ArgumentException($"{id} is not a valid MQTT UTF-8 string.", nameof(value));
        CheckLength(value.Length);
        WriteId(id);
        WritePrefixed(value);
        return this;
    }

    /// <summary>Adds a User Property (may repeat; order is kept).</summary>
    public MqttPropertiesBuilder AddUserProperty(string name, string value)
    {
        // Encode and check both strings before writing anything, so a rejected pair leaves the block unchanged.
        var n = ToUtf8(name, nameof(name));
        var v = ToUtf8(value, nameof(value));
        WriteId(MqttPropertyId.UserProperty);
        WritePrefixed(n);
        WritePrefixed(v);
        return this;
    }

    /// <summary>The encoded block; valid until this builder changes.</summary>
    public MqttProperties Build() => new(new ReadOnlySequence<byte>(_buffer.WrittenMemory));

    private void WriteId(MqttPropertyId id)
    {
        _buffer.GetSpan(1)[0] = (byte)id;
        _buffer.Advance(1);
    }

    private static byte[] ToUtf8(string value, string parameter)
    {
        // Property strings are small and built once per message template; a short-lived array is fine here.
        byte[] bytes;
        try
        {
            bytes = StrictUtf8.GetBytes(value);
        }
        catch (EncoderFallbackException e)
        {
            throw new ArgumentException("Not a valid MQTT UTF-8 string: it contains a lone surrogate.", parameter, e);
        }
        if (MqttUtf8.Validate(bytes) != MqttUtf8Status.Valid)
            throw new ArgumentException("Not a valid MQTT UTF-8 string: it contains U+0000.", parameter);
        CheckLength(bytes.Length);
        return bytes;
    }

    private static void CheckLength(int length)
    {
        if (length > ushort.MaxValue) throw new ArgumentException("Property values hold at most 65,535 bytes.");
    }

    private void WritePrefixed(ReadOnlySpan<byte> value)
    {
        var span = _buffer.GetSpan(2 + value.Length);
        BinaryPrimitives.WriteUInt16BigEndian(span, (ushort)value.Length);
        value.CopyTo(span[2..]);
        _buffer.Advance(2 + value.Length);
    }
}
