using System.Buffers;

namespace Millrace.Log.Sqlite;

/// <summary>A growable buffer collecting one partition's records of the current transaction.</summary>
internal sealed class ChunkBuilder
{
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);

    public int Length { get; private set; }
    public int Count { get; private set; }
    public long FirstOffset { get; private set; }
    public long FirstBytePos { get; private set; }
    public long AppendedAtTicks { get; private set; }

    public bool IsEmpty => Count == 0;

    public ReadOnlySpan<byte> Data => _buffer.AsSpan(0, Length);

    public void Start(long firstOffset, long firstBytePos, long appendedAtTicks)
    {
        Length = 0;
        Count = 0;
        FirstOffset = firstOffset;
        FirstBytePos = firstBytePos;
        AppendedAtTicks = appendedAtTicks;
    }

    public Span<byte> Reserve(int bytes)
    {
        if (_buffer.Length - Length < bytes)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, Length + bytes));
            _buffer.AsSpan(0, Length).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }

        var span = _buffer.AsSpan(Length, bytes);
        Length += bytes;
        Count++;
        return span;
    }

    /// <summary>Empties the builder, giving an oversized buffer back to the pool.</summary>
    public void Clear()
    {
        Length = 0;
        Count = 0;
        if (_buffer.Length > 4 * 1024 * 1024)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        }
    }
}
