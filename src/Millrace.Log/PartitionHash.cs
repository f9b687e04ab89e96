using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace Millrace.Log;

/// <summary>
/// The stable mapping from partition key to partition: MurmurHash3 (x86, 32-bit, seed 0) of the key's UTF-8 bytes,
/// sign bit cleared, modulo the partition count. It is identical across processes, machines and runtimes (unlike
/// <see cref="string.GetHashCode()"/>), so every backend must use exactly this function: a key always maps to the
/// same partition for a given partition count, which is what per-key ordering rests on.
/// </summary>
public static class PartitionHash
{
    private const int StackLimit = 256;

    /// <summary>The partition of <paramref name="partitionKey"/> among <paramref name="partitionCount"/> partitions.</summary>
    public static int PartitionOf(string partitionKey, int partitionCount)
    {
        ArgumentNullException.ThrowIfNull(partitionKey);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitionCount, 1);
        return (int)((Hash(partitionKey) & 0x7FFF_FFFFu) % (uint)partitionCount);
    }

    /// <summary>MurmurHash3 x86_32 (seed 0) of the UTF-8 encoding of <paramref name="key"/>.</summary>
    public static uint Hash(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        int max = Encoding.UTF8.GetMaxByteCount(key.Length);
        byte[]? rented = null;
        Span<byte> buffer = max <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(max));
        try
        {
            int length = Encoding.UTF8.GetBytes(key, buffer);
            return Murmur3(buffer[..length], 0);
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>MurmurHash3 x86_32 of raw bytes.</summary>
    public static uint Murmur3(ReadOnlySpan<byte> data, uint seed)
    {
        const uint c1 = 0xcc9e2d51, c2 = 0x1b873593;
        uint h = seed;
        int blocks = data.Length / 4;
        for (int i = 0; i < blocks; i++)
        {
            uint k = BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(i * 4, 4));
            k *= c1;
            k = BitOperations.RotateLeft(k, 15);
            k *= c2;
            h ^= k;
            h = BitOperations.RotateLeft(h, 13);
            h = h * 5 + 0xe6546b64;
        }

        ReadOnlySpan<byte> tail = data[(blocks * 4)..];
        uint t = 0;
        switch (tail.Length)
        {
            case 3: t ^= (uint)tail[2] << 16; goto case 2;
            case 2: t ^= (uint)tail[1] << 8; goto case 1;
            case 1:
                t ^= tail[0];
                t *= c1;
                t = BitOperations.RotateLeft(t, 15);
                t *= c2;
                h ^= t;
                break;
        }

        h ^= (uint)data.Length;
        h ^= h >> 16;
        h *= 0x85ebca6b;
        h ^= h >> 13;
        h *= 0xc2b2ae35;
        h ^= h >> 16;
        return h;
    }
}
