using System.Buffers;

namespace Millrace.Mqtt.Codec;

/// <summary>
/// The MQTT Variable Byte Integer (3.1.1 §2.2.3 "Remaining Length", 5.0 §1.5.5): 7 bits per byte,
/// least significant group first, high bit = "more bytes follow", at most four bytes.
/// </summary>
public static class VariableByteInteger
{
    /// <summary>Largest encodable value, 268,435,455 (0x0FFFFFFF).</summary>
    public const int MaxValue = 0x0FFF_FFFF;

    /// <summary>Largest number of bytes an encoding may use.</summary>
    public const int MaxLength = 4;

    /// <summary>Number of bytes the minimal encoding of <paramref name="value"/> uses.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative or above <see cref="MaxValue"/>.</exception>
    public static int GetByteCount(int value)
    {
        if ((uint)value > MaxValue) throw new ArgumentOutOfRangeException(nameof(value), value, "A Variable Byte Integer holds 0..268,435,455.");
        return value < 0x80 ? 1 : value < 0x4000 ? 2 : value < 0x20_0000 ? 3 : 4;
    }

    /// <summary>Writes the minimal encoding of <paramref name="value"/>; returns the number of bytes written.</summary>
    public static int Write(Span<byte> destination, int value)
    {
        int count = GetByteCount(value);
        uint v = (uint)value;
        for (int i = 0; i < count; i++)
        {
            byte b = (byte)(v & 0x7F);
            v >>= 7;
            destination[i] = i + 1 < count ? (byte)(b | 0x80) : b;
        }
        return count;
    }

    /// <summary>Outcome of <see cref="TryRead(ReadOnlySpan{byte}, out int, out int)"/>.</summary>
    public enum Status
    {
        /// <summary>A value was read.</summary>
        Done,
        /// <summary>The input ends before the last byte of the integer.</summary>
        Incomplete,
        /// <summary>The fourth byte still has the continuation bit set: more than four bytes.</summary>
        TooLong,
        /// <summary>The value is not in its minimal encoding (a multi-byte encoding ending with 0x00).</summary>
        NotMinimal,
    }

    /// <summary>Reads an integer from the start of <paramref name="source"/>.</summary>
    public static Status TryRead(ReadOnlySpan<byte> source, out int value, out int bytesRead)
    {
        value = 0;
        bytesRead = 0;
        int shift = 0;
        for (int i = 0; i < MaxLength; i++)
        {
            if (i >= source.Length) return Status.Incomplete;
            byte b = source[i];
            value |= (b & 0x7F) << shift;
            shift += 7;
            if ((b & 0x80) == 0)
            {
                bytesRead = i + 1;
                return i > 0 && b == 0 ? Status.NotMinimal : Status.Done;
            }
        }
        value = 0;
        return Status.TooLong;
    }

    /// <summary>Reads an integer from a sequence reader; on anything but <see cref="Status.Done"/> or
    /// <see cref="Status.NotMinimal"/> the reader is not advanced.</summary>
    public static Status TryRead(ref SequenceReader<byte> reader, out int value)
    {
        Span<byte> scratch = stackalloc byte[MaxLength];
        scoped ReadOnlySpan<byte> head = reader.UnreadSpan;
        if (head.Length < MaxLength)
        {
            int n = (int)Math.Min(MaxLength, reader.Remaining);
            reader.TryCopyTo(scratch[..n]);
            head = scratch[..n];
        }
        Status status = TryRead(head, out value, out int read);
        if (status is Status.Done or Status.NotMinimal) reader.Advance(read);
        return status;
    }
}
