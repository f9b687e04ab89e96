using System.Buffers;
using Millrace.Mqtt.Codec;
using static Millrace.Mqtt.Tests.TestSupport;

namespace Millrace.Mqtt.Tests;

/// <summary>Each rule a received packet can break, with the reason code the 5.0 specification prescribes for it.</summary>
public class MalformedPacketTests
{
    public enum Side
    {
        /// <summary>Server reader before CONNECT.</summary>
        NewServer,
        /// <summary>Server reader after a 3.1.1 CONNECT.</summary>
        Server3,
        /// <summary>Server reader after a 5.0 CONNECT (without Session Expiry or Authentication Method).</summary>
        Server5,
        /// <summary>Client reader (3.1.1) before CONNACK.</summary>
        NewClient3,
        /// <summary>Client reader (5.0) before CONNACK.</summary>
        NewClient5,
        /// <summary>Client reader (3.1.1) after CONNACK.</summary>
        Client3,
        /// <summary>Client reader (5.0) after CONNACK.</summary>
        Client5,
    }

    private static MqttPacketReader Reader(Side side) => side switch
    {
        Side.NewServer => new MqttPacketReader(),
        Side.Server3 => ConnectedServer(MqttProtocolVersion.V311),
        Side.Server5 => ConnectedServer(MqttProtocolVersion.V500),
        Side.NewClient3 => new MqttPacketReader(MqttDecoderOptions.ForClient(MqttProtocolVersion.V311)),
        Side.NewClient5 => new MqttPacketReader(MqttDecoderOptions.ForClient(MqttProtocolVersion.V500)),
        Side.Client3 => ConnectedClient(MqttProtocolVersion.V311),
        _ => ConnectedClient(MqttProtocolVersion.V500),
    };

