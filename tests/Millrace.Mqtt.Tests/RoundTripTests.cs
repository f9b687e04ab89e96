using System.Buffers;
using Millrace.Mqtt.Codec;
using Millrace.Mqtt.Packets;
using static Millrace.Mqtt.Tests.TestSupport;

namespace Millrace.Mqtt.Tests;

/// <summary>Every packet type, both versions: encode, decode (whole and split at every byte), re-encode to the same bytes.</summary>
public class RoundTripTests
{
    private const MqttProtocolVersion V3 = MqttProtocolVersion.V311;
    private const MqttProtocolVersion V5 = MqttProtocolVersion.V500;

    public static TheoryData<MqttProtocolVersion> Versions => new() { V3, V5 };

    /// <summary>Decodes with a fresh reader (from <paramref name="newReader"/>) whole and at every split point; all must agree.</summary>
    private static MqttPacket DecodeEverySplit(Func<MqttPacketReader> newReader, byte[] bytes, Func<MqttPacket, byte[]> reencode)
    {
        MqttPacket whole = ReadOne(newReader(), bytes);
        Assert.Equal(bytes, reencode(whole));
        for (int cut = 1; cut < bytes.Length; cut++)
        {
            var reader = newReader();
            var seq = Split(bytes, cut, cut + 2);
            Assert.True(reader.TryReadPacket(ref seq, out var packet));
            Assert.True(seq.IsEmpty);
            Assert.Equal(bytes, reencode(packet));
        }
        return whole;
    }

    private static MqttProperties FullPublishProperties(MqttPropertiesBuilder b) => b
        .Add(MqttPropertyId.PayloadFormatIndicator, 1)
        .Add(MqttPropertyId.MessageExpiryInterval, 3600)
        .Add(MqttPropertyId.ContentType, "application/json")
        .Add(MqttPropertyId.ResponseTopic, "plant/7/replies")
        .Add(MqttPropertyId.CorrelationData, [1, 2, 3])
        .Add(MqttPropertyId.SubscriptionIdentifier, 268_435_455)
        .Add(MqttPropertyId.SubscriptionIdentifier, 7)
        .Add(MqttPropertyId.TopicAlias, 3)
        .AddUserProperty("line", "4")
        .AddUserProperty("line", "5")
        .Build();

    [Theory]
    [MemberData(nameof(Versions))]
    public void Connect_with_will_user_name_and_password_round_trips(MqttProtocolVersion v)
    {
        var props = new MqttPropertiesBuilder().Add(MqttPropertyId.SessionExpiryInterval, 120).Add(MqttPropertyId.ReceiveMaximum, 10)
            .Add(MqttPropertyId.MaximumPacketSize, 1 << 20).Add(MqttPropertyId.TopicAliasMaximum, 5)
            .Add(MqttPropertyId.RequestResponseInformation, 1).Add(MqttPropertyId.RequestProblemInformation, 0)
            .Add(MqttPropertyId.AuthenticationMethod, "SCRAM-SHA-1").Add(MqttPropertyId.AuthenticationData, [9, 9])
            .AddUserProperty("site", "Lyon").Build();
        var willProps = new MqttPropertiesBuilder().Add(MqttPropertyId.WillDelayInterval, 30).Add(MqttPropertyId.PayloadFormatIndicator, 1)
            .Add(MqttPropertyId.MessageExpiryInterval, 10).Add(MqttPropertyId.ContentType, "text/plain")
            .Add(MqttPropertyId.ResponseTopic, "r").Add(MqttPropertyId.CorrelationData, [7]).Build();
        var connect = new MqttConnectPacket
        {
            ProtocolVersion = v, CleanStart = true, KeepAlive = 30, ClientId = Utf8("press-12"), Properties = props,
            HasWill = true, WillQoS = MqttQualityOfService.AtLeastOnce, WillRetain = true, WillProperties = willProps,
            WillTopic = Utf8("plant/7/status"), WillPayload = Utf8("offline"),
            HasUserName = true, UserName = Utf8("operator"), HasPassword = true, Password = new ReadOnlySequence<byte>([0, 1, 2, 255]),
        };
        var bytes = Encode(o => MqttPacketWriter.WriteConnect(o, connect));
        var packet = DecodeEverySplit(() => new MqttPacketReader(), bytes, p => Encode(o => MqttPacketWriter.WriteConnect(o, p.AsConnect())));
        var c = packet.AsConnect();
        Assert.Equal(v, c.ProtocolVersion);
        Assert.Equal(v, packet.ProtocolVersion);
        Assert.Equal("press-12", Str(c.ClientId));
        Assert.Equal(30, c.KeepAlive);
        Assert.True(c.CleanStart && c.HasWill && c.WillRetain && c.HasUserName && c.HasPassword);
        Assert.Equal(MqttQualityOfService.AtLeastOnce, c.WillQoS);
        Assert.Equal("plant/7/status", Str(c.WillTopic));
        Assert.Equal("offline", Str(c.WillPayload));
        Assert.Equal("operator", Str(c.UserName));
        Assert.Equal(new byte[] { 0, 1, 2, 255 }, c.Password.ToArray());
        if (v == V5)
        {
            Assert.Equal(120u, c.Properties.GetNumber(MqttPropertyId.SessionExpiryInterval));
            Assert.Equal("SCRAM-SHA-1", c.Properties.GetString(MqttPropertyId.AuthenticationMethod));
            Assert.Equal(30u, c.WillProperties.GetNumber(MqttPropertyId.WillDelayInterval));
        }
        else
        {
            Assert.True(c.Properties.IsEmpty); // 3.1.1 has no properties: they are not written
        }
    }

