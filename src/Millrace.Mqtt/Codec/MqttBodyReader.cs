using System.Buffers;

namespace Millrace.Mqtt.Codec;

/// <summary>
/// Reads the fields of one packet body (variable header + payload). Every short read is a Malformed Packet:
/// the body length is already known, so running out of bytes means the Remaining Length lied.
/// Returned slices point into the caller's buffer (no copies).
/// </summary>
internal ref struct MqttBodyReader
{
    private SequenceReader<byte> _reader;
    private MqttProtocolVersion _version;
    private readonly MqttDecoderOptions _options;

    public MqttBodyReader(ReadOnlySequence<byte> body, MqttProtocolVersion version, MqttDecoderOptions options)
    {
        _reader = new SequenceReader<byte>(body);
        _version = version;
        _options = options;
    }

    public readonly MqttProtocolVersion Version => _version;
    public readonly MqttDecoderOptions Options => _options;
    public readonly bool IsV5 => _version == MqttProtocolVersion.V500;
    public readonly long Remaining => _reader.Remaining;
    public readonly bool End => _reader.End;

    /// <summary>Picks the rule number for the version in effect.</summary>
    public readonly string Rule(string v311, string v5) => IsV5 ? v5 : v311;

    public byte ReadByte(string field)
    {
        if (!_reader.TryRead(out byte b)) throw Short(field);
        return b;
    }

    public ushort ReadUInt16(string field)
    {
        if (!_reader.TryReadBigEndian(out short v)) throw Short(field);
        return (ushort)v;
    }

    public uint ReadUInt32(string field)
    {
        if (!_reader.TryReadBigEndian(out int v)) throw Short(field);
        return (uint)v;
    }

    public int ReadVariableByteInteger(string field)
    {
        var status = VariableByteInteger.TryRead(ref _reader, out int value);
        return status switch
        {
            VariableByteInteger.Status.Done => value,
            VariableByteInteger.Status.NotMinimal => throw MqttProtocolException.Malformed("MQTT-1.5.5-1", $"{field} is a Variable Byte Integer not in its minimal encoding"),
            VariableByteInteger.Status.TooLong => throw MqttProtocolException.Malformed("MQTT-1.5.5-1", $"{field} is a Variable Byte Integer longer than four bytes"),
            _ => throw Short(field),
        };
    }

    public ReadOnlySequence<byte> ReadBytes(long count, string field)
    {
        if (count > _reader.Remaining) throw Short(field);
        var slice = _reader.UnreadSequence.Slice(0, count);
        _reader.Advance(count);
        return slice;
    }

    /// <summary>Binary Data: two-byte length then bytes.</summary>
    public ReadOnlySequence<byte> ReadBinary(string field) => ReadBytes(ReadUInt16(field), field);

    /// <summary>UTF-8 Encoded String: two-byte length then well-formed UTF-8 without U+0000.</summary>
    public ReadOnlySequence<byte> ReadString(string field)
    {
        var value = ReadBytes(ReadUInt16(field), field);
        CheckUtf8(value, field);
        return value;
    }

    public readonly void CheckUtf8(in ReadOnlySequence<byte> value, string field)
    {
        switch (MqttUtf8.Validate(value, _options.RejectControlCharacters))
        {
            case MqttUtf8Status.Valid: return;
            case MqttUtf8Status.IllFormed:
                throw MqttProtocolException.Malformed(Rule("MQTT-1.5.3-1", "MQTT-1.5.4-1"), $"{field} is not well-formed UTF-8 (or encodes a surrogate)");
            case MqttUtf8Status.ContainsNull:
                throw MqttProtocolException.Malformed(Rule("MQTT-1.5.3-2", "MQTT-1.5.4-2"), $"{field} contains the null character U+0000");
            default:
                throw MqttProtocolException.Malformed(Rule("§1.5.3", "§1.5.4"), $"{field} contains a control character this receiver does not accept");
        }
    }

    public ReadOnlySequence<byte> ReadRest()
    {
        var rest = _reader.UnreadSequence;
        _reader.AdvanceToEnd();
        return rest;
    }

    /// <summary>5.0 Property Length + properties, validated for <paramref name="context"/>.</summary>
    public MqttProperties ReadProperties(MqttPropertyContext context)
    {
        int length = ReadVariableByteInteger("Property Length");
        if (length > _reader.Remaining)
            throw MqttProtocolException.Malformed("§2.2.2.1", $"Property Length {length} runs past the end of the packet");
        var raw = ReadBytes(length, "Properties");
        MqttPropertyValidator.Validate(raw, context, _version, _options);
        return new MqttProperties(raw);
    }

    /// <summary>Fails unless the whole body was consumed.</summary>
    public readonly void ExpectEnd(string packet)
    {
        if (!_reader.End)
            throw MqttProtocolException.Malformed("§2.1.4", $"{packet} has {_reader.Remaining} byte(s) after its last field; the Remaining Length does not match the content");
    }

    public readonly MqttProtocolException Short(string field)
        => MqttProtocolException.Malformed("§2.1.4", $"The packet ends inside {field}; the Remaining Length is too small for its content");

    /// <summary>CONNECT fixes the version after its Protocol Level byte.</summary>
    public void SetVersion(MqttProtocolVersion version) => _version = version;

    /// <summary>Compares a possibly multi-segment slice with a constant.</summary>
    public static bool SequenceEqual(in ReadOnlySequence<byte> value, ReadOnlySpan<byte> expected)
    {
        if (value.Length != expected.Length) return false;
        if (value.IsSingleSegment) return value.FirstSpan.SequenceEqual(expected);
        if (expected.Length > 256) return value.ToArray().AsSpan().SequenceEqual(expected); // rare: a long split value
        Span<byte> copy = stackalloc byte[256];
        value.CopyTo(copy);
        return copy[..expected.Length].SequenceEqual(expected);
    }
}