    [Theory]
    // Fixed header
    [InlineData("reserved packet type 0", Side.Server5, "00 00", 0x81, null)]
    [InlineData("PUBREL flags must be 0010", Side.Server5, "60 02 0001", 0x81, "MQTT-2.1.3-1")]
    [InlineData("PUBREL flags must be 0010 (3.1.1)", Side.Server3, "60 02 0001", 0x81, "MQTT-2.2.2-1")]
    [InlineData("PINGREQ flags must be 0", Side.Server5, "C1 00", 0x81, "MQTT-2.1.3-1")]
    [InlineData("PINGREQ has no body", Side.Server5, "C0 01 00", 0x81, null)]
    [InlineData("Remaining Length over four bytes", Side.Server5, "30 FF FF FF FF 7F", 0x81, "MQTT-1.5.5-1")]
    [InlineData("Remaining Length not minimal (5.0)", Side.Server5, "C0 80 00", 0x81, "MQTT-1.5.5-1")]
    [InlineData("AUTH does not exist in 3.1.1", Side.Server3, "F0 00", 0x81, null)]
    // CONNECT
    [InlineData("5.0 CONNECT with a non-minimal Remaining Length", Side.NewServer, "10 8E 00 0004 4D515454 05 02 003C 00 0001 61", 0x81, "MQTT-1.5.5-1")]
    [InlineData("wrong Protocol Name", Side.NewServer, "10 0E 0004 4D515458 05 02 003C 00 0001 61", 0x84, "MQTT-3.1.2-1")]
    [InlineData("unsupported Protocol Level", Side.NewServer, "10 0E 0004 4D515454 06 02 003C 00 0001 61", 0x84, "MQTT-3.1.2-2")]
    [InlineData("reserved Connect Flag set", Side.NewServer, "10 0E 0004 4D515454 05 03 003C 00 0001 61", 0x81, "MQTT-3.1.2-3")]
    [InlineData("Will QoS without Will Flag", Side.NewServer, "10 0E 0004 4D515454 05 0A 003C 00 0001 61", 0x81, "MQTT-3.1.2-11")]
    [InlineData("Will QoS 3", Side.NewServer, "10 0E 0004 4D515454 05 1E 003C 00 0001 61", 0x81, "MQTT-3.1.2-12")]
    [InlineData("Will Retain without Will Flag", Side.NewServer, "10 0E 0004 4D515454 05 22 003C 00 0001 61", 0x81, "MQTT-3.1.2-13")]
    [InlineData("3.1.1 Password without User Name", Side.NewServer, "10 0D 0004 4D515454 04 42 003C 0001 61", 0x81, "MQTT-3.1.2-22")]
    [InlineData("bytes after the last CONNECT field", Side.NewServer, "10 0F 0004 4D515454 05 02 003C 00 0001 61 FF", 0x81, null)]
    [InlineData("Will Topic with a wildcard", Side.NewServer, "10 14 0004 4D515454 05 06 003C 00 0001 61 00 0001 23 0000", 0x90, null)]
    [InlineData("Authentication Data without Method", Side.NewServer, "10 11 0004 4D515454 05 02 003C 03 160000 0001 61", 0x82, null)]
    [InlineData("Receive Maximum 0", Side.NewServer, "10 11 0004 4D515454 05 02 003C 03 210000 0001 61", 0x82, null)]
    [InlineData("Maximum Packet Size 0", Side.NewServer, "10 13 0004 4D515454 05 02 003C 05 2700000000 0001 61", 0x82, null)]
    [InlineData("Request Problem Information 2", Side.NewServer, "10 10 0004 4D515454 05 02 003C 02 1702 0001 61", 0x82, null)]
    [InlineData("first packet not CONNECT", Side.NewServer, "C0 00", 0x82, "MQTT-3.1.0-1")]
    [InlineData("second CONNECT", Side.Server5, "10 0E 0004 4D515454 05 02 003C 00 0001 61", 0x82, "MQTT-3.1.0-2")]
    [InlineData("client sends CONNACK", Side.Server5, "20 03 00 00 00", 0x82, null)]
    // PUBLISH
    [InlineData("QoS 3", Side.Server5, "36 06 0001 61 0001 00", 0x81, "MQTT-3.3.1-4")]
    [InlineData("QoS 3 (3.1.1)", Side.Server3, "36 05 0001 61 0001", 0x81, "MQTT-3.3.1-4")]
    [InlineData("DUP with QoS 0", Side.Server5, "38 04 0001 61 00", 0x81, "MQTT-3.3.1-2")]
    [InlineData("'+' in Topic Name", Side.Server5, "30 04 0001 2B 00", 0x81, "MQTT-3.3.2-2")]
    [InlineData("'#' in Topic Name (3.1.1)", Side.Server3, "30 03 0001 23", 0x81, "MQTT-3.3.2-2")]
    [InlineData("Packet Identifier 0 with QoS 1", Side.Server5, "32 06 0001 61 0000 00", 0x82, "MQTT-2.2.1-3")]
    [InlineData("Packet Identifier 0 with QoS 1 (3.1.1)", Side.Server3, "32 05 0001 61 0000", 0x82, "MQTT-2.3.1-1")]
    [InlineData("U+0000 in Topic Name", Side.Server5, "30 05 0002 6100 00", 0x81, "MQTT-1.5.4-2")]
    [InlineData("U+0000 in Topic Name (3.1.1)", Side.Server3, "30 04 0002 6100", 0x81, "MQTT-1.5.3-2")]
    [InlineData("encoded surrogate in Topic Name", Side.Server5, "30 06 0003 EDA080 00", 0x81, "MQTT-1.5.4-1")]
    [InlineData("ill-formed UTF-8 in Topic Name (3.1.1)", Side.Server3, "30 03 0001 FF", 0x81, "MQTT-1.5.3-1")]
    [InlineData("string longer than the packet", Side.Server5, "30 04 0005 61 00", 0x81, null)]
    [InlineData("empty Topic Name without Topic Alias", Side.Server5, "30 03 0000 00", 0x82, null)]
    [InlineData("empty Topic Name (3.1.1)", Side.Server3, "30 02 0000", 0x81, "MQTT-4.7.3-1")]
    [InlineData("Subscription Identifier from a client", Side.Server5, "30 06 0001 61 02 0B 01", 0x82, "MQTT-3.3.4-6")]
    [InlineData("Topic Alias 0", Side.Server5, "30 07 0001 61 03 23 0000", 0x94, "MQTT-3.3.2-8")]
    [InlineData("Topic Alias above the maximum", Side.Server5, "30 07 0001 61 03 23 0001", 0x94, "MQTT-3.3.2-9")]
    [InlineData("Topic Alias above the client's maximum", Side.Client5, "30 07 0001 61 03 23 0001", 0x94, "MQTT-3.3.2-11")]
    [InlineData("payload not UTF-8 though Payload Format Indicator is 1", Side.Server5, "30 07 0001 61 02 01 01 FF", 0x99, null)]
    [InlineData("Payload Format Indicator 2", Side.Server5, "30 06 0001 61 02 01 02", 0x82, null)]
    [InlineData("unknown property identifier", Side.Server5, "30 06 0001 61 02 05 00", 0x81, null)]
    [InlineData("property not allowed in PUBLISH", Side.Server5, "30 09 0001 61 05 11 00000000", 0x81, null)]
    [InlineData("property repeated", Side.Server5, "30 0E 0001 61 0A 02 00000001 02 00000001", 0x82, null)]
    [InlineData("Property Length past the end", Side.Server5, "30 04 0001 61 05", 0x81, null)]
    [InlineData("property value cut short", Side.Server5, "30 06 0001 61 02 02 00", 0x81, null)]
    [InlineData("Property Length not minimal", Side.Server5, "30 05 0001 61 80 00", 0x81, "MQTT-1.5.5-1")]
    [InlineData("Response Topic with a wildcard", Side.Server5, "30 08 0001 61 04 08 0001 23", 0x82, "MQTT-3.3.2-14")]
    [InlineData("User Property not UTF-8", Side.Server5, "30 0A 0001 61 06 26 0001 FF 0000", 0x81, "MQTT-1.5.4-1")]
    // PUBACK family
    [InlineData("PUBACK Packet Identifier 0", Side.Server5, "40 02 0000", 0x82, null)]
    [InlineData("PUBACK reason code not defined for PUBACK", Side.Server5, "40 03 0001 01", 0x82, "MQTT-3.4.2-1")]
    [InlineData("PUBCOMP reason code not defined for PUBCOMP", Side.Server5, "70 03 0001 10", 0x82, "MQTT-3.7.2-1")]
    [InlineData("3.1.1 PUBACK longer than 2", Side.Server3, "40 03 0001 00", 0x81, null)]
    [InlineData("Session Expiry Interval not allowed in PUBACK", Side.Server5, "40 09 0001 00 05 11 00000000", 0x81, null)]
    // SUBSCRIBE / UNSUBSCRIBE
    [InlineData("SUBSCRIBE flags must be 0010", Side.Server5, "80 07 0001 00 0001 61 00", 0x81, "MQTT-2.1.3-1")]
    [InlineData("SUBSCRIBE without Topic Filter", Side.Server5, "82 03 0001 00", 0x82, "MQTT-3.8.3-2")]
    [InlineData("SUBSCRIBE without Topic Filter (3.1.1)", Side.Server3, "82 02 0001", 0x82, "MQTT-3.8.3-3")]
    [InlineData("SUBSCRIBE QoS 3", Side.Server5, "82 07 0001 00 0001 61 03", 0x81, null)]
    [InlineData("SUBSCRIBE reserved option bits (5.0)", Side.Server5, "82 07 0001 00 0001 61 40", 0x81, "MQTT-3.8.3-5")]
    [InlineData("SUBSCRIBE Retain Handling 3", Side.Server5, "82 07 0001 00 0001 61 30", 0x81, null)]
    [InlineData("SUBSCRIBE reserved option bits (3.1.1)", Side.Server3, "82 06 0001 0001 61 04", 0x81, "MQTT-3.8.3-4")]
    [InlineData("SUBSCRIBE '#' not alone in its level", Side.Server5, "82 08 0001 00 0002 6123 00", 0x81, "MQTT-4.7.1-1")]
    [InlineData("SUBSCRIBE '+' not alone in its level (3.1.1)", Side.Server3, "82 07 0001 0002 2B61 00", 0x81, "MQTT-4.7.1-3")]
    [InlineData("SUBSCRIBE empty Topic Filter", Side.Server5, "82 06 0001 00 0000 00", 0x81, "MQTT-4.7.3-1")]
    [InlineData("No Local on a Shared Subscription", Side.Server5, "82 10 0001 00 000A 2473686172652F672F61 04", 0x82, "MQTT-3.8.3-4")]
    [InlineData("Shared Subscription without ShareName", Side.Server5, "82 0F 0001 00 0009 2473686172652F2F61 00", 0x81, "MQTT-4.8.2-1")]
    [InlineData("Subscription Identifier repeated in SUBSCRIBE", Side.Server5, "82 0B 0001 04 0B01 0B02 0001 61 00", 0x82, null)]
    [InlineData("Subscription Identifier 0", Side.Server5, "82 09 0001 02 0B00 0001 61 00", 0x82, null)]
    [InlineData("SUBSCRIBE Packet Identifier 0", Side.Server5, "82 07 0000 00 0001 61 00", 0x82, null)]
    [InlineData("UNSUBSCRIBE flags must be 0010", Side.Server3, "A0 05 0001 0001 61", 0x81, "MQTT-2.2.2-1")]
    [InlineData("DISCONNECT flags must be 0", Side.Server5, "E1 00", 0x81, "MQTT-2.1.3-1")]
    [InlineData("AUTH flags must be 0", Side.Server5, "F1 00", 0x81, "MQTT-2.1.3-1")]
    [InlineData("UNSUBSCRIBE without Topic Filter", Side.Server5, "A2 03 0001 00", 0x82, "MQTT-3.10.3-2")]
    [InlineData("UNSUBSCRIBE with a Subscription Identifier", Side.Server5, "A2 08 0001 02 0B01 0001 61", 0x81, null)]
    // Server to client
    [InlineData("first packet from server not CONNACK", Side.NewClient5, "30 04 0001 61 00", 0x82, "MQTT-3.2.0-1")]
    [InlineData("second CONNACK", Side.Client5, "20 03 00 00 00", 0x82, "MQTT-3.2.0-2")]
    [InlineData("CONNACK reserved flag bits", Side.NewClient5, "20 03 02 00 00", 0x81, "MQTT-3.2.2-1")]
    [InlineData("CONNACK Session Present with a failure", Side.NewClient5, "20 03 01 87 00", 0x82, "MQTT-3.2.2-6")]
    [InlineData("CONNACK Session Present with a failure (3.1.1)", Side.NewClient3, "20 02 01 05", 0x82, "MQTT-3.2.2-4")]
    [InlineData("3.1.1 CONNACK reserved return code", Side.NewClient3, "20 02 00 06", 0x81, null)]
    [InlineData("CONNACK reason code not defined for CONNACK", Side.NewClient5, "20 03 00 01 00", 0x82, "MQTT-3.2.2-8")]
    [InlineData("server sends SUBSCRIBE", Side.Client5, "82 07 0001 00 0001 61 00", 0x82, null)]
    [InlineData("3.1.1 server sends DISCONNECT", Side.Client3, "E0 00", 0x82, null)]
    [InlineData("server sends Session Expiry in DISCONNECT", Side.Client5, "E0 07 00 05 11 00000001", 0x82, "MQTT-3.14.2-2")]
    [InlineData("SUBACK without reason codes", Side.Client5, "90 03 0001 00", 0x82, null)]
    [InlineData("3.1.1 SUBACK reserved return code", Side.Client3, "90 03 0001 03", 0x81, "MQTT-3.9.3-2")]
    [InlineData("3.1.1 UNSUBACK longer than 2", Side.Client3, "B0 03 000B 00", 0x81, null)]
    [InlineData("UNSUBACK without reason codes", Side.Client5, "B0 03 000B 00", 0x82, null)]
    // DISCONNECT / AUTH
    [InlineData("DISCONNECT sets Session Expiry though CONNECT's was 0", Side.Server5, "E0 07 00 05 11 00000001", 0x82, null)]
    [InlineData("DISCONNECT reason code not defined for DISCONNECT", Side.Server5, "E0 01 11", 0x82, null)]
    [InlineData("3.1.1 DISCONNECT with a body", Side.Server3, "E0 01 00", 0x81, null)]
    [InlineData("AUTH although CONNECT had no Authentication Method", Side.Server5, "F0 07 18 05 15 0002 4142", 0x82, "MQTT-4.12.0-7")]
    [InlineData("AUTH without Authentication Method", Side.NewClient5, "F0 02 18 00", 0x82, null)]
    [InlineData("AUTH reason code not defined for AUTH", Side.NewClient5, "F0 07 87 05 15 0002 4142", 0x82, "MQTT-3.15.2-1")]
    public void Rejects_with_the_prescribed_reason_code(string rule, Side side, string hex, int reasonCode, string? ruleId)
    {
        var reader = Reader(side);
        var e = Rejects(reader, Hex(hex));
        Assert.True((MqttReasonCode)reasonCode == e.ReasonCode, $"{rule}: expected 0x{reasonCode:X2}, got {e.ReasonCode} ({e.Message})");
        if (ruleId is not null) Assert.Equal(ruleId, e.Rule);
        Assert.Contains(e.Rule, e.Message);
        // Also when the same bytes arrive split in pieces.
        var again = Reader(side);
        var bytes = Hex(hex);
        var seq = Split(bytes, 1, 3, bytes.Length - 1);
        var e2 = Assert.Throws<MqttProtocolException>(() => again.TryReadPacket(ref seq, out _));
        Assert.Equal(e.ReasonCode, e2.ReasonCode);
    }

