namespace Millrace.Hub.Processing.Rules;

/// <summary>
/// Remembers the most recent message ids of a shard in bounded memory: two generations of at most half the memory
/// each; when the current one fills, the older is forgotten. The sets grow on demand up to their bound and keep their
/// capacity when cleared, so once warm, adds allocate nothing.
/// </summary>
internal sealed class MessageIdFilter
{
    private readonly int _generation;
    private HashSet<ulong> _current;
    private HashSet<ulong> _previous;

    public MessageIdFilter(int memory)
    {
        _generation = Math.Max(1, memory / 2);
        _current = [];
        _previous = [];
    }

    /// <summary>True when <paramref name="id"/> was seen recently; otherwise remembers it and returns false.</summary>
    public bool SeenBefore(ulong id)
    {
        if (_current.Contains(id) || _previous.Contains(id)) return true;
        if (_current.Count >= _generation)
        {
            (_previous, _current) = (_current, _previous);
            _current.Clear();
        }
        _current.Add(id);
        return false;
    }

    public void Write(BinaryWriter w)
    {
        foreach (var set in new[] { _previous, _current })
        {
            w.Write(set.Count);
            foreach (var id in set) w.Write(id);
        }
    }

    public static void Skip(BinaryReader r)
    {
        for (int g = 0; g < 2; g++)
        {
            int n = r.ReadInt32();
            if (n < 0) throw new InvalidDataException("message-id memory has a negative size");
            for (int i = 0; i < n; i++) r.ReadUInt64();
        }
    }

    public void Read(BinaryReader r)
    {
        foreach (var set in new[] { _previous, _current })
        {
            set.Clear();
            int n = r.ReadInt32();
            if (n < 0 || n > _generation * 2) throw new InvalidDataException($"message-id memory holds {n} ids, more than this shard remembers");
            for (int i = 0; i < n; i++) set.Add(r.ReadUInt64());
        }
    }
}
