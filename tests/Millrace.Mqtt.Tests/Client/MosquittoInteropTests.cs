using Millrace.Mqtt.Client;
using Millrace.Mqtt.Tests.Peers;
using static Millrace.Mqtt.Tests.Client.ClientTestSupport;

namespace Millrace.Mqtt.Tests.Client;

/// <summary>Our client against a real mosquitto, for both protocol versions and every QoS.</summary>
public sealed class MosquittoInteropTests(MosquittoFixture fixture) : IClassFixture<MosquittoFixture>
{
    private MosquittoBroker Broker => fixture.Broker;

    public static TheoryData<MqttProtocolVersion, int> VersionsAndQoS()
    {
        var data = new TheoryData<MqttProtocolVersion, int>();
        foreach (var v in new[] { MqttProtocolVersion.V311, MqttProtocolVersion.V500 })
            for (int q = 0; q <= 2; q++) data.Add(v, q);
        return data;
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Connects_with_clean_start_and_reports_what_the_server_granted(MqttProtocolVersion version)
    {
        await using var client = await ConnectAsync(Options(Broker, version) with { CleanStart = true });
        Assert.True(client.IsConnected);

        var fresh = new MqttClient(Options(Broker, version) with { CleanStart = true });
        var result = await fresh.ConnectAsync();
        Assert.False(result.SessionPresent);
        if (version == MqttProtocolVersion.V500) Assert.True(result.ServerTopicAliasMaximum > 0, "mosquitto announces Topic Alias Maximum 10");
        await fresh.DisposeAsync();
        Assert.False(fresh.IsConnected);
    }

    [Fact]
    public async Task A_5_0_client_without_an_id_gets_one_assigned_by_the_server()
    {
        await using var client = new MqttClient(Options(Broker, MqttProtocolVersion.V500) with { ClientId = "" });
        var result = await client.ConnectAsync();
        Assert.False(string.IsNullOrEmpty(result.ClientId));
        Assert.Equal(result.ClientId, client.ClientId);
    }

    [Theory]
    [MemberData(nameof(VersionsAndQoS))]
    public async Task Publishes_that_mosquitto_sub_receives(MqttProtocolVersion version, int qos)
    {
        string topic = Unique("pub");
        var sub = await MosquittoClients.SubscribeAsync(Broker.Port, topic, count: 3, qos: 2, version: V(version));
        await using (sub)
        {
            await using var client = await ConnectAsync(Options(Broker, version));
            for (int i = 0; i < 3; i++)
            {
                var result = await client.PublishAsync(topic, Bytes($"m{i}"), (MqttQualityOfService)qos);
                Assert.True(result.IsSuccess, result.ReasonCode.ToString());
            }
            var lines = await MosquittoClients.MessagesAsync(sub);
            Assert.Equal(["m0", "m1", "m2"], lines.Select(l => l[4]));
            Assert.All(lines, l => Assert.Equal(qos.ToString(), l[1]));
            Assert.Equal(0, client.InflightCount);
        }
    }

    [Theory]
    [MemberData(nameof(VersionsAndQoS))]
    public async Task Receives_what_mosquitto_pub_publishes(MqttProtocolVersion version, int qos)
    {
        string topic = Unique("sub");
        await using var client = await ConnectAsync(Options(Broker, version));
        Assert.Equal(MqttReasonCode.GrantedQoS2, await client.SubscribeAsync(topic, MqttQualityOfService.ExactlyOnce));

        await MosquittoClients.PublishAsync(Broker.Port, topic, ["a", "b", "c"], qos: qos, version: V(version));

        var messages = await ReceiveAsync(client, 3);
        Assert.Equal(["a", "b", "c"], messages.Select(m => m.PayloadAsString()));
        Assert.All(messages, m => Assert.Equal((MqttQualityOfService)qos, m.QoS));
        Assert.All(messages, m => Assert.Equal(topic, m.Topic));
        await EventuallyAsync(() => client.UnacknowledgedInboundCount == 0, "every message acknowledged");
    }

    [Theory]
    [MemberData(nameof(VersionsAndQoS))]
    public async Task Two_of_our_clients_exchange_messages_through_mosquitto(MqttProtocolVersion version, int qos)
    {
        string topic = Unique("c2c");
        await using var receiver = await ConnectAsync(Options(Broker, version));
        await using var sender = await ConnectAsync(Options(Broker, version));
        await receiver.SubscribeAsync(topic, (MqttQualityOfService)qos);

        const int count = 200;
        var publishes = Enumerable.Range(0, count)
            .Select(i => sender.PublishAsync(topic, BitConverter.GetBytes(i), (MqttQualityOfService)qos)).ToArray();
        var results = await Task.WhenAll(publishes).WaitAsync(Bound);
        Assert.All(results, r => Assert.True(r.IsSuccess));

        var messages = await ReceiveAsync(receiver, count);
        // One publisher, one subscription: order is kept for every QoS [MQTT-4.6.0-6 ordered topic].
        Assert.Equal(Enumerable.Range(0, count), messages.Select(m => BitConverter.ToInt32(m.Payload.Span)));
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task A_retained_message_reaches_a_later_subscriber_flagged_as_retained(MqttProtocolVersion version)
    {
        string topic = Unique("retained");
        await using var publisher = await ConnectAsync(Options(Broker, version));
        await publisher.PublishAsync(topic, Bytes("last-known"), MqttQualityOfService.AtLeastOnce, retain: true);

        await using var late = await ConnectAsync(Options(Broker, version));
        await late.SubscribeAsync(topic, MqttQualityOfService.AtLeastOnce);
        var message = Assert.Single(await ReceiveAsync(late, 1));
        Assert.True(message.Retain);
        Assert.Equal("last-known", message.PayloadAsString());

        await publisher.PublishAsync(topic, ReadOnlyMemory<byte>.Empty, MqttQualityOfService.AtLeastOnce, retain: true); // clears it
        await using var later = await ConnectAsync(Options(Broker, version));
        await later.SubscribeAsync(topic, MqttQualityOfService.AtLeastOnce);
        await AssertNothingMoreAsync(later, TimeSpan.FromMilliseconds(300));
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Wildcard_subscriptions_match_by_level(MqttProtocolVersion version)
    {
        string root = Unique("plant");
        await using var client = await ConnectAsync(Options(Broker, version));
        var codes = await client.SubscribeAsync([
            new MqttTopicSubscription($"{root}/+/temperature", MqttQualityOfService.AtLeastOnce),
            new MqttTopicSubscription($"{root}/line2/#", MqttQualityOfService.AtLeastOnce),
        ]);
        Assert.Equal([MqttReasonCode.GrantedQoS1, MqttReasonCode.GrantedQoS1], codes);

        await using var publisher = await ConnectAsync(Options(Broker, version));
        foreach (var t in new[] { "line1/temperature", "line1/pressure", "line1/a/temperature", "line2", "line2/x/y" })
            await publisher.PublishAsync($"{root}/{t}", Bytes(t), MqttQualityOfService.AtLeastOnce);
        await publisher.PublishAsync($"{root}/done", Bytes("done"), MqttQualityOfService.AtLeastOnce);
        await client.SubscribeAsync($"{root}/done", MqttQualityOfService.AtLeastOnce);
        await publisher.PublishAsync($"{root}/done", Bytes("done"), MqttQualityOfService.AtLeastOnce);

        var messages = await ReceiveAsync(client, 4);
        Assert.Equal(["line1/temperature", "line2", "line2/x/y", "done"], messages.Select(m => m.PayloadAsString()));
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task A_shared_subscription_distributes_messages_between_two_of_our_clients(MqttProtocolVersion version)
    {
        string topic = Unique("shared");
        string filter = $"$share/workers/{topic}";
        await using var a = await ConnectAsync(Options(Broker, version));
        await using var b = await ConnectAsync(Options(Broker, version));
        Assert.Equal(MqttReasonCode.GrantedQoS1, await a.SubscribeAsync(filter, MqttQualityOfService.AtLeastOnce));
        Assert.Equal(MqttReasonCode.GrantedQoS1, await b.SubscribeAsync(filter, MqttQualityOfService.AtLeastOnce));

        const int count = 20;
        await using var publisher = await ConnectAsync(Options(Broker, version));
        for (int i = 0; i < count; i++) await publisher.PublishAsync(topic, BitConverter.GetBytes(i), MqttQualityOfService.AtLeastOnce);

        var received = new System.Collections.Concurrent.ConcurrentQueue<(char Member, int Value)>();
        using var cts = new CancellationTokenSource(Bound);
        async Task DrainAsync(MqttClient member, char name)
        {
            try
            {
                while (true)
                {
                    var m = await member.ReceiveAsync(cts.Token);
                    received.Enqueue((name, BitConverter.ToInt32(m.Payload.Span)));
                    if (received.Count >= count) cts.Cancel();
                }
            }
            catch (OperationCanceledException) { }
        }
        await Task.WhenAll(DrainAsync(a, 'a'), DrainAsync(b, 'b'));
        int fromA = received.Count(r => r.Member == 'a'), fromB = received.Count(r => r.Member == 'b');
        Assert.Equal(Enumerable.Range(0, count), received.Select(r => r.Value).Order());
        Assert.True(fromA > 0 && fromB > 0, $"both members get messages (a: {fromA}, b: {fromB})");
        await AssertNothingMoreAsync(a, TimeSpan.FromMilliseconds(200));
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task The_will_is_published_when_our_connection_drops_abruptly_but_not_after_a_disconnect(MqttProtocolVersion version)
    {
        string willTopic = Unique("will");
        await using var watcher = await ConnectAsync(Options(Broker, version));
        await watcher.SubscribeAsync(willTopic, MqttQualityOfService.AtLeastOnce);

        var polite = await ConnectAsync(Options(Broker, version) with { Will = new MqttWill(willTopic, Bytes("polite"), MqttQualityOfService.AtLeastOnce) });
        await polite.DisposeAsync();

        var doomed = await ConnectAsync(Options(Broker, version) with
        {
            Will = new MqttWill(willTopic, Bytes("press-7 offline"), MqttQualityOfService.AtLeastOnce),
            Reconnect = MqttReconnectPolicy.Disabled,
        });
        var lost = new TaskCompletionSource<MqttDisconnectedEventArgs>();
        doomed.Disconnected += (_, e) => lost.TrySetResult(e);
        doomed.AbortConnection();
        var disconnected = await lost.Task.WaitAsync(Bound);
        Assert.False(disconnected.WillReconnect);

        var will = Assert.Single(await ReceiveAsync(watcher, 1));
        Assert.Equal("press-7 offline", will.PayloadAsString());
        Assert.Equal(willTopic, will.Topic);
        await Assert.ThrowsAsync<MqttClientException>(() => doomed.PublishAsync(willTopic, Bytes("x"), MqttQualityOfService.AtLeastOnce));
        await doomed.DisposeAsync();
    }

    [Fact]
    public async Task Subscribe_and_unsubscribe_return_the_servers_reason_codes()
    {
        string topic = Unique("codes");
        await using var client = await ConnectAsync(Options(Broker, MqttProtocolVersion.V500));
        Assert.Equal(MqttReasonCode.GrantedQoS2, await client.SubscribeAsync(topic, MqttQualityOfService.ExactlyOnce));
        Assert.Equal(MqttReasonCode.Success, await client.UnsubscribeAsync(topic));
        Assert.Equal(MqttReasonCode.NoSubscriptionExisted, await client.UnsubscribeAsync(topic));

        await using var publisher = await ConnectAsync(Options(Broker, MqttProtocolVersion.V500));
        var result = await publisher.PublishAsync(topic, Bytes("nobody"), MqttQualityOfService.AtLeastOnce);
        Assert.Equal(MqttReasonCode.NoMatchingSubscribers, result.ReasonCode);
        Assert.True(result.IsSuccess);
    }
}
