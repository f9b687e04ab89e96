using Millrace.Mqtt.Broker;
using Millrace.Mqtt.Codec;
using Millrace.Mqtt.Packets;
using static Millrace.Mqtt.Tests.Broker.RawMqttClient;

namespace Millrace.Mqtt.Tests.Broker;

public sealed class SessionTests
{
    public static TheoryData<MqttProtocolVersion, bool> StoreCases() => new()
    {
        { MqttProtocolVersion.V311, false }, { MqttProtocolVersion.V500, false }, { MqttProtocolVersion.V311, true }, { MqttProtocolVersion.V500, true },
    };

    private static void Persistent(MqttPropertiesBuilder b) => b.Add(MqttPropertyId.SessionExpiryInterval, 3600);

    [Theory]
    [MemberData(nameof(StoreCases))]
    public async Task A_persistent_session_survives_a_broker_restart_and_redelivers_unacknowledged_messages_with_DUP(MqttProtocolVersion version, bool fileStore)
    {
        string dir = Path.Combine(Path.GetTempPath(), "millrace-sessions-" + Guid.NewGuid().ToString("N"));
        IMqttSessionStore store = fileStore ? new MqttFileSessionStore(dir) : new MqttInMemorySessionStore();
        try
        {
            ushort firstId;
            await using (var broker = await TestBroker.StartAsync(new MqttBrokerOptions { SessionStore = store }))
            {
                var (client, ack) = await ConnectAsync(broker.Endpoint!, version, "line-7", cleanStart: false, properties: Persistent);
                Assert.False(ack.SessionPresent);
                await client.SubscribeAsync("orders/#", MqttQualityOfService.ExactlyOnce);
                broker.PublishInProcess("orders/1", "first"u8, MqttQualityOfService.AtLeastOnce);
                broker.PublishInProcess("orders/2", "second"u8, MqttQualityOfService.ExactlyOnce);
                var first = await client.ExpectAsync(MqttPacketType.Publish);
                var second = await client.ExpectAsync(MqttPacketType.Publish);
                firstId = first.PacketId;
                await client.RespondAsync(MqttPacketType.PubRec, second.PacketId); // QoS 2 half done: PUBREL must be sent again
                await client.ExpectAsync(MqttPacketType.PubRel);
                client.Drop(); // "first" never acknowledged
                await TestBroker.EventuallyAsync(() => broker.Metrics.Connections == 0, "the drop was noticed");
                broker.PublishInProcess("orders/3", "while offline"u8, MqttQualityOfService.AtLeastOnce);
                broker.PublishInProcess("orders/4", "QoS 0 is not kept offline"u8);
                await client.DisposeAsync();
            } // stopped: sessions saved

            await using var restarted = await TestBroker.StartAsync(new MqttBrokerOptions { SessionStore = store });
            Assert.True(restarted.HasSession("line-7"));
            var (resumed, ack2) = await ConnectAsync(restarted.Endpoint!, version, "line-7", cleanStart: false, properties: Persistent);
            await using var r = resumed;
            Assert.True(ack2.SessionPresent);
            var again = await resumed.ExpectAsync(MqttPacketType.Publish);
            Assert.Equal(("first", true, firstId), (again.Text, again.Dup, again.PacketId));
            var rel = await resumed.ExpectAsync(MqttPacketType.PubRel);
            await resumed.RespondAsync(MqttPacketType.PubAck, again.PacketId);
            await resumed.RespondAsync(MqttPacketType.PubComp, rel.PacketId);
            var queued = await resumed.ExpectAsync(MqttPacketType.Publish);
            Assert.Equal(("while offline", false), (queued.Text, queued.Dup));
            await resumed.RespondAsync(MqttPacketType.PubAck, queued.PacketId);

            restarted.PublishInProcess("orders/5", "subscription restored"u8, MqttQualityOfService.AtLeastOnce);
            Assert.Equal("subscription restored", (await resumed.ExpectAsync(MqttPacketType.Publish)).Text);
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Clean_start_discards_the_previous_session(MqttProtocolVersion version)
    {
        var store = new MqttInMemorySessionStore();
        await using var broker = await TestBroker.StartAsync(new MqttBrokerOptions { SessionStore = store });
        var (client, _) = await ConnectAsync(broker.Endpoint!, version, "c", cleanStart: false, properties: Persistent);
        await client.SubscribeAsync("a");
        await client.DisconnectAsync();
        await client.ExpectClosedAsync();
        await client.DisposeAsync();

        var (again, ack) = await ConnectAsync(broker.Endpoint!, version, "c", cleanStart: true);
        await using var a = again;
        Assert.False(ack.SessionPresent);
        broker.PublishInProcess("a", "old subscription"u8);
        await again.SendAsync(o => MqttPacketWriter.WritePingReq(o));
        Assert.Equal(MqttPacketType.PingResp, (await again.NextAsync()).Type);
        await again.DisconnectAsync();
        await again.ExpectClosedAsync();
        await TestBroker.EventuallyAsync(() => !broker.HasSession("c") && store.Count == 0, "a clean session ends with its connection");
    }

    [Fact]
    public async Task A_5_0_session_expires_after_its_interval_once_the_client_is_gone()
    {
        var clock = new ManualTimeProvider();
        var store = new MqttInMemorySessionStore();
        await using var broker = await TestBroker.StartAsync(new MqttBrokerOptions { TimeProvider = clock, SessionStore = store });
        var (client, _) = await ConnectAsync(broker.Endpoint!, MqttProtocolVersion.V500, "c", cleanStart: false,
            properties: b => b.Add(MqttPropertyId.SessionExpiryInterval, 60));
        await client.SubscribeAsync("a");
        await client.DisconnectAsync();
        await client.ExpectClosedAsync();
        await client.DisposeAsync();
        clock.Advance(TimeSpan.FromSeconds(30));
        Assert.True(broker.HasSession("c"));
        await TestBroker.EventuallyAsync(() => store.Count == 1, "saved while it lives");
        clock.Advance(TimeSpan.FromSeconds(31));
        Assert.False(broker.HasSession("c"));
        await TestBroker.EventuallyAsync(() => store.Count == 0, "deleted from the store");
    }

    [Fact]
    public async Task Messages_for_an_offline_session_are_bounded_and_the_overflow_is_counted()
    {
        await using var broker = await TestBroker.StartAsync(new MqttBrokerOptions { MaximumQueuedMessages = 5 });
        var (client, _) = await ConnectAsync(broker.Endpoint!, MqttProtocolVersion.V500, "slow", cleanStart: false, properties: Persistent);
        await client.SubscribeAsync("t", MqttQualityOfService.AtLeastOnce);
        await client.DisconnectAsync();
        await client.ExpectClosedAsync();
        await client.DisposeAsync();

        for (int i = 0; i < 8; i++) broker.PublishInProcess("t", [(byte)('0' + i)], MqttQualityOfService.AtLeastOnce);
        broker.PublishInProcess("t", "qos0"u8); // not kept for an offline client
        Assert.Equal(4, broker.Metrics.Dropped);

        var (back, _) = await ConnectAsync(broker.Endpoint!, MqttProtocolVersion.V500, "slow", cleanStart: false, properties: Persistent);
        await using var b = back;
        var texts = new List<string>();
        for (int i = 0; i < 5; i++)
        {
            var m = await back.ExpectAsync(MqttPacketType.Publish);
            texts.Add(m.Text);
            await back.RespondAsync(MqttPacketType.PubAck, m.PacketId);
        }
        Assert.Equal(["0", "1", "2", "3", "4"], texts);
    }

    [Fact]
    public async Task A_second_connection_with_the_same_client_id_takes_the_session_over()
    {
        await using var broker = await TestBroker.StartAsync();
        var (first, _) = await ConnectAsync(broker.Endpoint!, MqttProtocolVersion.V500, "dup", cleanStart: false, properties: Persistent);
        await using var f = first;
        await first.SubscribeAsync("t");
        var (second, ack) = await ConnectAsync(broker.Endpoint!, MqttProtocolVersion.V500, "dup", cleanStart: false, properties: Persistent);
        await using var s = second;
        Assert.True(ack.SessionPresent);
        var closing = await first.ExpectClosedAsync();
        Assert.Equal(MqttReasonCode.SessionTakenOver, Assert.Single(closing).Code);
        broker.PublishInProcess("t", "to the new one"u8);
        Assert.Equal("to the new one", (await second.ExpectAsync(MqttPacketType.Publish)).Text);
    }

    [Fact]
    public async Task The_file_store_round_trips_a_session_and_skips_unreadable_files()
    {
        string dir = Path.Combine(Path.GetTempPath(), "millrace-sessions-" + Guid.NewGuid().ToString("N"));
        try
        {
            var store = new MqttFileSessionStore(dir);
            var message = new MqttApplicationMessage("a/b"u8, "payload"u8, MqttQualityOfService.ExactlyOnce, true, [0x03, 0x00, 0x01, (byte)'j'],
                new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero));
            var session = new MqttStoredSession
            {
                ClientId = "plant/03 ✓", ExpiryInterval = 99, DisconnectedAt = new DateTimeOffset(2026, 11, 22, 8, 0, 0, TimeSpan.Zero),
                Subscriptions = [new MqttStoredSubscription("$share/g/a/#", 0x0A, 7)],
                Messages = [new MqttStoredMessage(message, MqttQualityOfService.AtLeastOnce, false, 12, MqttDeliveryState.AwaitingAcknowledgement, [7, 8])],
                IncomingQoS2 = [3, 4],
            };
            await store.SaveAsync(session, default);
            File.WriteAllBytes(Path.Combine(dir, "broken.session"), [1, 2, 3]);

            var loaded = Assert.Single(await store.LoadAllAsync(default));
            Assert.Single(store.LoadErrors);
            Assert.Equal((session.ClientId, 99u, session.DisconnectedAt), (loaded.ClientId, loaded.ExpiryInterval, loaded.DisconnectedAt));
            Assert.Equal(session.Subscriptions, loaded.Subscriptions);
            Assert.Equal(new ushort[] { 3, 4 }, loaded.IncomingQoS2);
            var m = Assert.Single(loaded.Messages);
            Assert.Equal(("a/b", "payload", MqttQualityOfService.ExactlyOnce, true, message.ExpiresAt), (m.Message.Topic, System.Text.Encoding.UTF8.GetString(m.Message.Payload.Span),
                m.Message.QoS, m.Message.Retain, m.Message.ExpiresAt));
            Assert.Equal(message.EncodedProperties.ToArray(), m.Message.EncodedProperties.ToArray());
            Assert.Equal((MqttQualityOfService.AtLeastOnce, (ushort)12, MqttDeliveryState.AwaitingAcknowledgement), (m.QoS, m.PacketIdentifier, m.State));
            Assert.Equal([7, 8], m.SubscriptionIdentifiers);

            await store.DeleteAsync(session.ClientId, default);
            Assert.Empty(await store.LoadAllAsync(default));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
