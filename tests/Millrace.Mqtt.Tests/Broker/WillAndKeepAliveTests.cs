using Millrace.Mqtt.Broker;
using Millrace.Mqtt.Packets;
using static Millrace.Mqtt.Tests.Broker.RawMqttClient;

namespace Millrace.Mqtt.Tests.Broker;

public sealed class WillAndKeepAliveTests
{
    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task The_will_is_published_when_the_connection_drops_and_not_after_a_normal_DISCONNECT(MqttProtocolVersion version)
    {
        await using var broker = await TestBroker.StartAsync();
        var (watcher, _) = await ConnectAsync(broker.Endpoint!, version, "watcher");
        await using var w = watcher;
        await watcher.SubscribeAsync("status/#", MqttQualityOfService.AtLeastOnce);

        var (polite, _) = await ConnectAsync(broker.Endpoint!, version, "polite", will: ("status/polite", "gone", MqttQualityOfService.AtLeastOnce, false, 0));
        await polite.DisconnectAsync();
        await polite.ExpectClosedAsync();
        await polite.DisposeAsync();

        var (crashing, _) = await ConnectAsync(broker.Endpoint!, version, "crashing", will: ("status/crashing", "lost", MqttQualityOfService.AtLeastOnce, true, 0));
        crashing.Drop();

        var will = await watcher.ExpectAsync(MqttPacketType.Publish);
        Assert.Equal(("status/crashing", "lost", MqttQualityOfService.AtLeastOnce), (will.Topic, will.Text, will.QoS));
        await TestBroker.EventuallyAsync(() => broker.RetainedCount == 1, "the will was retained");
    }

    [Fact]
    public async Task Keep_alive_expiry_after_one_and_a_half_periods_closes_with_0x8D_and_publishes_the_will()
    {
        var clock = new ManualTimeProvider();
        await using var broker = await TestBroker.StartAsync(new MqttBrokerOptions { TimeProvider = clock });
        var (watcher, _) = await ConnectAsync(broker.Endpoint!, MqttProtocolVersion.V311, "watcher");
        await using var w = watcher;
        await watcher.SubscribeAsync("status/#");
        var (silent, _) = await ConnectAsync(broker.Endpoint!, MqttProtocolVersion.V500, "silent", keepAlive: 10,
            will: ("status/silent", "timeout", 0, false, 0));
        await using var s = silent;

        clock.Advance(TimeSpan.FromSeconds(14)); // within 1.5 × 10 s: still connected
        await silent.SendAsync(o => Codec.MqttPacketWriter.WritePingReq(o));
        await silent.ExpectAsync(MqttPacketType.PingResp);
        clock.Advance(TimeSpan.FromSeconds(16)); // silence longer than 15 s since the PINGREQ

        var packets = await silent.ExpectClosedAsync();
        Assert.Equal(MqttReasonCode.KeepAliveTimeout, Assert.Single(packets, p => p.Type == MqttPacketType.Disconnect).Code);
        Assert.Equal("timeout", (await watcher.ExpectAsync(MqttPacketType.Publish)).Text);
    }

    [Fact]
    public async Task A_delayed_will_is_cancelled_when_the_session_resumes_in_time_and_published_when_it_does_not()
    {
        var clock = new ManualTimeProvider();
        await using var broker = await TestBroker.StartAsync(new MqttBrokerOptions { TimeProvider = clock });
        var (watcher, _) = await ConnectAsync(broker.Endpoint!, MqttProtocolVersion.V500, "watcher");
        await using var w = watcher;
        await watcher.SubscribeAsync("status/#");
        void Expiry(Codec.MqttPropertiesBuilder b) => b.Add(Codec.MqttPropertyId.SessionExpiryInterval, 300);

        var (first, _) = await ConnectAsync(broker.Endpoint!, MqttProtocolVersion.V500, "edge", cleanStart: false, properties: Expiry,
            will: ("status/edge", "offline", 0, false, 30));
        first.Drop();
        await TestBroker.EventuallyAsync(() => broker.Metrics.Connections == 1, "the drop was noticed");
        clock.Advance(TimeSpan.FromSeconds(10));
        var (back, ack) = await ConnectAsync(broker.Endpoint!, MqttProtocolVersion.V500, "edge", cleanStart: false, properties: Expiry,
            will: ("status/edge", "offline-2", 0, false, 30));
        Assert.True(ack.SessionPresent);
        clock.Advance(TimeSpan.FromSeconds(40)); // the first will would be due now: it was cancelled
        back.Drop();
        await TestBroker.EventuallyAsync(() => broker.Metrics.Connections == 1, "the second drop was noticed");
        clock.Advance(TimeSpan.FromSeconds(31));

        Assert.Equal("offline-2", (await watcher.ExpectAsync(MqttPacketType.Publish)).Text);
        await watcher.SendAsync(o => Codec.MqttPacketWriter.WritePingReq(o));
        Assert.Equal(MqttPacketType.PingResp, (await watcher.NextAsync()).Type); // and "offline" never came
    }

    [Fact]
    public async Task A_connection_that_never_sends_CONNECT_is_closed_after_the_connect_timeout()
    {
        var clock = new ManualTimeProvider();
        await using var broker = await TestBroker.StartAsync(new MqttBrokerOptions { TimeProvider = clock, ConnectTimeout = TimeSpan.FromSeconds(5) });
        await using var idle = await OpenAsync(broker.Endpoint!, MqttProtocolVersion.V311);
        idle.StartReading();
        await TestBroker.EventuallyAsync(() => broker.ConnectionCount == 1, "accepted");
        clock.Advance(TimeSpan.FromSeconds(6));
        Assert.Empty(await idle.ExpectClosedAsync());
    }
}
