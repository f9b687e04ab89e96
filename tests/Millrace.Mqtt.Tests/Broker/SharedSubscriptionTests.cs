using Millrace.Mqtt.Packets;
using static Millrace.Mqtt.Tests.Broker.RawMqttClient;

namespace Millrace.Mqtt.Tests.Broker;

public sealed class SharedSubscriptionTests
{
    [Fact]
    public async Task Members_of_a_share_group_take_turns_and_each_message_goes_to_exactly_one_of_them()
    {
        await using var broker = await TestBroker.StartAsync();
        var (a, _) = await ConnectAsync(broker.Endpoint!, MqttProtocolVersion.V500, "a");
        var (b, _) = await ConnectAsync(broker.Endpoint!, MqttProtocolVersion.V500, "b");
        var (plain, _) = await ConnectAsync(broker.Endpoint!, MqttProtocolVersion.V500, "plain");
        await using var x = a;
        await using var y = b;
        await using var z = plain;
        await a.SubscribeAsync("$share/workers/jobs/+");
        await b.SubscribeAsync("$share/workers/jobs/+");
        await plain.SubscribeAsync("jobs/#");

        for (int i = 0; i < 10; i++) broker.PublishInProcess($"jobs/{i}", System.Text.Encoding.UTF8.GetBytes(i.ToString()));

        var all = new List<string>();
        for (int i = 0; i < 10; i++) all.Add((await plain.ExpectAsync(MqttPacketType.Publish)).Text);
        var toA = new List<string>();
        var toB = new List<string>();
        for (int i = 0; i < 5; i++) toA.Add((await a.ExpectAsync(MqttPacketType.Publish)).Text);
        for (int i = 0; i < 5; i++) toB.Add((await b.ExpectAsync(MqttPacketType.Publish)).Text);
        Assert.Equal(10, all.Count);
        Assert.Empty(toA.Intersect(toB));
        Assert.Equal(all.Order(), toA.Concat(toB).Order());
    }

    [Fact]
    public async Task Retained_messages_are_not_sent_to_a_new_shared_subscription()
    {
        await using var broker = await TestBroker.StartAsync();
        broker.PublishInProcess("jobs/1", "old"u8, retain: true);
        var (a, _) = await ConnectAsync(broker.Endpoint!, MqttProtocolVersion.V500, "a");
        await using var x = a;
        await a.SubscribeAsync("$share/g/jobs/#");
        await a.SendAsync(o => Codec.MqttPacketWriter.WritePingReq(o));
        Assert.Equal(MqttPacketType.PingResp, (await a.NextAsync()).Type);
    }
}
