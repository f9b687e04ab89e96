using Millrace.Mqtt.Packets;
using static Millrace.Mqtt.Tests.Broker.RawMqttClient;

namespace Millrace.Mqtt.Tests.Broker;

public sealed class QoSFlowTests
{
    public static TheoryData<MqttProtocolVersion, MqttQualityOfService, MqttQualityOfService> Cases()
    {
        var data = new TheoryData<MqttProtocolVersion, MqttQualityOfService, MqttQualityOfService>();
        foreach (var v in new[] { MqttProtocolVersion.V311, MqttProtocolVersion.V500 })
            for (int pub = 0; pub <= 2; pub++)
                for (int sub = 0; sub <= 2; sub++)
                    data.Add(v, (MqttQualityOfService)pub, (MqttQualityOfService)sub);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Messages_arrive_at_the_lower_of_publish_and_subscription_QoS_with_the_full_acknowledgement_flow(
        MqttProtocolVersion version, MqttQualityOfService publishQoS, MqttQualityOfService subscribeQoS)
    {
        await using var broker = await TestBroker.StartAsync();
        var (subscriber, _) = await ConnectAsync(broker.Endpoint!, version, "sub");
        var (publisher, _) = await ConnectAsync(broker.Endpoint!, version, "pub");
        await using var s = subscriber;
        await using var p = publisher;
        var suback = await subscriber.SubscribeAsync("plant/+/temp", subscribeQoS);
        Assert.Equal((MqttReasonCode)(byte)subscribeQoS, suback.Codes![0]);

        await publisher.PublishAsync("plant/3/temp", "21.5", publishQoS, packetId: publishQoS > 0 ? (ushort)7 : (ushort)0);
        if (publishQoS == MqttQualityOfService.AtLeastOnce) Assert.Equal(7, (await publisher.ExpectAsync(MqttPacketType.PubAck)).PacketId);
        if (publishQoS == MqttQualityOfService.ExactlyOnce)
        {
            Assert.Equal(7, (await publisher.ExpectAsync(MqttPacketType.PubRec)).PacketId);
            await publisher.RespondAsync(MqttPacketType.PubRel, 7);
            Assert.Equal(7, (await publisher.ExpectAsync(MqttPacketType.PubComp)).PacketId);
        }

        var message = await subscriber.ExpectAsync(MqttPacketType.Publish);
        var expected = (MqttQualityOfService)Math.Min((int)publishQoS, (int)subscribeQoS);
        Assert.Equal(("plant/3/temp", "21.5", expected, false), (message.Topic, message.Text, message.QoS, message.Dup));
        if (expected == MqttQualityOfService.AtLeastOnce) await subscriber.RespondAsync(MqttPacketType.PubAck, message.PacketId);
        if (expected == MqttQualityOfService.ExactlyOnce)
        {
            await subscriber.RespondAsync(MqttPacketType.PubRec, message.PacketId);
            Assert.Equal(message.PacketId, (await subscriber.ExpectAsync(MqttPacketType.PubRel)).PacketId);
            await subscriber.RespondAsync(MqttPacketType.PubComp, message.PacketId);
        }
        await TestBroker.EventuallyAsync(() => broker.Metrics.MessagesSent == 1, "one delivery counted");
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task A_QoS_2_message_resent_before_PUBREL_is_delivered_exactly_once(MqttProtocolVersion version)
    {
        await using var broker = await TestBroker.StartAsync();
        var (subscriber, _) = await ConnectAsync(broker.Endpoint!, version, "sub");
        var (publisher, _) = await ConnectAsync(broker.Endpoint!, version, "pub");
        await using var s = subscriber;
        await using var p = publisher;
        await subscriber.SubscribeAsync("t", MqttQualityOfService.AtMostOnce);

        await publisher.PublishAsync("t", "once", MqttQualityOfService.ExactlyOnce, packetId: 9);
        await publisher.ExpectAsync(MqttPacketType.PubRec);
        await publisher.PublishAsync("t", "once", MqttQualityOfService.ExactlyOnce, packetId: 9, dup: true); // PUBREC was "lost"
        await publisher.ExpectAsync(MqttPacketType.PubRec);
        await publisher.RespondAsync(MqttPacketType.PubRel, 9);
        await publisher.ExpectAsync(MqttPacketType.PubComp);
        await publisher.PublishAsync("t", "marker", MqttQualityOfService.AtLeastOnce, packetId: 10);
        await publisher.ExpectAsync(MqttPacketType.PubAck);

        Assert.Equal("once", (await subscriber.ExpectAsync(MqttPacketType.Publish)).Text);
        Assert.Equal("marker", (await subscriber.ExpectAsync(MqttPacketType.Publish)).Text); // no second "once" in between
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Wildcards_route_by_level_and_overlapping_subscriptions_deliver_once_at_the_highest_QoS(MqttProtocolVersion version)
    {
        await using var broker = await TestBroker.StartAsync();
        var (subscriber, _) = await ConnectAsync(broker.Endpoint!, version, "sub");
        await using var s = subscriber;
        await subscriber.SubscribeAsync("acme/#", MqttQualityOfService.AtMostOnce, packetId: 1);
        await subscriber.SubscribeAsync("acme/+/line-1/#", MqttQualityOfService.AtLeastOnce, packetId: 2);
        await subscriber.SubscribeAsync("other/+", MqttQualityOfService.AtLeastOnce, packetId: 3);

        broker.PublishInProcess("acme/plant-03/line-1/press", "x"u8, MqttQualityOfService.AtLeastOnce);
        broker.PublishInProcess("other/a/b", "not matched"u8);
        broker.PublishInProcess("acme", "parent level"u8);

        var first = await subscriber.ExpectAsync(MqttPacketType.Publish);
        Assert.Equal(("acme/plant-03/line-1/press", MqttQualityOfService.AtLeastOnce), (first.Topic, first.QoS));
        await subscriber.RespondAsync(MqttPacketType.PubAck, first.PacketId);
        Assert.Equal("acme", (await subscriber.ExpectAsync(MqttPacketType.Publish)).Topic);
    }

    [Fact]
    public async Task Ping_is_answered_and_UNSUBSCRIBE_stops_delivery()
    {
        await using var broker = await TestBroker.StartAsync();
        var (client, _) = await ConnectAsync(broker.Endpoint!, MqttProtocolVersion.V500, "c");
        await using var c = client;
        await client.SubscribeAsync("a");
        await client.SendAsync(o => Codec.MqttPacketWriter.WritePingReq(o));
        await client.ExpectAsync(MqttPacketType.PingResp);
        await client.SendAsync(o => Codec.MqttPacketWriter.WriteUnsubscribe(o, MqttProtocolVersion.V500, 2, default, [Seq("a"), Seq("never")]));
        var unsuback = await client.ExpectAsync(MqttPacketType.UnsubAck);
        Assert.Equal([MqttReasonCode.Success, MqttReasonCode.NoSubscriptionExisted], unsuback.Codes);
        broker.PublishInProcess("a", "gone"u8);
        await client.SendAsync(o => Codec.MqttPacketWriter.WritePingReq(o));
        await client.ExpectAsync(MqttPacketType.PingResp); // nothing was delivered before it
    }
}
