using System.Buffers.Binary;
using System.Text;

namespace Millrace.Log.Sqlite;

/// <summary>
/// Binary layout of the records inside one <c>log_chunks</c> row, back to back, little-endian:
/// <code>
/// int32  length of the rest of the record
/// int64  event time, UTC ticks
/// int16  event time offset, minutes
/// uint16 id length,   id bytes (UTF-8)
/// uint16 type length (0xFFFF = null), type bytes (UTF-8)
/// uint16 key length,  key bytes (UTF-8)
/// payload (the rest)
/// </code>
/// Text lengths fit 16 bits because <see cref="LogRecordRules.MaxTextLength"/> characters are at most 3 KiB of UTF-8.
/// </summary>
internal static class ChunkFormat
{
    private const int Fixed = 8 + 2 + 2 + 2 + 2;
    private const ushort NullType = 0xFFFF;

    /// <summary>Appends <paramref name="record"/> to <paramref name="chunk"/>; returns its logical size (<see cref="RecordSize"/>).</summary>
    public static long Write(ChunkBuilder chunk, LogRecord record)
    {
        int idBytes = Encoding.UTF8.GetByteCount(record.Id);
        int typeBytes = record.Type is null ? 0 : Encoding.UTF8.GetByteCount(record.Type);
        int keyBytes = Encoding.UTF8.GetByteCount(record.PartitionKey);
        int body = Fixed + idBytes + typeBytes + keyBytes + record.Payload.Length;
        Span<byte> span = chunk.Reserve(4 + body);

        BinaryPrimitives.WriteInt32LittleEndian(span, body);
        BinaryPrimitives.WriteInt64LittleEndian(span[4..], record.Timestamp.UtcTicks);
        BinaryPrimitives.WriteInt16LittleEndian(span[12..], (short)record.Timestamp.Offset.TotalMinutes);
        int at = 14;
        at += WriteText(span[at..], record.Id, idBytes);
        at += record.Type is null ? WriteNull(span[at..]) : WriteText(span[at..], record.Type, typeBytes);
        at += WriteText(span[at..], record.PartitionKey, keyBytes);
        record.Payload.Span.CopyTo(span[at..]);
        return RecordSize.OverheadBytes + idBytes + typeBytes + keyBytes + record.Payload.Length;
    }

    private static int WriteText(Span<byte> span, string text, int bytes)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(span, (ushort)bytes);
        Encoding.UTF8.GetBytes(text, span[2..]);
        return 2 + bytes;
    }

    private static int WriteNull(Span<byte> span)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(span, NullType);
        return 2;
    }

    /// <summary>Walks the records of one chunk.</summary>
    internal ref struct Reader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _position;

        /// <summary>Start of the current record inside the chunk (valid after <see cref="MoveNext"/>).</summary>
        public int RecordStart { get; private set; }

        public long EventTicks { get; private set; }
        public short OffsetMinutes { get; private set; }
        public ReadOnlySpan<byte> Id { get; private set; }
        public ReadOnlySpan<byte> Type { get; private set; }
        public bool HasType { get; private set; }
        public ReadOnlySpan<byte> Key { get; private set; }

        /// <summary>Where the payload sits in the chunk, so it can be sliced from a copy of the whole chunk.</summary>
        public int PayloadStart { get; private set; }
        public int PayloadLength { get; private set; }

        /// <summary>Logical size of the current record (<see cref="RecordSize"/>).</summary>
        public long Size => RecordSize.OverheadBytes + Id.Length + Type.Length + Key.Length + PayloadLength;

        public bool MoveNext()
        {
            if (_position >= _data.Length) return false;
            if (_data.Length - _position < 4 + Fixed) throw Corrupt();
            RecordStart = _position;
            int body = BinaryPrimitives.ReadInt32LittleEndian(_data[_position..]);
            if (body < Fixed || body > _data.Length - _position - 4) throw Corrupt();
            ReadOnlySpan<byte> record = _data.Slice(_position + 4, body);
            EventTicks = BinaryPrimitives.ReadInt64LittleEndian(record);
            OffsetMinutes = BinaryPrimitives.ReadInt16LittleEndian(record[8..]);
            int at = 10;
            Id = Text(record, ref at, out _);
            Type = Text(record, ref at, out bool hasType);
            HasType = hasType;
            Key = Text(record, ref at, out _);
            PayloadStart = _position + 4 + at;
            PayloadLength = body - at;
            if (PayloadLength < 0) throw Corrupt();
            _position += 4 + body;
            return true;
        }

        private static ReadOnlySpan<byte> Text(ReadOnlySpan<byte> record, scoped ref int at, out bool present)
        {
            ushort length = BinaryPrimitives.ReadUInt16LittleEndian(record[at..]);
            at += 2;
            present = length != NullType;
            if (!present) return default;
            if (length > record.Length - at) throw Corrupt();
            var text = record.Slice(at, length);
            at += length;
            return text;
        }

        private static InvalidDataException Corrupt() => new("Event log chunk is corrupt: a record extends past the end of its chunk.");
    }
}
