using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Millrace.Hub.Processing.Telemetry;

namespace Millrace.Hub.Processing.Rules;

internal sealed partial class ShardRuleEngine
{
    /// <summary>"MRRC": Millrace rules checkpoint.</summary>
    private const uint Magic = 0x4352524D;
    private const ushort Version = 1;
    private const int HeaderBytes = 4 + 2 + 8 + 4 + 4 + 4; // magic, version, fingerprint, shard, shard count, payload length

    private MemoryStream? _checkpointPayload, _checkpointBlob;

    /// <summary>
    /// Layout (little-endian): magic "MRRC", version (u16), rule-set fingerprint (u64), shard (i32), shard count (i32),
    /// payload length (i32), payload, FNV-1a 64 checksum of the payload (u64). The payload holds per local asset the
    /// newest event time, watermark and held samples; per owned signal the latest value and its time; the message-id
    /// memory; then each rule's state, prefixed by its id and length.
    /// </summary>
    public void WriteCheckpoint(IBufferWriter<byte> output)
    {
        // Reused across checkpoints (the engine is single-threaded): a fresh stream grew by doubling up to the whole
        // shard's state every checkpoint, the largest allocation left in the hub under ingest load.
        var payload = _checkpointPayload ??= new MemoryStream();
        payload.SetLength(0);
        var blob = _checkpointBlob ??= new MemoryStream();
        using (var w = new BinaryWriter(payload, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(_locals.Length);
            for (int local = 0; local < _locals.Length; local++)
            {
                int asset = _locals[local];
                w.Write(_maxTs[local]);
                w.Write(_released[local]);
                int held = _pendingCount?[local] ?? 0;
                w.Write(held);
                for (int i = 0; i < held; i++)
                {
                    var p = _pending![local * _capacity + i];
                    w.Write(p.TimestampMs); w.Write(p.Value); w.Write(p.Signal); w.Write((byte)p.Quality);
                }
                var signals = _set.Model.GetSignals(asset);
                w.Write(signals.Length);
                foreach (var s in signals)
                {
                    w.Write(_lastTs[s.Index]);
                    w.Write(_values[s.Index]);
                }
            }
            w.Write(_messageIds is not null);
            _messageIds?.Write(w);
            w.Write(_states.Length);
            foreach (var state in _states)
            {
                w.Write(state.Rule.Definition.Id);
                blob.SetLength(0);
                using (var bw = new BinaryWriter(blob, Encoding.UTF8, leaveOpen: true)) state.Write(bw);
                w.Write((int)blob.Length);
                w.Write(blob.GetBuffer(), 0, (int)blob.Length);
            }
        }
        var body = payload.GetBuffer().AsSpan(0, (int)payload.Length);
        var span = output.GetSpan(HeaderBytes + body.Length + 8);
        BinaryPrimitives.WriteUInt32LittleEndian(span, Magic);
        BinaryPrimitives.WriteUInt16LittleEndian(span[4..], Version);
        BinaryPrimitives.WriteUInt64LittleEndian(span[6..], _set.Fingerprint);
        BinaryPrimitives.WriteInt32LittleEndian(span[14..], _shard);
        BinaryPrimitives.WriteInt32LittleEndian(span[18..], _shardCount);
        BinaryPrimitives.WriteInt32LittleEndian(span[22..], body.Length);
        body.CopyTo(span[HeaderBytes..]);
        BinaryPrimitives.WriteUInt64LittleEndian(span[(HeaderBytes + body.Length)..], Checksum(body));
        output.Advance(HeaderBytes + body.Length + 8);
    }

    /// <summary>Restores a checkpoint; throws <see cref="InvalidDataException"/> naming what is wrong. Header and checksum are verified before any state changes.</summary>
    public void RestoreCheckpoint(ReadOnlySpan<byte> checkpoint)
    {
        if (checkpoint.Length < HeaderBytes + 8) throw new InvalidDataException($"rules checkpoint is truncated ({checkpoint.Length} bytes; the header alone is {HeaderBytes + 8})");
        if (BinaryPrimitives.ReadUInt32LittleEndian(checkpoint) != Magic) throw new InvalidDataException("not a rules checkpoint (bad magic number)");
        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(checkpoint[4..]);
        if (version != Version) throw new InvalidDataException($"rules checkpoint version {version} is not supported (this engine reads version {Version})");
        ulong fingerprint = BinaryPrimitives.ReadUInt64LittleEndian(checkpoint[6..]);
        if (fingerprint != _set.Fingerprint)
            throw new InvalidDataException($"rules checkpoint was written for another rule set or model (fingerprint {fingerprint:x16}, this one is {_set.Fingerprint:x16})");
        int shard = BinaryPrimitives.ReadInt32LittleEndian(checkpoint[14..]);
        int shardCount = BinaryPrimitives.ReadInt32LittleEndian(checkpoint[18..]);
        if (shard != _shard || shardCount != _shardCount)
            throw new InvalidDataException($"rules checkpoint belongs to shard {shard} of {shardCount}, not shard {_shard} of {_shardCount}");
        int length = BinaryPrimitives.ReadInt32LittleEndian(checkpoint[22..]);
        if (length < 0 || checkpoint.Length != HeaderBytes + length + 8)
            throw new InvalidDataException($"rules checkpoint is {checkpoint.Length} bytes but its header announces {HeaderBytes + (long)length + 8}");
        var body = checkpoint.Slice(HeaderBytes, length);
        if (Checksum(body) != BinaryPrimitives.ReadUInt64LittleEndian(checkpoint[(HeaderBytes + length)..]))
            throw new InvalidDataException("rules checkpoint is corrupt (checksum mismatch)");
        try
        {
            Apply(body.ToArray());
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException("rules checkpoint ends early (its payload is shorter than its contents)");
        }
    }

    private void Apply(byte[] body)
    {
        using var r = new BinaryReader(new MemoryStream(body), Encoding.UTF8);
        if (r.ReadInt32() != _locals.Length) throw new InvalidDataException("rules checkpoint holds a different number of assets");
        for (int local = 0; local < _locals.Length; local++)
        {
            int asset = _locals[local];
            _maxTs[local] = r.ReadInt64();
            _released[local] = r.ReadInt64();
            int held = r.ReadInt32();
            if (held < 0 || held > (_pending is null ? 0 : _capacity))
                throw new InvalidDataException($"rules checkpoint holds {held} samples for asset '{_set.Model.GetAsset(asset).Id}', more than the reorder capacity");
            for (int i = 0; i < held; i++)
                _pending![local * _capacity + i] = new Pending { TimestampMs = r.ReadInt64(), Value = r.ReadDouble(), Signal = r.ReadInt32(), Quality = (SampleQuality)r.ReadByte() };
            if (_pendingCount is not null) _pendingCount[local] = held;
            var signals = _set.Model.GetSignals(asset);
            if (r.ReadInt32() != signals.Length) throw new InvalidDataException($"rules checkpoint has other signals for asset '{_set.Model.GetAsset(asset).Id}'");
            foreach (var s in signals)
            {
                _lastTs[s.Index] = r.ReadInt64();
                _values[s.Index] = r.ReadDouble();
            }
        }
        bool hasIds = r.ReadBoolean();
        if (hasIds && _messageIds is not null) _messageIds.Read(r);
        else if (hasIds) MessageIdFilter.Skip(r); // ids remembered by a configuration that kept some; this one keeps none
        if (r.ReadInt32() != _states.Length) throw new InvalidDataException("rules checkpoint holds a different number of rules");
        foreach (var state in _states)
        {
            string id = r.ReadString();
            if (id != state.Rule.Definition.Id) throw new InvalidDataException($"rules checkpoint has rule '{id}' where '{state.Rule.Definition.Id}' was expected");
            int size = r.ReadInt32();
            var blob = r.ReadBytes(size);
            if (blob.Length != size) throw new EndOfStreamException();
            using var br = new BinaryReader(new MemoryStream(blob), Encoding.UTF8);
            state.Read(br);
            if (br.BaseStream.Position != size) throw new InvalidDataException($"rules checkpoint state of rule '{id}' has {size - br.BaseStream.Position} bytes left over");
        }
    }

    private static ulong Checksum(ReadOnlySpan<byte> data)
    {
        ulong hash = 14695981039346656037UL;
        foreach (byte b in data) hash = (hash ^ b) * 1099511628211UL;
        return hash;
    }
}
