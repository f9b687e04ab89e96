using Millrace.Mqtt.Packets;
using static Millrace.Mqtt.Tests.Broker.RawMqttClient;

namespace Millrace.Mqtt.Tests.Broker;

public sealed class RetainedMessageTests
{
    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task A_retained_message_reaches_later_subscribers_with_RETAIN_set_and_an_empty_payload_clears_it(MqttProtocolVersion version)
    {
        await using var broker = await TestBroker.StartAsync();
        var (publisher, _) = await ConnectAsync(broker.Endpoint!, version, "pub");
        await using var p = publisher;
        await publisher.PublishAsync("acme/plant-03/state", "running", MqttQualityOfService.AtLeastOnce, packetId: 1, retain: true);
        await publisher.ExpectAsync(MqttPacketType.PubAck);
        Assert.Equal(1, broker.RetainedCount);

        var (late, _) = await ConnectAsync(broker.Endpoint!, version, "late");
        await using (late)
        {
            await late.SubscribeAsync("acme/+/state", MqttQualityOfService.AtLeastOnce);
            var retained = await late.ExpectAsync(MqttPacketType.Publish);
            Assert.Equal(("acme/plant-03/state", "running", true, MqttQualityOfService.AtLeastOnce), (retained.Topic, retained.Text, retained.Retain, retained.QoS));
            await late.RespondAsync(MqttPacketType.PubAck, retained.PacketId);

            // A live (not retained-on-subscribe) delivery of a retained publish carries RETAIN 0 [MQTT-3.3.1-9].
            await publisher.PublishAsync("acme/plant-03/state", "", MqttQualityOfService.AtLeastOnce, packetId: 2, retain: true);
            await publisher.ExpectAsync(MqttPacketType.PubAck);
            var clear = await late.ExpectAsync(MqttPacketType.Publish);
            Assert.False(clear.Retain);
        }
        Assert.Equal(0, broker.RetainedCount);
        var (later, _) = await ConnectAsync(broker.Endpoint!, version, "later");
        await using var l = later;
        await later.SubscribeAsync("acme/#");
        await later.SendAsync(o => Codec.MqttPacketWriter.WritePingReq(o));
        Assert.Equal(MqttPacketType.PingResp, (await later.NextAsync()).Type); // nothing retained came first
    }

    [Fact]
    public async Task Retain_Handling_decides_whether_retained_messages_are_sent_on_subscribe()
    {
        await using var broker = await TestBroker.StartAsync();
        broker.PublishInProcess("r/a", "kept"u8, retain: true);
        var (client, _) = await ConnectAsync(broker.Endpoint!, MqttProtocolVersion.V500, "c");
        await using var c = client;

        await client.SubscribeAsync("r/#", retainHandling: MqttRetainHandling.DoNotSend, packetId: 1);
        await client.SubscribeAsync("r/+", retainHandling: MqttRetainHandling.SendAtSubscribeIfNew, packetId: 2);
        Assert.Equal("kept", (await client.ExpectAsync(MqttPacketType.Publish)).Text);
        await client.SubscribeAsync("r/+", retainHandling: MqttRetainHandling.SendAtSubscribeIfNew, packetId: 3); // exists now: not sent again
        await client.SendAsync(o => Codec.MqttPacketWriter.WritePingReq(o));
        Assert.Equal(MqttPacketType.PingResp, (await client.NextAsync()).Type);
    }

    [Fact]
    public async Task Retain_As_Published_keeps_the_RETAIN_flag_on_live_deliveries()
    {
        await using var broker = await TestBroker.StartAsync();
        var (client, _) = await ConnectAsync(broker.Endpoint!, MqttProtocolVersion.V500, "c");
        await using var c = client;
        await client.SubscribeAsync("x", retainAsPublished: true);
        broker.PublishInProcess("x", "r"u8, retain: true);
        Assert.True((await client.ExpectAsync(MqttPacketType.Publish)).Retain);
    }
}
