using System.Buffers;
using Millrace.Mqtt.Codec;
using Millrace.Mqtt.Packets;
using static Millrace.Mqtt.Tests.TestSupport;

namespace Millrace.Mqtt.Tests;

/// <summary>The encoder refuses to produce packets the specification forbids a sender to send.</summary>
public class WriterTests
{
    private const MqttProtocolVersion V3 = MqttProtocolVersion.V311;
    private const MqttProtocolVersion V5 = MqttProtocolVersion.V500;

    [Fact]
    public void A_packet_over_the_peers_maximum_is_not_written_at_all()
    {
        var output = new ArrayBufferWriter<byte>();
        var publish = new MqttPublishPacket { Topic = Utf8("a"), Payload = new ReadOnlySequence<byte>(new byte[100]) };
        int size = MqttPacketWriter.GetPublishSize(V5, publish);
        Assert.Equal(0, MqttPacketWriter.WritePublish(output, V5, publish, maximumPacketSize: size - 1));
        Assert.Equal(0, output.WrittenCount);
        Assert.Equal(size, MqttPacketWriter.WritePublish(output, V5, publish, maximumPacketSize: size));
    }

    [Fact]
    public void Publish_with_QoS_above_0_needs_a_packet_identifier()
        => Assert.Throws<ArgumentException>(() => Encode(o => MqttPacketWriter.WritePublish(o, V5,
            new MqttPublishPacket { QoS = MqttQualityOfService.AtLeastOnce, Topic = Utf8("a") })));

    [Fact]
    public void Publish_QoS_0_carries_no_packet_identifier_and_no_DUP()
    {
        var bytes = Encode(o => MqttPacketWriter.WritePublish(o, V3, new MqttPublishPacket { Topic = Utf8("a"), PacketIdentifier = 7, Payload = Utf8("x") }));
        Assert.Equal(Hex("30 04 0001 61 78"), bytes); // [MQTT-2.2.1-2]
        Assert.Throws<ArgumentException>(() => Encode(o => MqttPacketWriter.WritePublish(o, V3, new MqttPublishPacket { Topic = Utf8("a"), Duplicate = true })));
    }

    [Theory]
    [InlineData("a/+")]
    [InlineData("#")]
    [InlineData("")]
    public void Publish_topic_must_be_a_topic_name(string topic)
        => Assert.Throws<ArgumentException>(() => Encode(o => MqttPacketWriter.WritePublish(o, V5, new MqttPublishPacket { Topic = Utf8(topic) })));

    [Fact]
    public void ConnAck_with_a_failure_cannot_claim_a_session()
        => Assert.Throws<ArgumentException>(() => Encode(o => MqttPacketWriter.WriteConnAck(o, V5,
            new MqttConnAckPacket { SessionPresent = true, ReasonCode = MqttReasonCode.NotAuthorized })));

    [Fact]
    public void Reason_codes_must_belong_to_the_packet()
        => Assert.Throws<ArgumentException>(() => Encode(o => MqttPacketWriter.WritePublishResponse(o, V5,
            new MqttPublishResponsePacket { Type = MqttPacketType.PubComp, PacketIdentifier = 1, ReasonCode = MqttReasonCode.QuotaExceeded })));

    [Fact]
    public void Properties_must_belong_to_the_packet()
    {
        var props = new MqttPropertiesBuilder().Add(MqttPropertyId.SessionExpiryInterval, 1).Build();
        Assert.Throws<ArgumentException>(() => Encode(o => MqttPacketWriter.WritePublish(o, V5, new MqttPublishPacket { Topic = Utf8("a"), Properties = props })));
    }

    [Fact]
    public void The_properties_builder_checks_value_types()
    {
        var b = new MqttPropertiesBuilder();
        Assert.Throws<ArgumentException>(() => b.Add(MqttPropertyId.PayloadFormatIndicator, 256));
        Assert.Throws<ArgumentException>(() => b.Add(MqttPropertyId.SubscriptionIdentifier, 0));
        Assert.Throws<ArgumentException>(() => b.Add(MqttPropertyId.ContentType, 1));
        Assert.Throws<ArgumentException>(() => b.Add(MqttPropertyId.MessageExpiryInterval, "x"));
        Assert.Throws<ArgumentException>(() => b.AddUserProperty("a\0", "b"));
        Assert.True(b.Build().IsEmpty);
    }

    [Fact]
    public void Auth_needs_an_authentication_method()
        => Assert.Throws<ArgumentException>(() => Encode(o => MqttPacketWriter.WriteAuth(o, new MqttAuthPacket { ReasonCode = MqttReasonCode.ContinueAuthentication })));

    [Fact]
    public void Only_3_1_1_and_5_0_can_be_encoded()
        => Assert.Throws<ArgumentOutOfRangeException>(() => Encode(o => MqttPacketWriter.WriteDisconnect(o, (MqttProtocolVersion)3, default)));

    [Fact]
    public void The_properties_builder_rejects_lone_surrogates()
        => Assert.Throws<ArgumentException>(() => new MqttPropertiesBuilder().Add(MqttPropertyId.ContentType, "a\uD800"));

    [Fact]
    public void Subscribe_needs_valid_filters_and_at_least_one()
    {
        Assert.Throws<ArgumentException>(() => Encode(o => MqttPacketWriter.WriteSubscribe(o, V5, 1, default, [])));
        Assert.Throws<ArgumentException>(() => Encode(o => MqttPacketWriter.WriteSubscribe(o, V5, 1, default, [new(Utf8("a#"), MqttQualityOfService.AtMostOnce)])));
        Assert.Throws<ArgumentException>(() => Encode(o => MqttPacketWriter.WriteUnsubscribe(o, V5, 1, default, [])));
    }

    [Fact]
    public void The_encoder_writes_the_largest_remaining_length_form_for_big_payloads()
    {
        var publish = new MqttPublishPacket { Topic = Utf8("t"), Payload = new ReadOnlySequence<byte>(new byte[2_097_152]) };
        var bytes = Encode(o => MqttPacketWriter.WritePublish(o, V3, publish));
        Assert.Equal(Hex("30 83 80 80 01"), bytes.AsSpan(0, 5).ToArray()); // 2,097,155 needs four length bytes
        var reader = ConnectedServer(V3);
        var seq = new ReadOnlySequence<byte>(bytes);
        Assert.True(reader.TryReadPacket(ref seq, out var packet));
        Assert.Equal(2_097_152, packet.AsPublish().Payload.Length);
    }
}
