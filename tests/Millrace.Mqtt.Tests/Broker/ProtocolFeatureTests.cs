using System.Diagnostics.Metrics;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Channels;
using Millrace.Mqtt.Broker;
using Millrace.Mqtt.Codec;
using Millrace.Mqtt.Packets;
using static Millrace.Mqtt.Tests.Broker.RawMqttClient;

namespace Millrace.Mqtt.Tests.Broker;

public sealed class ProtocolFeatureTests
{
    [Fact]
    public async Task No_Local_Subscription_Identifiers_and_received_Topic_Aliases_work_on_5_0()
    {
        await using var broker = await TestBroker.StartAsync();
        var (client, ack) = await ConnectAsync(broker.Endpoint!, MqttProtocolVersion.V500, "c");
        await using var c = client;
        Assert.True(ack.Numbers![MqttPropertyId.TopicAliasMaximum] > 0);
        await client.SubscribeAsync("own/#", noLocal: true, packetId: 1);
        await client.SubscribeAsync("alias/+", subscriptionId: 42, packetId: 2);
        await client.SubscribeAsync("alias/#", subscriptionId: 43, packetId: 3);

        await client.PublishAsync("own/x", "echo?");
        await client.PublishAsync("alias/1", "mapped", properties: b => b.Add(MqttPropertyId.TopicAlias, 5));
        await client.PublishAsync("", "by alias", properties: b => b.Add(MqttPropertyId.TopicAlias, 5));

        var first = await client.ExpectAsync(MqttPacketType.Publish);
        var second = await client.ExpectAsync(MqttPacketType.Publish);
        Assert.Equal(("alias/1", "mapped"), (first.Topic, first.Text)); // own/x was not echoed
        Assert.Equal(("alias/1", "by alias"), (second.Topic, second.Text));
        Assert.Equal([42u, 43u], first.SubscriptionIds!.Order()); // one delivery for both subscriptions [MQTT-3.3.4-3]
        Assert.False(first.Numbers!.ContainsKey(MqttPropertyId.TopicAlias)); // the publisher's alias is not forwarded
    }

    [Fact]
    public async Task Messages_larger_than_the_client_s_Maximum_Packet_Size_are_not_sent_and_are_counted()
    {
        await using var broker = await TestBroker.StartAsync();
        var (client, _) = await ConnectAsync(broker.Endpoint!, MqttProtocolVersion.V500, "c", properties: b => b.Add(MqttPropertyId.MaximumPacketSize, 100));
        await using var c = client;
        await client.SubscribeAsync("t");
        broker.PublishInProcess("t", new byte[200]);
        broker.PublishInProcess("t", "small"u8);
        Assert.Equal("small", (await client.ExpectAsync(MqttPacketType.Publish)).Text);
        Assert.Equal(1, broker.Metrics.Dropped);
    }

    [Fact]
    public async Task Message_Expiry_is_forwarded_as_the_remaining_time_and_user_properties_pass_through()
    {
        await using var broker = await TestBroker.StartAsync();
        var (client, _) = await ConnectAsync(broker.Endpoint!, MqttProtocolVersion.V500, "c");
        await using var c = client;
        await client.SubscribeAsync("t");
        await client.PublishAsync("t", "m", properties: b => b.Add(MqttPropertyId.MessageExpiryInterval, 60).Add(MqttPropertyId.ContentType, "text/plain")
            .AddUserProperty("plant", "03"));
        var m = await client.ExpectAsync(MqttPacketType.Publish);
        Assert.InRange(m.Numbers![MqttPropertyId.MessageExpiryInterval], 1u, 60u);
        Assert.Equal("text/plain", m.Strings![MqttPropertyId.ContentType]);
        Assert.Equal("plant=03", m.Strings[MqttPropertyId.UserProperty]);
    }