    [Fact]
    public void AUTH_must_repeat_the_Authentication_Method_of_CONNECT()
    {
        var method = new MqttPropertiesBuilder().Add(MqttPropertyId.AuthenticationMethod, "AB").Build();
        Assert.Equal(MqttPacketType.Auth, ReadOne(ConnectedServer(MqttProtocolVersion.V500, connectProperties: method), Hex("F0 07 18 05 15 0002 4142")).Type);
        var e = Rejects(ConnectedServer(MqttProtocolVersion.V500, connectProperties: method), Hex("F0 07 18 05 15 0002 4143"));
        Assert.Equal(MqttReasonCode.ProtocolError, e.ReasonCode);
        Assert.Equal("MQTT-4.12.0-5", e.Rule);
    }

    [Fact]
    public void A_3_1_1_connection_tolerates_a_non_minimal_Remaining_Length()
    {
        // 3.1.1 has no minimal-encoding rule for the Remaining Length; 5.0 does [MQTT-1.5.5-1].
        Assert.Equal(MqttPacketType.PingReq, ReadOne(ConnectedServer(MqttProtocolVersion.V311), Hex("C0 80 00")).Type);
    }

    [Fact]
    public void A_packet_over_the_maximum_size_is_rejected_from_its_fixed_header_alone()
    {
        var reader = ConnectedServer(MqttProtocolVersion.V500, MqttDecoderOptions.Server with { MaximumPacketSize = 1024 });
        // Only the fixed header of a 2 MiB PUBLISH has arrived: no need to buffer it to refuse it.
        var e = Rejects(reader, Hex("30 80 80 80 01"));
        Assert.Equal(MqttReasonCode.PacketTooLarge, e.ReasonCode);
    }

