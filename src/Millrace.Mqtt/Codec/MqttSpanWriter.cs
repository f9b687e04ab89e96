using System.Buffers;
using System.Buffers.Binary;

namespace Millrace.Mqtt.Codec;

/// <summary>Writes packet fields into a span sized exactly beforehand (sizes come from the packet's own computation).</summary>
internal ref struct MqttSpanWriter
{
    private readonly Span<byte> _span;
    private int _position;

    public MqttSpanWriter(Span<byte> span)
    {
        _span = span;
        _position = 0;
    }

    public readonly int Position => _position;

    public void WriteByte(byte value) => _span[_position++] = value;

    public void WriteUInt16(ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_span[_position..], value);
        _position += 2;
    }

    public void WriteUInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(_span[_position..], value);
        _position += 4;
    }

    public void WriteVariableByteInteger(int value) => _position += VariableByteInteger.Write(_span[_position..], value);

    public void WriteBytes(in ReadOnlySequence<byte> value)
    {
        value.CopyTo(_span[_position..]);
        _position += (int)value.Length;
    }

    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        value.CopyTo(_span[_position..]);
        _position += value.Length;
    }

    /// <summary>Two-byte length prefix then the bytes (UTF-8 string or binary data).</summary>
    public void WritePrefixed(in ReadOnlySequence<byte> value)
    {
        WriteUInt16((ushort)value.Length);
        WriteBytes(value);
    }

    /// <summary>Property Length then the encoded properties.</summary>
    public void WriteProperties(in MqttProperties properties)
    {
        WriteVariableByteInteger(properties.Length);
        WriteBytes(properties.Encoded);
    }

    /// <summary>Fixed header: type and flags, then the Remaining Length.</summary>
    public void WriteFixedHeader(MqttPacketType type, int flags, int remainingLength)
    {
        WriteByte((byte)(((int)type << 4) | flags));
        WriteVariableByteInteger(remainingLength);
    }
}