    [Fact]
    public void Connect_3_1_1_matches_the_hand_encoded_bytes()
    {
        var bytes = Encode(o => MqttPacketWriter.WriteConnect(o, new MqttConnectPacket
        {
            ProtocolVersion = V3, CleanStart = true, KeepAlive = 10, ClientId = Utf8("a"),
        }));
        Assert.Equal(Hex("10 0D 0004 4D515454 04 02 000A 0001 61"), bytes);
    }

    [Fact]
    public void Connect_5_0_without_password_but_with_password_flag_is_allowed()
    {
        var bytes = Encode(o => MqttPacketWriter.WriteConnect(o, new MqttConnectPacket
        {
            ProtocolVersion = V5, ClientId = Utf8(""), HasPassword = true, Password = Utf8("token"),
        }));
        var c = ReadOne(new MqttPacketReader(), bytes).AsConnect();
        Assert.False(c.HasUserName);
        Assert.Equal("token", Str(c.Password));
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public void ConnAck_round_trips(MqttProtocolVersion v)
    {
        var props = new MqttPropertiesBuilder().Add(MqttPropertyId.SessionExpiryInterval, 1).Add(MqttPropertyId.ReceiveMaximum, 100)
            .Add(MqttPropertyId.MaximumQoS, 1).Add(MqttPropertyId.RetainAvailable, 1).Add(MqttPropertyId.MaximumPacketSize, 65536)
            .Add(MqttPropertyId.AssignedClientIdentifier, "auto-1").Add(MqttPropertyId.TopicAliasMaximum, 10)
            .Add(MqttPropertyId.ReasonString, "welcome").Add(MqttPropertyId.WildcardSubscriptionAvailable, 1)
            .Add(MqttPropertyId.SubscriptionIdentifierAvailable, 0).Add(MqttPropertyId.SharedSubscriptionAvailable, 1)
            .Add(MqttPropertyId.ServerKeepAlive, 20).Add(MqttPropertyId.ResponseInformation, "resp/")
            .Add(MqttPropertyId.ServerReference, "other:1883").AddUserProperty("k", "v").Build();
        var ack = new MqttConnAckPacket { SessionPresent = true, Properties = props };
        var bytes = Encode(o => MqttPacketWriter.WriteConnAck(o, v, ack));
        if (v == V3) Assert.Equal(Hex("20 02 01 00"), bytes);
        var packet = DecodeEverySplit(() => new MqttPacketReader(MqttDecoderOptions.ForClient(v)), bytes,
            p => Encode(o => MqttPacketWriter.WriteConnAck(o, v, p.AsConnAck())));
        var a = packet.AsConnAck();
        Assert.True(a.SessionPresent);
        Assert.Equal(MqttReasonCode.Success, a.ReasonCode);
        if (v == V5) Assert.Equal("auto-1", a.Properties.GetString(MqttPropertyId.AssignedClientIdentifier));
    }

    [Fact]
    public void ConnAck_3_1_1_return_codes_map_to_5_0_reason_codes()
    {
        var bytes = Encode(o => MqttPacketWriter.WriteConnAck(o, V3, new MqttConnAckPacket { ReturnCode = MqttConnectReturnCode.BadUserNameOrPassword }));
        Assert.Equal(Hex("20 02 00 04"), bytes);
        var a = ReadOne(new MqttPacketReader(MqttDecoderOptions.ForClient(V3)), bytes).AsConnAck();
        Assert.Equal(MqttConnectReturnCode.BadUserNameOrPassword, a.ReturnCode);
        Assert.Equal(MqttReasonCode.BadUserNameOrPassword, a.ReasonCode);
    }

    [Theory]
    [InlineData(MqttReasonCode.NotAuthorized, "20 02 00 05")]
    [InlineData(MqttReasonCode.ClientIdentifierNotValid, "20 02 00 02")]
    [InlineData(MqttReasonCode.QuotaExceeded, "20 02 00 03")]
    public void ConnAck_5_0_reason_codes_are_translated_when_writing_3_1_1(MqttReasonCode code, string hex)
        => Assert.Equal(Hex(hex), Encode(o => MqttPacketWriter.WriteConnAck(o, V3, new MqttConnAckPacket { ReasonCode = code })));

    [Theory]
    [InlineData(V3, MqttQualityOfService.AtMostOnce)]
    [InlineData(V3, MqttQualityOfService.AtLeastOnce)]
    [InlineData(V3, MqttQualityOfService.ExactlyOnce)]
    [InlineData(V5, MqttQualityOfService.AtMostOnce)]
    [InlineData(V5, MqttQualityOfService.AtLeastOnce)]
    [InlineData(V5, MqttQualityOfService.ExactlyOnce)]
    public void Publish_round_trips_in_both_directions(MqttProtocolVersion v, MqttQualityOfService qos)
    {
        var props = v == V5 ? FullPublishProperties(new MqttPropertiesBuilder()) : default;
        var publish = new MqttPublishPacket
        {
            QoS = qos, Duplicate = qos > 0, Retain = true, Topic = Utf8("plant/7/line/4/temperature"),
            PacketIdentifier = qos > 0 ? (ushort)4242 : (ushort)0, Properties = props, Payload = Utf8("{\"t\":21.5}"),
        };
        var bytes = Encode(o => MqttPacketWriter.WritePublish(o, v, publish));
        Assert.Equal(bytes.Length, MqttPacketWriter.GetPublishSize(v, publish));
        // Server to client: Subscription Identifiers are allowed; client to server they are not.
        var clientOptions = MqttDecoderOptions.ForClient(v) with { TopicAliasMaximum = 10 };
        var packet = DecodeEverySplit(() => ConnectedClient(v, clientOptions), bytes,
            p => Encode(o => MqttPacketWriter.WritePublish(o, v, p.AsPublish())));
        var m = packet.AsPublish();
        Assert.Equal(qos, m.QoS);
        Assert.Equal(qos > 0, m.Duplicate);
        Assert.True(m.Retain);
        Assert.Equal("plant/7/line/4/temperature", Str(m.Topic));
        Assert.Equal("{\"t\":21.5}", Str(m.Payload));
        Assert.Equal(qos > 0 ? 4242 : 0, m.PacketIdentifier);
        if (v == V5)
        {
            Assert.Equal(2, m.Properties.Count(MqttPropertyId.SubscriptionIdentifier));
            Assert.Equal(2, m.Properties.Count(MqttPropertyId.UserProperty));
            Assert.Equal("application/json", m.Properties.GetString(MqttPropertyId.ContentType));
        }
    }

    [Fact]
    public void Publish_payload_and_topic_are_slices_of_the_input_not_copies()
    {
        var bytes = Encode(o => MqttPacketWriter.WritePublish(o, V5, new MqttPublishPacket { Topic = Utf8("a/b"), Payload = Utf8("xyz") }));
        var reader = ConnectedServer(V5);
        var seq = new ReadOnlySequence<byte>(bytes);
        Assert.True(reader.TryReadPacket(ref seq, out var packet));
        var m = packet.AsPublish();
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(m.Payload.First, out var segment));
        Assert.Same(bytes, segment.Array);
    }

