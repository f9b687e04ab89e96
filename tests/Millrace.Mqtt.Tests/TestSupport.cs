using System.Buffers;
using System.Text;
using Millrace.Mqtt.Codec;
using Millrace.Mqtt.Packets;

namespace Millrace.Mqtt.Tests;

/// <summary>Helpers shared by the codec specifications.</summary>
internal static class TestSupport
{
    public static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", ""));

    public static ReadOnlySequence<byte> Utf8(string s) => new(Encoding.UTF8.GetBytes(s));

    public static string Str(in ReadOnlySequence<byte> s) => Encoding.UTF8.GetString(s);

    public static byte[] Encode(Func<IBufferWriter<byte>, int> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        int n = write(buffer);
        Assert.Equal(n, buffer.WrittenCount);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>A sequence made of several segments cut at the given offsets.</summary>
    public static ReadOnlySequence<byte> Split(byte[] data, params int[] cuts)
    {
        var points = new List<int>(cuts.Length + 1);
        foreach (int c in cuts)
            if (c > 0 && c < data.Length && !points.Contains(c)) points.Add(c);
        if (points.Count == 0) return new ReadOnlySequence<byte>(data);
        points.Sort();
        points.Add(data.Length);
        var first = new Segment(data.AsMemory(0, points[0]), 0);
        var last = first;
        for (int i = 1; i < points.Count; i++)
            last = last.Append(data.AsMemory(points[i - 1], points[i] - points[i - 1]));
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }

    public static byte[] ConnectBytes(MqttProtocolVersion version, MqttProperties properties = default)
        => Encode(o => MqttPacketWriter.WriteConnect(o, new MqttConnectPacket
        {
            ProtocolVersion = version, CleanStart = true, KeepAlive = 60, ClientId = Utf8("plant-7"), Properties = properties,
        }));

    /// <summary>A server-side reader that has already read a CONNECT of the given version.</summary>
    public static MqttPacketReader ConnectedServer(MqttProtocolVersion version, MqttDecoderOptions? options = null, MqttProperties connectProperties = default)
    {
        var reader = new MqttPacketReader(options ?? MqttDecoderOptions.Server);
        var seq = new ReadOnlySequence<byte>(ConnectBytes(version, connectProperties));
        Assert.True(reader.TryReadPacket(ref seq, out var p));
        Assert.Equal(MqttPacketType.Connect, p.Type);
        return reader;
    }

    /// <summary>A client-side reader that has already read a CONNACK.</summary>
    public static MqttPacketReader ConnectedClient(MqttProtocolVersion version, MqttDecoderOptions? options = null)
    {
        var reader = new MqttPacketReader(options ?? MqttDecoderOptions.ForClient(version));
        var connack = Encode(o => MqttPacketWriter.WriteConnAck(o, version, new MqttConnAckPacket()));
        var seq = new ReadOnlySequence<byte>(connack);
        Assert.True(reader.TryReadPacket(ref seq, out _));
        return reader;
    }

    /// <summary>Reads exactly one packet that must fill <paramref name="bytes"/>.</summary>
    public static MqttPacket ReadOne(MqttPacketReader reader, byte[] bytes)
    {
        var seq = new ReadOnlySequence<byte>(bytes);
        Assert.True(reader.TryReadPacket(ref seq, out var packet));
        Assert.True(seq.IsEmpty);
        return packet;
    }

    public static MqttProtocolException Rejects(MqttPacketReader reader, byte[] bytes)
    {
        var seq = new ReadOnlySequence<byte>(bytes);
        return Assert.Throws<MqttProtocolException>(() => reader.TryReadPacket(ref seq, out _));
    }
}
