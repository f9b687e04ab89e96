namespace Millrace.Schema.Internal;

/// <summary>
/// Which members (by enumeration index) or items (by index) of one instance were evaluated: the annotations that
/// unevaluatedProperties / unevaluatedItems consume. Only created when a schema actually uses unevaluated*.
/// </summary>
internal sealed class EvaluatedSet
{
    private ulong[] _bits = new ulong[1];
    private int _length;

    public void Reset(int length)
    {
        int words = (length + 63) >> 6;
        if (_bits.Length < words) _bits = new ulong[words];
        else Array.Clear(_bits, 0, Math.Max(words, 1));
        _length = length;
    }

    public void Mark(int index)
    {
        if ((uint)index < (uint)_length) _bits[index >> 6] |= 1UL << (index & 63);
    }

    public void MarkRange(int start, int end)
    {
        for (int i = start; i < end && i < _length; i++) _bits[i >> 6] |= 1UL << (i & 63);
    }

    public bool IsMarked(int index) =>
        (uint)index < (uint)_length && (_bits[index >> 6] & (1UL << (index & 63))) != 0;

    public void Merge(EvaluatedSet other)
    {
        int words = (Math.Min(_length, other._length) + 63) >> 6;
        for (int i = 0; i < words; i++) _bits[i] |= other._bits[i];
    }
}
