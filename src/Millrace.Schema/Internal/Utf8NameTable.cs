using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Millrace.Schema.Internal;

/// <summary>
/// Maps property names to indexes by their UTF-8 bytes, so instance members can be matched against schema names
/// without materialising a string per member. Escaped instance names fall back to a string comparison.
/// </summary>
internal sealed class Utf8NameTable
{
    private const int LinearLimit = 8;
    private readonly string[] _names;
    private readonly byte[][] _utf8;
    private readonly int[] _buckets = [];
    private readonly int[] _next = [];

    public Utf8NameTable(IReadOnlyList<string> names)
    {
        _names = names.ToArray();
        _utf8 = _names.Select(Encoding.UTF8.GetBytes).ToArray();
        if (_names.Length > LinearLimit)
        {
            int size = 1;
            while (size < _names.Length * 2) size <<= 1;
            _buckets = Enumerable.Repeat(-1, size).ToArray();
            _next = new int[_names.Length];
            for (int i = 0; i < _names.Length; i++)
            {
                int b = (int)(Hash(_utf8[i]) & (uint)(size - 1));
                _next[i] = _buckets[b];
                _buckets[b] = i;
            }
        }
    }

    public int Count => _names.Length;

    public string this[int index] => _names[index];

    public ReadOnlySpan<byte> Utf8(int index) => _utf8[index];

    /// <summary>Index of the member's name, or -1.</summary>
    public int IndexOf(JsonProperty property) => IndexOf(property, -1);

    /// <summary>
    /// Index of the member's name, or -1; the name at <paramref name="predicted"/> is compared first, which makes
    /// members written in schema order cost one comparison instead of a hash.
    /// </summary>
    public int IndexOf(JsonProperty property, int predicted)
    {
        var raw = JsonMarshal.GetRawUtf8PropertyName(property);
        if ((uint)predicted < (uint)_utf8.Length && raw.SequenceEqual(_utf8[predicted])) return predicted;
        if (raw.IndexOf((byte)'\\') >= 0) return IndexOf(Encoding.UTF8.GetBytes(property.Name));
        return IndexOf(raw);
    }

    public int IndexOf(ReadOnlySpan<byte> utf8)
    {
        if (_buckets.Length == 0)
        {
            for (int i = 0; i < _utf8.Length; i++)
                if (utf8.SequenceEqual(_utf8[i])) return i;
            return -1;
        }
        for (int i = _buckets[(int)(Hash(utf8) & (uint)(_buckets.Length - 1))]; i >= 0; i = _next[i])
            if (utf8.SequenceEqual(_utf8[i])) return i;
        return -1;
    }

    private static uint Hash(ReadOnlySpan<byte> bytes)
    {
        uint h = 2166136261;
        foreach (byte b in bytes) h = (h ^ b) * 16777619;
        return h;
    }
}
