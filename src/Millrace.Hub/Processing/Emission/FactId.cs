using System.Security.Cryptography;
using System.Text;

namespace Millrace.Hub.Processing.Emission;

/// <summary>
/// CloudEvent ids of business facts: a name-based UUID (RFC 9562 version 5, SHA-1) of the rule's fact key in the
/// Millrace namespace. The same fact key always gives the same id, on any machine and after any restart, which is
/// what lets the log store a re-emitted fact once.
/// </summary>
public static class FactId
{
    /// <summary>The Millrace fact namespace (a fixed, random UUID: ids stay stable as long as it never changes).</summary>
    public static readonly Guid Namespace = new("5b0d6a4e-8f3c-4c52-9a51-6e2f1d7c3b90");

    /// <summary>The id of the fact <paramref name="factKey"/>, formatted as a lowercase UUID.</summary>
    public static string For(string factKey) => Create(Namespace, factKey).ToString("D");

    /// <summary>A version 5 UUID of <paramref name="name"/> in <paramref name="ns"/>.</summary>
    public static Guid Create(Guid ns, string name)
    {
        int nameBytes = Encoding.UTF8.GetByteCount(name);
        byte[]? rented = nameBytes + 16 > 512 ? new byte[nameBytes + 16] : null;
        Span<byte> input = rented ?? stackalloc byte[nameBytes + 16];
        ns.TryWriteBytes(input, bigEndian: true, out _);
        Encoding.UTF8.GetBytes(name, input[16..]);
        Span<byte> hash = stackalloc byte[20];
        SHA1.HashData(input, hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50); // version 5
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80); // RFC 4122 variant
        return new Guid(hash[..16], bigEndian: true);
    }
}