    [Fact]
    public async Task An_unsupported_protocol_level_gets_CONNACK_0x01_and_a_malformed_5_0_packet_gets_DISCONNECT_0x81()
    {
        await using var broker = await TestBroker.StartAsync();
        await using (var old = await OpenAsync(broker.Endpoint!, MqttProtocolVersion.V311))
        {
            await old.SendRawAsync([0x10, 0x0C, 0x00, 0x04, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', 0x03, 0x02, 0x00, 0x3C, 0x00, 0x00]);
            old.StartReading();
            var closing = await old.ExpectClosedAsync();
            Assert.Equal(MqttReasonCode.UnsupportedProtocolVersion, Assert.Single(closing).Code); // return code 1 on the wire
        }
        var (client, _) = await ConnectAsync(broker.Endpoint!, MqttProtocolVersion.V500, "c");
        await using var c = client;
        await client.SendRawAsync([0x32, 0x03, 0x00, 0x01, (byte)'#']); // QoS 1 PUBLISH, topic "#" (wildcard), cut short
        var packets = await client.ExpectClosedAsync();
        Assert.Equal(MqttReasonCode.MalformedPacket, Assert.Single(packets).Code);
    }

    [Fact]
    public async Task In_process_subscribers_and_publishers_exchange_messages_with_socket_clients()
    {
        await using var broker = await TestBroker.StartAsync();
        var received = Channel.CreateUnbounded<MqttApplicationMessage>();
        await using var subscription = broker.SubscribeInProcess("acme/+/telemetry", (m, _) => received.Writer.WriteAsync(m));
        var (client, _) = await ConnectAsync(broker.Endpoint!, MqttProtocolVersion.V311, "gateway");
        await using var c = client;
        await client.SubscribeAsync("hub/commands");

        await client.PublishAsync("acme/plant-03/telemetry", "{\"t\":21}", MqttQualityOfService.AtLeastOnce, packetId: 1);
        broker.PublishInProcess("hub/commands", "reset"u8, MqttQualityOfService.AtLeastOnce);

        using var cts = new CancellationTokenSource(Wait);
        var m = await received.Reader.ReadAsync(cts.Token);
        Assert.Equal(("acme/plant-03/telemetry", "{\"t\":21}", "gateway"), (m.Topic, System.Text.Encoding.UTF8.GetString(m.Payload.Span), m.PublisherClientId));
        var packets = new[] { await client.NextAsync(), await client.NextAsync() };
        Assert.Contains(packets, p => p.Type == MqttPacketType.PubAck);
        Assert.Equal("reset", Assert.Single(packets, p => p.Type == MqttPacketType.Publish).Text);
    }

    [Fact]
    public async Task The_TLS_listener_serves_clients_over_an_encrypted_stream()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        using var exportable = X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
        await using var broker = await TestBroker.StartAsync(new MqttBrokerOptions
        {
            TlsEndpoint = new IPEndPoint(IPAddress.Loopback, 0), ServerCertificate = exportable,
        });
        await using var client = await OpenTlsAsync(broker.TlsEndpoint!, MqttProtocolVersion.V500);
        Assert.Equal(MqttReasonCode.Success, (await client.SendConnectAsync("secure")).Code);
        await client.SubscribeAsync("s", MqttQualityOfService.AtLeastOnce);
        await client.PublishAsync("s", "over tls", MqttQualityOfService.AtLeastOnce, packetId: 1);
        var packets = new[] { await client.NextAsync(), await client.NextAsync() };
        Assert.Equal("over tls", Assert.Single(packets, p => p.Type == MqttPacketType.Publish).Text);
    }

    [Fact]
    public async Task Statistics_are_published_on_the_Millrace_Mqtt_Broker_meter()
    {
        await using var broker = await TestBroker.StartAsync();
        var totals = new System.Collections.Concurrent.ConcurrentDictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter == broker.Metrics.Meter) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => totals.AddOrUpdate(instrument.Name, value, (_, v) => v + value));
        listener.Start();

        var (client, _) = await ConnectAsync(broker.Endpoint!, MqttProtocolVersion.V500, "c");
        await using (client)
        {
            await client.SubscribeAsync("m");
            await client.PublishAsync("m", "x");
            await client.ExpectAsync(MqttPacketType.Publish);
            broker.PublishInProcess("retained/x", "r"u8, retain: true);
            listener.RecordObservableInstruments();
        }
        await TestBroker.EventuallyAsync(() => totals.GetValueOrDefault("millrace.mqtt.broker.messages.sent") == 1, "sent counted");
        Assert.Equal(MqttBrokerMetrics.MeterName, broker.Metrics.Meter.Name);
        Assert.Equal(2, totals["millrace.mqtt.broker.messages.received"]);
        Assert.Equal(1, totals["millrace.mqtt.broker.connections.accepted"]);
        Assert.True(totals["millrace.mqtt.broker.bytes.received"] > 0 && totals["millrace.mqtt.broker.bytes.sent"] > 0);
        Assert.Equal(1, totals["millrace.mqtt.broker.retained"]);
        Assert.Equal(1, totals["millrace.mqtt.broker.connections"]);
    }
}