    [Fact]
    public void Publish_5_0_with_topic_alias_and_empty_topic_round_trips()
    {
        var props = new MqttPropertiesBuilder().Add(MqttPropertyId.TopicAlias, 2).Build();
        var publish = new MqttPublishPacket { Topic = ReadOnlySequence<byte>.Empty, Properties = props, Payload = Utf8("1") };
        var bytes = Encode(o => MqttPacketWriter.WritePublish(o, V5, publish));
        var m = ReadOne(ConnectedServer(V5, MqttDecoderOptions.Server with { TopicAliasMaximum = 2 }), bytes).AsPublish();
        Assert.True(m.Topic.IsEmpty);
        Assert.Equal(2u, m.Properties.GetNumber(MqttPropertyId.TopicAlias));
    }

    [Theory]
    [InlineData(V3, MqttPacketType.PubAck, MqttReasonCode.Success, "40 02 1234")]
    [InlineData(V3, MqttPacketType.PubRec, MqttReasonCode.Success, "50 02 1234")]
    [InlineData(V3, MqttPacketType.PubRel, MqttReasonCode.Success, "62 02 1234")]
    [InlineData(V3, MqttPacketType.PubComp, MqttReasonCode.Success, "70 02 1234")]
    [InlineData(V5, MqttPacketType.PubAck, MqttReasonCode.Success, "40 02 1234")]
    [InlineData(V5, MqttPacketType.PubAck, MqttReasonCode.NoMatchingSubscribers, "40 03 1234 10")]
    [InlineData(V5, MqttPacketType.PubRec, MqttReasonCode.QuotaExceeded, "50 03 1234 97")]
    [InlineData(V5, MqttPacketType.PubRel, MqttReasonCode.PacketIdentifierNotFound, "62 03 1234 92")]
    [InlineData(V5, MqttPacketType.PubComp, MqttReasonCode.Success, "70 02 1234")]
    public void Publish_responses_use_the_shortest_form(MqttProtocolVersion v, MqttPacketType type, MqttReasonCode code, string hex)
    {
        var bytes = Encode(o => MqttPacketWriter.WritePublishResponse(o, v, new MqttPublishResponsePacket { Type = type, PacketIdentifier = 0x1234, ReasonCode = code }));
        Assert.Equal(Hex(hex), bytes);
        var r = DecodeEverySplit(() => ConnectedServer(v), bytes, p => Encode(o => MqttPacketWriter.WritePublishResponse(o, v, p.AsPublishResponse()))).AsPublishResponse();
        Assert.Equal(type, r.Type);
        Assert.Equal(0x1234, r.PacketIdentifier);
        Assert.Equal(code, r.ReasonCode);
    }

