using Millrace.Mqtt.Client;
using Millrace.Mqtt.Tests.Peers;
using static Millrace.Mqtt.Tests.Client.ClientTestSupport;

namespace Millrace.Mqtt.Tests.Client;

/// <summary>
/// Persistent sessions across a restart of mosquitto (persistence on disk). The scenario is deterministic: while our
/// client is offline, mosquitto is brought back with anonymous access refused, so our client's automatic reconnection
/// attempts are turned away while an authenticated publisher's messages are queued for its session; then mosquitto
/// restarts open again and our client must reconnect on its own, find its session and receive the queued messages.
/// </summary>
public sealed class SessionResumeTests
{
    private static readonly Dictionary<string, string> Publisher = new() { ["publisher"] = "pw" };

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Messages_queued_while_offline_arrive_after_the_client_reconnects_by_itself(MqttProtocolVersion version)
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoSettings { Users = Publisher });
        string topic = Unique("resume");
        // Clean Start 0 from the first connection: mosquitto 2.0.11 restores a 5.0 session after a restart only then
        // (a session begun with Clean Start 1 and an expiry interval is not found again after the restart).
        var options = Options(broker, version, clientId: "resume-" + Guid.NewGuid().ToString("N")[..8]) with
        {
            CleanStart = false,
            SessionExpiryInterval = version == MqttProtocolVersion.V500 ? 3600u : 0u,
        };
        await using var client = await ConnectAsync(options);
        Assert.Equal(MqttReasonCode.GrantedQoS1, await client.SubscribeAsync(topic, MqttQualityOfService.AtLeastOnce));

        var reconnected = new TaskCompletionSource<MqttConnectedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Connected += (_, e) => { if (e.IsReconnect) reconnected.TrySetResult(e); };

        // Offline: mosquitto stops (saving the session) and comes back refusing anonymous clients.
        await broker.StopAsync();
        await broker.StartAgainAsync(new MosquittoSettings { Users = Publisher, AllowAnonymous = false });
        await EventuallyAsync(() => client.LastReconnectError is MqttConnectException, "a refused reconnection attempt");
        Assert.False(client.IsConnected);
        await MosquittoClients.PublishAsync(broker.Port, topic, ["q1", "q2", "q3"], qos: 1,
            version: V(version), extra: ["-u", "publisher", "-P", "pw"]);

        // Back to normal: the client reconnects without help and resumes its session.
        await broker.StopAsync();
        await broker.StartAgainAsync(new MosquittoSettings { Users = Publisher, AllowAnonymous = true });
        var resumed = await reconnected.Task.WaitAsync(Bound);
        Assert.True(resumed.SessionPresent, "mosquitto kept the session across both restarts");

        var messages = await ReceiveAsync(client, 3);
        Assert.Equal(["q1", "q2", "q3"], messages.Select(m => m.PayloadAsString()));
    }

    [Fact]
    public async Task A_QoS_1_publication_made_while_offline_is_delivered_after_reconnection()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        string topic = Unique("outbox");
        // Clean Start 0: the receiver's session (and subscription) survives the restart (see above).
        await using var receiver = await ConnectAsync(Options(broker, MqttProtocolVersion.V500, "outbox-rx") with
        {
            CleanStart = false, SessionExpiryInterval = 600,
        });
        await receiver.SubscribeAsync(topic, MqttQualityOfService.AtLeastOnce);
        await using var sender = await ConnectAsync(Options(broker, MqttProtocolVersion.V500, "outbox-tx") with
        {
            CleanStart = false, SessionExpiryInterval = 600,
        });

        await broker.StopAsync();
        await EventuallyAsync(() => !sender.IsConnected, "the sender noticing the broker is gone");
        var publication = sender.PublishAsync(topic, Bytes("kept in memory"), MqttQualityOfService.AtLeastOnce);
        Assert.False(publication.IsCompleted);

        await broker.StartAgainAsync();
        var result = await publication.WaitAsync(Bound);
        Assert.True(result.IsSuccess);
        Assert.Equal("kept in memory", Assert.Single(await ReceiveAsync(receiver, 1)).PayloadAsString());
    }

    [Fact]
    public async Task Subscriptions_are_renewed_when_a_reconnection_finds_no_session()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        string topic = Unique("renew");
        // Session Expiry 0: the session ends with each connection, so every reconnection starts from nothing.
        await using var client = await ConnectAsync(Options(broker, MqttProtocolVersion.V500));
        await client.SubscribeAsync(topic, MqttQualityOfService.AtLeastOnce);
        var reconnected = new TaskCompletionSource<MqttConnectedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Connected += (_, e) => reconnected.TrySetResult(e);

        client.AbortConnection();
        var again = await reconnected.Task.WaitAsync(Bound);
        Assert.False(again.SessionPresent);

        // The renewed SUBSCRIBE goes out before anything else on the new connection; a round trip proves it was applied.
        await client.PublishAsync(topic, Bytes("after renew"), MqttQualityOfService.AtLeastOnce);
        Assert.Equal("after renew", Assert.Single(await ReceiveAsync(client, 1)).PayloadAsString());
    }
}
