using Millrace.Mqtt.Client;
using Millrace.Mqtt.Tests.Peers;
using static Millrace.Mqtt.Tests.Client.ClientTestSupport;

namespace Millrace.Mqtt.Tests.Client;

/// <summary>
/// A consumer that stops reading holds mosquitto back: nothing is acknowledged until a message is taken, so the server's
/// in-flight window fills and it queues the rest; nothing is dropped, and everything flows once the consumer resumes.
/// </summary>
public sealed class BackPressureTests(MosquittoFixture fixture) : IClassFixture<MosquittoFixture>
{
    private const int Total = 60;
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(500);

    [Theory]
    [InlineData(MqttProtocolVersion.V500, 1, 5)]
    [InlineData(MqttProtocolVersion.V500, 2, 5)]
    [InlineData(MqttProtocolVersion.V311, 1, 6)]
    [InlineData(MqttProtocolVersion.V311, 2, 6)]
    public async Task A_consumer_that_does_not_read_delays_acknowledgements_and_loses_nothing(MqttProtocolVersion version, int qos, int held)
    {
        // 5.0: the server honours our Receive Maximum of 5. 3.1.1 has none (mosquitto sends up to 20): the queue of 5
        // fills, the read loop holds a sixth and stops reading, which stops acknowledgements just the same.
        string topic = Unique("slow");
        await using var consumer = await ConnectAsync(Options(fixture.Broker, version) with { ReceiveMaximum = 5, InboundQueueCapacity = 5 });
        await consumer.SubscribeAsync(topic, (MqttQualityOfService)qos);

        await MosquittoClients.PublishAsync(fixture.Broker.Port, topic, Enumerable.Range(0, Total).Select(i => $"m{i}"), qos: qos, version: V(version));

        await EventuallyAsync(() => consumer.UnacknowledgedInboundCount == held, $"{held} unacknowledged messages held by the client");
        await Task.Delay(Settle); // absence check: more would arrive now if acknowledgements had been sent
        Assert.Equal(held, consumer.UnacknowledgedInboundCount);

        var messages = await ReceiveAsync(consumer, Total);
        Assert.Equal(Enumerable.Range(0, Total).Select(i => $"m{i}"), messages.Select(m => m.PayloadAsString()));
        await EventuallyAsync(() => consumer.UnacknowledgedInboundCount == 0, "all acknowledged");
        Assert.True(consumer.IsConnected, "the stalled read loop did not trip the keep-alive");
    }
}
