using System.Buffers;
using System.IO.Pipelines;
using Millrace.Mqtt.Codec;
using Millrace.Mqtt.Packets;
using static Millrace.Mqtt.Tests.TestSupport;

namespace Millrace.Mqtt.Tests;

/// <summary>The reader used the way a connection uses it: over a <see cref="Pipe"/> fed in small writes.</summary>
public class PipelineTests
{
    [Fact]
    public async Task Packets_written_in_small_chunks_to_a_pipe_are_decoded_in_order_without_copies()
    {
        var pipe = new Pipe(new PipeOptions(minimumSegmentSize: 16, pauseWriterThreshold: 0)); // force many segments
        var writer = new ArrayBufferWriter<byte>();
        var v = MqttProtocolVersion.V500;
        MqttPacketWriter.WriteConnect(writer, new MqttConnectPacket { ProtocolVersion = v, ClientId = Utf8("edge-1") });
        for (int i = 0; i < 50; i++)
        {
            var payload = new byte[i * 37];
            Array.Fill(payload, (byte)i);
            MqttPacketWriter.WritePublish(writer, v, new MqttPublishPacket
            {
                QoS = MqttQualityOfService.AtLeastOnce, PacketIdentifier = (ushort)(i + 1), Topic = Utf8($"plant/{i}"), Payload = new ReadOnlySequence<byte>(payload),
            });
        }
        MqttPacketWriter.WriteDisconnect(writer, v, default);
        byte[] stream = writer.WrittenSpan.ToArray();

        var produce = Task.Run(async () =>
        {
            var rng = new Random(5);
            for (int at = 0; at < stream.Length;)
            {
                int n = Math.Min(stream.Length - at, rng.Next(1, 23));
                await pipe.Writer.WriteAsync(stream.AsMemory(at, n));
                at += n;
            }
            await pipe.Writer.CompleteAsync();
        });

        var reader = new MqttPacketReader();
        var seen = new List<string>();
        while (true)
        {
            var result = await pipe.Reader.ReadAsync();
            var buffer = result.Buffer;
            while (reader.TryReadPacket(ref buffer, out var packet))
            {
                if (packet.Type == MqttPacketType.Publish)
                {
                    var m = packet.AsPublish();
                    int i = m.PacketIdentifier - 1;
                    Assert.Equal($"plant/{i}", Str(m.Topic));
                    Assert.Equal(i * 37, m.Payload.Length);
                    foreach (var segment in m.Payload) Assert.True(segment.Span.IndexOfAnyExcept((byte)i) < 0);
                }
                seen.Add(packet.Type.ToString());
            }
            pipe.Reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted) break;
        }
        await produce;
        Assert.Equal(52, seen.Count);
        Assert.Equal("Connect", seen[0]);
        Assert.Equal("Disconnect", seen[^1]);
    }
}
