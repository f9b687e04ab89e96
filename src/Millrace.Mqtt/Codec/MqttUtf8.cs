using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace Millrace.Mqtt.Codec;

/// <summary>
/// The string rules of 3.1.1 §1.5.3 and 5.0 §1.5.4: well-formed UTF-8 without surrogates [MQTT-1.5.4-1],
/// no U+0000 [MQTT-1.5.4-2]; a BOM (EF BB BF) is kept as U+FEFF [MQTT-1.5.4-3]. Control characters are
/// "SHOULD NOT" and a receiver MAY close on them, so rejecting them is an option.
/// </summary>
public static class MqttUtf8
{
    /// <summary>Checks a string held in one span.</summary>
    public static MqttUtf8Status Validate(ReadOnlySpan<byte> value, bool rejectControlCharacters = false)
    {
        if (Ascii.IsValid(value))
        {
            // Pure ASCII (the common case for topics): only NUL and controls can be wrong.
            if (!rejectControlCharacters) return value.IndexOf((byte)0) >= 0 ? MqttUtf8Status.ContainsNull : MqttUtf8Status.Valid;
            int bad = value.IndexOfAnyInRange((byte)0, (byte)0x1F);
            if (bad >= 0) return value[bad] == 0 ? MqttUtf8Status.ContainsNull : MqttUtf8Status.ContainsControlCharacter;
            return value.IndexOf((byte)0x7F) >= 0 ? MqttUtf8Status.ContainsControlCharacter : MqttUtf8Status.Valid;
        }
        if (!Utf8.IsValid(value)) return MqttUtf8Status.IllFormed; // also rejects surrogates and overlongs
        if (value.IndexOf((byte)0) >= 0) return MqttUtf8Status.ContainsNull; // U+0000 can only be 0x00 in well-formed UTF-8
        if (rejectControlCharacters)
        {
            for (int i = 0; i < value.Length; i++)
            {
                byte b = value[i];
                if (b < 0x20 || b == 0x7F) return MqttUtf8Status.ContainsControlCharacter;
                if (b == 0xC2 && i + 1 < value.Length && value[i + 1] <= 0x9F) return MqttUtf8Status.ContainsControlCharacter; // U+0080..U+009F
            }
        }
        return MqttUtf8Status.Valid;
    }

    /// <summary>Checks a string that may span several buffer segments.</summary>
    public static MqttUtf8Status Validate(in ReadOnlySequence<byte> value, bool rejectControlCharacters = false)
    {
        if (value.IsSingleSegment) return Validate(value.FirstSpan, rejectControlCharacters);
        // Split strings are rare (and at most 65,535 bytes): validate a contiguous copy so no code point is cut.
        int length = checked((int)value.Length);
        byte[]? rented = null;
        Span<byte> copy = length <= 256 ? stackalloc byte[256] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            value.CopyTo(copy);
            return Validate(copy[..length], rejectControlCharacters);
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Decodes (allocating) a string field; for logging, tests and APIs that need a <see cref="string"/>.</summary>
    public static string GetString(in ReadOnlySequence<byte> value) => Encoding.UTF8.GetString(value);
}
