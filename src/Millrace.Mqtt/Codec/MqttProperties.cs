using System.Buffers;

namespace Millrace.Mqtt.Codec;

/// <summary>One property read from a property block.</summary>
public readonly struct MqttProperty
{
    internal MqttProperty(MqttPropertyId id, uint number, ReadOnlySequence<byte> name, ReadOnlySequence<byte> value)
    {
        Id = id;
        Number = number;
        Name = name;
        Value = value;
    }

    /// <summary>The identifier.</summary>
    public MqttPropertyId Id { get; }

    /// <summary>The data type, from the identifier.</summary>
    public MqttPropertyType Type => MqttPropertyTable.GetType((int)Id);

    /// <summary>The value of a Byte, Two/Four Byte Integer or Variable Byte Integer property.</summary>
    public uint Number { get; }

    /// <summary>The name of a User Property (UTF-8), empty otherwise.</summary>
    public ReadOnlySequence<byte> Name { get; }

    /// <summary>The bytes of a UTF-8 string or binary property, or the value of a User Property.</summary>
    public ReadOnlySequence<byte> Value { get; }
}

/// <summary>
/// A validated MQTT 5.0 property block, kept in its encoded form (no copy, no allocation) and read on demand.
/// When it comes from a decoder it is a slice of the input buffer and is valid only until that buffer is
/// advanced; when it comes from <see cref="MqttPropertiesBuilder"/> it is valid until the builder is reset.
/// </summary>
public readonly struct MqttProperties
{
    /// <summary>Wraps already validated encoded properties (without the Property Length prefix).</summary>
    internal MqttProperties(ReadOnlySequence<byte> encoded) => Encoded = encoded;

    /// <summary>No properties.</summary>
    public static MqttProperties Empty => default;

    /// <summary>The encoded properties without the Property Length prefix.</summary>
    public ReadOnlySequence<byte> Encoded { get; }

    /// <summary>True when there are no properties.</summary>
    public bool IsEmpty => Encoded.IsEmpty;

    /// <summary>Number of encoded bytes (the Property Length).</summary>
    public int Length => (int)Encoded.Length;

    /// <summary>Enumerates the properties in wire order.</summary>
    public Enumerator GetEnumerator() => new(Encoded);

    /// <summary>Finds the first numeric property with this identifier.</summary>
    public bool TryGetNumber(MqttPropertyId id, out uint value)
    {
        foreach (var p in this)
            if (p.Id == id) { value = p.Number; return true; }
        value = 0;
        return false;
    }

    /// <summary>Finds the first string or binary property with this identifier.</summary>
    public bool TryGetBytes(MqttPropertyId id, out ReadOnlySequence<byte> value)
    {
        foreach (var p in this)
            if (p.Id == id) { value = p.Value; return true; }
        value = default;
        return false;
    }

    /// <summary>Finds a string property and decodes it (allocates).</summary>
    public string? GetString(MqttPropertyId id) => TryGetBytes(id, out var v) ? MqttUtf8.GetString(v) : null;

    /// <summary>Finds a numeric property.</summary>
    public uint? GetNumber(MqttPropertyId id) => TryGetNumber(id, out var v) ? v : null;

    /// <summary>Counts the properties with this identifier (User Property and Subscription Identifier may repeat).</summary>
    public int Count(MqttPropertyId id)
    {
        int n = 0;
        foreach (var p in this) if (p.Id == id) n++;
        return n;
    }

    /// <summary>Reads encoded, validated properties one by one.</summary>
    public ref struct Enumerator
    {
        private SequenceReader<byte> _reader;
        private MqttProperty _current;

        internal Enumerator(ReadOnlySequence<byte> encoded)
        {
            _reader = new SequenceReader<byte>(encoded);
            _current = default;
        }

        /// <summary>The property at the current position.</summary>
        public readonly MqttProperty Current => _current;

        /// <summary>Moves to the next property.</summary>
        public bool MoveNext()
        {
            // The block was validated when decoded or built, so reads here cannot fail; stop defensively if they do.
            if (!_reader.TryRead(out byte idByte)) return false;
            var id = (MqttPropertyId)idByte;
            uint number = 0;
            ReadOnlySequence<byte> name = default, value = default;
            switch (MqttPropertyTable.GetType(idByte))
            {
                case MqttPropertyType.Byte:
                    if (!_reader.TryRead(out byte b)) return false;
                    number = b;
                    break;
                case MqttPropertyType.TwoByteInteger:
                    if (!_reader.TryReadBigEndian(out short s)) return false;
                    number = (ushort)s;
                    break;
                case MqttPropertyType.FourByteInteger:
                    if (!_reader.TryReadBigEndian(out int i)) return false;
                    number = (uint)i;
                    break;
                case MqttPropertyType.VariableByteInteger:
                    if (VariableByteInteger.TryRead(ref _reader, out int v) != VariableByteInteger.Status.Done) return false;
                    number = (uint)v;
                    break;
                case MqttPropertyType.Utf8String:
                case MqttPropertyType.BinaryData:
                    if (!TryReadPrefixed(ref _reader, out value)) return false;
                    break;
                case MqttPropertyType.Utf8StringPair:
                    if (!TryReadPrefixed(ref _reader, out name) || !TryReadPrefixed(ref _reader, out value)) return false;
                    break;
                default:
                    return false;
            }
            _current = new MqttProperty(id, number, name, value);
            return true;
        }

        private static bool TryReadPrefixed(ref SequenceReader<byte> reader, out ReadOnlySequence<byte> value)
        {
            value = default;
            if (!reader.TryReadBigEndian(out short len) || (ushort)len > reader.Remaining) return false;
            value = reader.UnreadSequence.Slice(0, (ushort)len);
            reader.Advance((ushort)len);
            return true;
        }
    }
}
