using System.Buffers;
using System.Text;
using Millrace.Mqtt.Codec;
using Millrace.Mqtt.Packets;
using Millrace.Mqtt.Topics;
using static Millrace.Mqtt.Tests.TestSupport;

namespace Millrace.Mqtt.Tests;

/// <summary>The hot paths allocate nothing per message (counted, not timed).</summary>
public class AllocationTests
{
    private const MqttProtocolVersion V5 = MqttProtocolVersion.V500;

    private static byte[] PublishStream(int count)
    {
        var output = new ArrayBufferWriter<byte>();
        var props = new MqttPropertiesBuilder().Add(MqttPropertyId.MessageExpiryInterval, 60).Add(MqttPropertyId.ContentType, "application/json")
            .AddUserProperty("line", "4").Build();
        var payload = new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes("{\"temperature\":21.5,\"unit\":\"C\"}"));
        for (int i = 0; i < count; i++)
        {
            MqttPacketWriter.WritePublish(output, V5, new MqttPublishPacket
            {
                QoS = MqttQualityOfService.AtLeastOnce, PacketIdentifier = (ushort)(i % 65535 + 1), Topic = Utf8("plant/7/line/4/temperature"),
                Properties = props, Payload = payload,
            });
            MqttPacketWriter.WritePublishResponse(output, V5, new MqttPublishResponsePacket { Type = MqttPacketType.PubAck, PacketIdentifier = 1 });
        }
        return output.WrittenSpan.ToArray();
    }

    private static long Decode(MqttPacketReader reader, byte[] stream)
    {
        long checksum = 0;
        var seq = new ReadOnlySequence<byte>(stream);
        while (reader.TryReadPacket(ref seq, out var packet))
        {
            if (packet.Type == MqttPacketType.Publish)
            {
                var m = packet.AsPublish();
                checksum += m.Topic.Length + m.Payload.Length + m.PacketIdentifier;
                foreach (var p in m.Properties) checksum += p.Value.Length + p.Number;
            }
            else
            {
                checksum += packet.AsPublishResponse().PacketIdentifier;
            }
        }
        return checksum;
    }

    [Fact]
    public void Decoding_PUBLISH_and_PUBACK_allocates_nothing_per_packet()
    {
        var stream = PublishStream(1_000);
        var reader = ConnectedServer(V5);
        Decode(reader, stream); // warm up (JIT, statics)
        long before = GC.GetAllocatedBytesForCurrentThread();
        long checksum = Decode(reader, stream);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(checksum > 0);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Encoding_PUBLISH_into_a_reused_buffer_allocates_nothing()
    {
        var output = new ArrayBufferWriter<byte>(1 << 20);
        var publish = new MqttPublishPacket { QoS = MqttQualityOfService.AtLeastOnce, PacketIdentifier = 9, Topic = Utf8("plant/7/temp"), Payload = Utf8("21.5") };
        MqttPacketWriter.WritePublish(output, V5, publish);
        output.ResetWrittenCount();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1_000; i++) MqttPacketWriter.WritePublish(output, V5, publish);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.Equal(1_000 * MqttPacketWriter.GetPublishSize(V5, publish), output.WrittenCount);
    }

    [Fact]
    public void Matching_a_topic_against_the_trie_allocates_nothing()
    {
        using var trie = new MqttSubscriptionTrie<int, int>();
        for (int i = 0; i < 200; i++) trie.Add($"plant/{i}/+/temperature", i, i);
        trie.Add("plant/#", -1, 0);
        trie.Add("$share/g/plant/+/line/#", -2, 0);
        var topic = Encoding.UTF8.GetBytes("plant/7/line/temperature");
        var visitor = new Count();
        trie.Match(topic, ref visitor); // warm up
        visitor = new Count();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1_000; i++) trie.Match(topic, ref visitor);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(3_000, visitor.N); // plant/7/+/temperature, plant/#, the shared group
        Assert.Equal(0, allocated);
    }

    private struct Count : IMqttSubscriptionVisitor<int, int>
    {
        public int N;
        public void OnSubscription(int subscriber, int value) => N++;
        public void OnSharedGroup(MqttSharedSubscriptionGroup<int, int> group) => N++;
    }
}