    [Fact]
    public void A_packet_of_exactly_the_maximum_size_is_accepted()
    {
        var options = MqttDecoderOptions.ForClient(MqttProtocolVersion.V500);
        var reader = ConnectedClient(MqttProtocolVersion.V500, options with { MaximumPacketSize = 7 });
        Assert.Equal(7, ReadOne(reader, Hex("30 05 0001 61 00 58")).Size);
        var e = Rejects(ConnectedClient(MqttProtocolVersion.V500, options with { MaximumPacketSize = 6 }), Hex("30 05 0001 61 00 58"));
        Assert.Equal(MqttReasonCode.PacketTooLarge, e.ReasonCode);
    }

    [Fact]
    public void Control_characters_are_rejected_when_the_option_asks_for_it()
    {
        var bytes = Hex("30 05 0002 6101 00");
        Assert.Equal(MqttPacketType.Publish, ReadOne(ConnectedServer(MqttProtocolVersion.V500), bytes).Type);
        var strict = ConnectedServer(MqttProtocolVersion.V500, MqttDecoderOptions.Server with { RejectControlCharacters = true });
        Assert.Equal(MqttReasonCode.MalformedPacket, Rejects(strict, bytes).ReasonCode);
    }

    [Fact]
    public void Payload_format_validation_can_be_turned_off()
    {
        var reader = ConnectedServer(MqttProtocolVersion.V500, MqttDecoderOptions.Server with { ValidatePayloadFormat = false });
        Assert.Equal(MqttPacketType.Publish, ReadOne(reader, Hex("30 07 0001 61 02 01 01 FF")).Type);
    }

    [Fact]
    public void A_faulted_reader_keeps_failing_and_reports_the_version_in_effect()
    {
        var reader = ConnectedServer(MqttProtocolVersion.V500);
        var e = Rejects(reader, Hex("36 06 0001 61 0001 00"));
        Assert.Equal(MqttProtocolVersion.V500, e.ProtocolVersion);
        var seq = new ReadOnlySequence<byte>(Hex("C0 00"));
        Assert.Same(e, Assert.Throws<MqttProtocolException>(() => reader.TryReadPacket(ref seq, out _)));
    }

    [Fact]
    public void An_unsupported_version_is_reported_before_any_version_is_known()
    {
        var e = Rejects(new MqttPacketReader(), Hex("10 0C 0006 4D5149736470 03 02 003C"));
        Assert.Equal(MqttReasonCode.UnsupportedProtocolVersion, e.ReasonCode);
        Assert.Equal(MqttProtocolVersion.Unknown, e.ProtocolVersion);
    }
}