    [Fact]
    public void Publish_response_5_0_with_properties_round_trips_and_accepts_reason_code_without_properties()
    {
        var props = new MqttPropertiesBuilder().Add(MqttPropertyId.ReasonString, "quota").AddUserProperty("a", "b").Build();
        var bytes = Encode(o => MqttPacketWriter.WritePublishResponse(o, V5, new MqttPublishResponsePacket { Type = MqttPacketType.PubAck, PacketIdentifier = 1, ReasonCode = MqttReasonCode.QuotaExceeded, Properties = props }));
        var r = DecodeEverySplit(() => ConnectedServer(V5), bytes, p => Encode(o => MqttPacketWriter.WritePublishResponse(o, V5, p.AsPublishResponse()))).AsPublishResponse();
        Assert.Equal("quota", r.Properties.GetString(MqttPropertyId.ReasonString));
        // Reason code present, Property Length 0 present: also legal.
        var explicitEmpty = ReadOne(ConnectedServer(V5), Hex("40 04 0001 00 00")).AsPublishResponse();
        Assert.Equal(MqttReasonCode.Success, explicitEmpty.ReasonCode);
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public void Subscribe_round_trips(MqttProtocolVersion v)
    {
        var props = v == V5 ? new MqttPropertiesBuilder().Add(MqttPropertyId.SubscriptionIdentifier, 99).AddUserProperty("x", "y").Build() : default;
        MqttSubscription[] subs = v == V5
            ? [new(Utf8("plant/+/temperature"), MqttQualityOfService.AtLeastOnce, noLocal: true, retainAsPublished: true, MqttRetainHandling.DoNotSend),
               new(Utf8("$share/grp/plant/#"), MqttQualityOfService.ExactlyOnce), new(Utf8("#"), MqttQualityOfService.AtMostOnce)]
            : [new(Utf8("plant/+/temperature"), MqttQualityOfService.AtLeastOnce), new(Utf8("#"), MqttQualityOfService.ExactlyOnce)];
        var bytes = Encode(o => MqttPacketWriter.WriteSubscribe(o, v, 10, props, subs));
        var packet = DecodeEverySplit(() => ConnectedServer(v), bytes, p =>
        {
            var s = p.AsSubscribe();
            return Encode(o => MqttPacketWriter.WriteSubscribe(o, v, s.PacketIdentifier, s.Properties, s.ToArray()));
        });
        var sub = packet.AsSubscribe();
        Assert.Equal(10, sub.PacketIdentifier);
        var decoded = sub.ToArray();
        Assert.Equal(subs.Length, decoded.Length);
        for (int i = 0; i < subs.Length; i++)
        {
            Assert.Equal(Str(subs[i].Filter), Str(decoded[i].Filter));
            Assert.Equal(subs[i].OptionsByte, decoded[i].OptionsByte);
        }
    }

    [Fact]
    public void Subscribe_3_1_1_matches_the_hand_encoded_bytes()
    {
        var bytes = Encode(o => MqttPacketWriter.WriteSubscribe(o, V3, 1, default, [new(Utf8("a/b"), MqttQualityOfService.AtLeastOnce)]));
        Assert.Equal(Hex("82 08 0001 0003 612F62 01"), bytes);
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public void SubAck_round_trips(MqttProtocolVersion v)
    {
        var props = v == V5 ? new MqttPropertiesBuilder().Add(MqttPropertyId.ReasonString, "partly").Build() : default;
        MqttReasonCode[] codes = v == V5
            ? [MqttReasonCode.GrantedQoS1, MqttReasonCode.Success, MqttReasonCode.TopicFilterInvalid, MqttReasonCode.SharedSubscriptionsNotSupported]
            : [MqttReasonCode.GrantedQoS1, MqttReasonCode.Success, MqttReasonCode.UnspecifiedError];
        var bytes = Encode(o => MqttPacketWriter.WriteSubAck(o, v, 10, props, codes));
        var packet = DecodeEverySplit(() => ConnectedClient(v), bytes, p =>
        {
            var s = p.AsSubAck();
            return Encode(o => MqttPacketWriter.WriteSubAck(o, v, s.PacketIdentifier, s.Properties, s.GetReasonCodes()));
        });
        Assert.Equal(codes, packet.AsSubAck().GetReasonCodes());
    }

    [Fact]
    public void SubAck_3_1_1_reduces_every_failure_to_0x80()
    {
        var bytes = Encode(o => MqttPacketWriter.WriteSubAck(o, V3, 1, default, [MqttReasonCode.NotAuthorized, MqttReasonCode.GrantedQoS2]));
        Assert.Equal(Hex("90 04 0001 80 02"), bytes);
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public void Unsubscribe_round_trips(MqttProtocolVersion v)
    {
        var props = v == V5 ? new MqttPropertiesBuilder().AddUserProperty("why", "shift end").Build() : default;
        ReadOnlySequence<byte>[] filters = [Utf8("plant/+/temperature"), Utf8("alarms/#")];
        var bytes = Encode(o => MqttPacketWriter.WriteUnsubscribe(o, v, 11, props, filters));
        var packet = DecodeEverySplit(() => ConnectedServer(v), bytes, p =>
        {
            var u = p.AsUnsubscribe();
            var fs = new List<ReadOnlySequence<byte>>();
            foreach (var f in u) fs.Add(f);
            return Encode(o => MqttPacketWriter.WriteUnsubscribe(o, v, u.PacketIdentifier, u.Properties, fs.ToArray()));
        });
        Assert.Equal(new[] { "plant/+/temperature", "alarms/#" }, packet.AsUnsubscribe().ToStrings());
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public void UnsubAck_round_trips(MqttProtocolVersion v)
    {
        MqttReasonCode[] codes = [MqttReasonCode.Success, MqttReasonCode.NoSubscriptionExisted];
        var bytes = Encode(o => MqttPacketWriter.WriteUnsubAck(o, v, 11, default, codes));
        if (v == V3) Assert.Equal(Hex("B0 02 000B"), bytes);
        var packet = DecodeEverySplit(() => ConnectedClient(v), bytes, p =>
        {
            var u = p.AsUnsubAck();
            return Encode(o => MqttPacketWriter.WriteUnsubAck(o, v, u.PacketIdentifier, u.Properties, u.GetReasonCodes()));
        });
        Assert.Equal(v == V5 ? codes : [], packet.AsUnsubAck().GetReasonCodes());
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public void Ping_request_and_response_are_two_bytes(MqttProtocolVersion v)
    {
        var req = Encode(MqttPacketWriter.WritePingReq);
        var resp = Encode(MqttPacketWriter.WritePingResp);
        Assert.Equal(Hex("C0 00"), req);
        Assert.Equal(Hex("D0 00"), resp);
        Assert.Equal(MqttPacketType.PingReq, ReadOne(ConnectedServer(v), req).Type);
        Assert.Equal(MqttPacketType.PingResp, ReadOne(ConnectedClient(v), resp).Type);
    }

    [Theory]
    [InlineData(V3, MqttReasonCode.Success, "E0 00")]
    [InlineData(V5, MqttReasonCode.Success, "E0 00")]
    [InlineData(V5, MqttReasonCode.DisconnectWithWillMessage, "E0 01 04")]
    public void Disconnect_uses_the_shortest_form(MqttProtocolVersion v, MqttReasonCode code, string hex)
    {
        var bytes = Encode(o => MqttPacketWriter.WriteDisconnect(o, v, new MqttDisconnectPacket { ReasonCode = code }));
        Assert.Equal(Hex(hex), bytes);
        Assert.Equal(code, ReadOne(ConnectedServer(v), bytes).AsDisconnect().ReasonCode);
    }

    [Fact]
    public void Disconnect_5_0_from_server_with_properties_round_trips()
    {
        var props = new MqttPropertiesBuilder().Add(MqttPropertyId.ReasonString, "maintenance").Add(MqttPropertyId.ServerReference, "b2:1883").Build();
        var bytes = Encode(o => MqttPacketWriter.WriteDisconnect(o, V5, new MqttDisconnectPacket { ReasonCode = MqttReasonCode.UseAnotherServer, Properties = props }));
        var d = DecodeEverySplit(() => ConnectedClient(V5), bytes, p => Encode(o => MqttPacketWriter.WriteDisconnect(o, V5, p.AsDisconnect()))).AsDisconnect();
        Assert.Equal(MqttReasonCode.UseAnotherServer, d.ReasonCode);
        Assert.Equal("b2:1883", d.Properties.GetString(MqttPropertyId.ServerReference));
    }

    [Fact]
    public void Auth_round_trips_on_5_0()
    {
        var props = new MqttPropertiesBuilder().Add(MqttPropertyId.AuthenticationMethod, "SCRAM-SHA-1").Add(MqttPropertyId.AuthenticationData, [1, 2]).Build();
        var bytes = Encode(o => MqttPacketWriter.WriteAuth(o, new MqttAuthPacket { ReasonCode = MqttReasonCode.ContinueAuthentication, Properties = props }));
        var connectProps = new MqttPropertiesBuilder().Add(MqttPropertyId.AuthenticationMethod, "SCRAM-SHA-1").Build();
        var a = DecodeEverySplit(() => ConnectedServer(V5, connectProperties: connectProps), bytes,
            p => Encode(o => MqttPacketWriter.WriteAuth(o, p.AsAuth()))).AsAuth();
        Assert.Equal(MqttReasonCode.ContinueAuthentication, a.ReasonCode);
        Assert.Equal("SCRAM-SHA-1", a.Properties.GetString(MqttPropertyId.AuthenticationMethod));
        // A client may receive AUTH before CONNACK.
        Assert.Equal(MqttPacketType.Auth, ReadOne(new MqttPacketReader(MqttDecoderOptions.ForClient(V5)), bytes).Type);
    }

    [Fact]
    public void Several_packets_in_one_buffer_are_read_one_after_another()
    {
        var reader = ConnectedServer(V5);
        var stream = Encode(MqttPacketWriter.WritePingReq)
            .Concat(Encode(o => MqttPacketWriter.WritePublish(o, V5, new MqttPublishPacket { Topic = Utf8("t"), Payload = Utf8("p") })))
            .Concat(Encode(o => MqttPacketWriter.WriteDisconnect(o, V5, default))).ToArray();
        var seq = new ReadOnlySequence<byte>(stream);
        var types = new List<MqttPacketType>();
        while (reader.TryReadPacket(ref seq, out var p)) types.Add(p.Type);
        Assert.Equal([MqttPacketType.PingReq, MqttPacketType.Publish, MqttPacketType.Disconnect], types);
    }
}
