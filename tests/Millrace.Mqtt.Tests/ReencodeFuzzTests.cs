using System.Buffers;
using Millrace.Mqtt.Codec;
using Millrace.Mqtt.Packets;
using Xunit.Abstractions;
using static Millrace.Mqtt.Tests.FuzzCorpus;

namespace Millrace.Mqtt.Tests;

/// <summary>
/// Reader and writer agree: whatever the reader accepts (including mutated input), the writer can write from the
/// decoded view, the reader accepts that again, and writing it once more gives the same bytes.
/// </summary>
public class ReencodeFuzzTests(ITestOutputHelper output)
{
    private const int Inputs = 200_000;

    [Fact]
    public void Everything_the_reader_accepts_the_writer_reproduces()
    {
        int seed = int.TryParse(Environment.GetEnvironmentVariable("MILLRACE_MQTT_FUZZ_SEED"), out var s) ? s : 20261122;
        output.WriteLine($"seed {seed}");
        var rng = new Random(seed);
        var corpus = Build(rng, 2_000);
        var connect3 = TestSupport.ConnectBytes(MqttProtocolVersion.V311);
        var connect5 = TestSupport.ConnectBytes(MqttProtocolVersion.V500);
        int checkedPackets = 0;
        for (int i = 0; i < Inputs; i++)
        {
            var seedPacket = corpus[rng.Next(corpus.Count)];
            byte[] input = DecoderFuzzTests.Mutate(rng, seedPacket.Bytes, corpus);
            var reader = DecoderFuzzTests.NewReader(seedPacket.Side, connect3, connect5);
            var seq = new ReadOnlySequence<byte>(input);
            try
            {
                while (reader.TryReadPacket(ref seq, out var packet))
                {
                    if (packet.Type is MqttPacketType.Connect or MqttPacketType.ConnAck) continue; // they change reader state; covered below
                    byte[] first = Reencode(packet);
                    var again = DecoderFuzzTests.NewReader(seedPacket.Side, connect3, connect5);
                    var firstSeq = new ReadOnlySequence<byte>(first);
                    Assert.True(again.TryReadPacket(ref firstSeq, out var decodedAgain), $"input {Convert.ToHexString(input)}");
                    Assert.Equal(first, Reencode(decodedAgain));
                    checkedPackets++;
                }
            }
            catch (MqttProtocolException)
            {
                // rejected input: nothing to reproduce
            }
        }
        output.WriteLine($"{checkedPackets:N0} accepted packets re-encoded and re-read");
        Assert.True(checkedPackets > Inputs / 10);
    }

    [Fact]
    public void Every_accepted_CONNECT_and_CONNACK_is_reproduced()
    {
        var rng = new Random(99);
        var corpus = Build(rng, 2_000).Where(c => c.Side is Side.NewServer or Side.NewClient3 or Side.NewClient5).ToList();
        int checkedPackets = 0;
        for (int i = 0; i < 50_000; i++)
        {
            var seedPacket = corpus[rng.Next(corpus.Count)];
            byte[] input = DecoderFuzzTests.Mutate(rng, seedPacket.Bytes, corpus);
            var seq = new ReadOnlySequence<byte>(input);
            try
            {
                if (!DecoderFuzzTests.NewReader(seedPacket.Side, [], []).TryReadPacket(ref seq, out var packet)) continue;
                byte[] first = Reencode(packet);
                var firstSeq = new ReadOnlySequence<byte>(first);
                Assert.True(DecoderFuzzTests.NewReader(seedPacket.Side, [], []).TryReadPacket(ref firstSeq, out var again));
                Assert.Equal(first, Reencode(again));
                checkedPackets++;
            }
            catch (MqttProtocolException)
            {
            }
        }
        Assert.True(checkedPackets > 5_000, $"only {checkedPackets}");
    }

    private static byte[] Reencode(in MqttPacket p)
    {
        var v = p.ProtocolVersion;
        var packet = p;
        return TestSupport.Encode(o =>
        {
            switch (packet.Type)
            {
                case MqttPacketType.Connect: return MqttPacketWriter.WriteConnect(o, packet.AsConnect());
                case MqttPacketType.ConnAck: return MqttPacketWriter.WriteConnAck(o, v, packet.AsConnAck());
                case MqttPacketType.Publish: return MqttPacketWriter.WritePublish(o, v, packet.AsPublish());
                case MqttPacketType.Subscribe:
                    var sub = packet.AsSubscribe();
                    return MqttPacketWriter.WriteSubscribe(o, v, sub.PacketIdentifier, sub.Properties, sub.ToArray());
                case MqttPacketType.SubAck:
                    var subAck = packet.AsSubAck();
                    return MqttPacketWriter.WriteSubAck(o, v, subAck.PacketIdentifier, subAck.Properties, subAck.GetReasonCodes());
                case MqttPacketType.Unsubscribe:
                    var unsub = packet.AsUnsubscribe();
                    var filters = new List<ReadOnlySequence<byte>>();
                    foreach (var f in unsub) filters.Add(f);
                    return MqttPacketWriter.WriteUnsubscribe(o, v, unsub.PacketIdentifier, unsub.Properties, filters.ToArray());
                case MqttPacketType.UnsubAck:
                    var unsubAck = packet.AsUnsubAck();
                    return MqttPacketWriter.WriteUnsubAck(o, v, unsubAck.PacketIdentifier, unsubAck.Properties, unsubAck.GetReasonCodes());
                case MqttPacketType.PingReq: return MqttPacketWriter.WritePingReq(o);
                case MqttPacketType.PingResp: return MqttPacketWriter.WritePingResp(o);
                case MqttPacketType.Disconnect: return MqttPacketWriter.WriteDisconnect(o, v, packet.AsDisconnect());
                case MqttPacketType.Auth: return MqttPacketWriter.WriteAuth(o, packet.AsAuth());
                default: return MqttPacketWriter.WritePublishResponse(o, v, packet.AsPublishResponse());
            }
        });
    }
}
