using Millrace.Mqtt.Client;
using Millrace.Mqtt.Tests.Peers;
using static Millrace.Mqtt.Tests.Client.ClientTestSupport;

namespace Millrace.Mqtt.Tests.Client;

/// <summary>5.0 Topic Aliases on publish, against mosquitto (which announces Topic Alias Maximum 10).</summary>
public sealed class TopicAliasTests(MosquittoFixture fixture) : IClassFixture<MosquittoFixture>
{
    [Fact]
    public async Task Repeated_topics_are_sent_as_aliases_and_arrive_with_their_full_names()
    {
        string root = Unique("alias");
        await using var receiver = await ConnectAsync(Options(fixture.Broker, MqttProtocolVersion.V500));
        await receiver.SubscribeAsync($"{root}/#", MqttQualityOfService.AtLeastOnce);
        await using var sender = await ConnectAsync(Options(fixture.Broker, MqttProtocolVersion.V500));

        for (int i = 0; i < 5; i++)
        {
            await sender.PublishAsync($"{root}/spindle", Bytes($"s{i}"), MqttQualityOfService.AtLeastOnce);
            await sender.PublishAsync($"{root}/coolant", Bytes($"c{i}"), (MqttQualityOfService)(i % 3));
        }

        Assert.Equal(8, sender.AliasOnlyPublishCount); // the first of each topic carried topic and alias
        var messages = await ReceiveAsync(receiver, 10);
        Assert.Equal(5, messages.Count(m => m.Topic == $"{root}/spindle"));
        Assert.Equal(5, messages.Count(m => m.Topic == $"{root}/coolant"));
        Assert.Equal(["s0", "s1", "s2", "s3", "s4"], messages.Where(m => m.Topic.EndsWith("spindle")).Select(m => m.PayloadAsString()));
    }

    [Fact]
    public async Task Topics_beyond_the_servers_alias_maximum_are_sent_by_name()
    {
        string root = Unique("many");
        await using var receiver = await ConnectAsync(Options(fixture.Broker, MqttProtocolVersion.V500));
        await receiver.SubscribeAsync($"{root}/#", MqttQualityOfService.AtLeastOnce);
        await using var sender = await ConnectAsync(Options(fixture.Broker, MqttProtocolVersion.V500) with { SendTopicAliasMaximum = 100 });

        for (int round = 0; round < 2; round++)
            for (int t = 0; t < 12; t++)
                await sender.PublishAsync($"{root}/t{t}", Bytes($"{round}"), MqttQualityOfService.AtLeastOnce);

        Assert.Equal(10, sender.AliasOnlyPublishCount); // mosquitto allows 10 aliases: only those topics repeat as aliases
        var messages = await ReceiveAsync(receiver, 24);
        for (int t = 0; t < 12; t++)
            Assert.Equal(["0", "1"], messages.Where(m => m.Topic == $"{root}/t{t}").Select(m => m.PayloadAsString()));
    }

    [Fact]
    public async Task A_3_1_1_client_never_uses_aliases()
    {
        string topic = Unique("plain");
        await using var sender = await ConnectAsync(Options(fixture.Broker, MqttProtocolVersion.V311));
        for (int i = 0; i < 3; i++) await sender.PublishAsync(topic, Bytes("x"), MqttQualityOfService.AtLeastOnce);
        Assert.Equal(0, sender.AliasOnlyPublishCount);
    }
}
