using System.Buffers;
using Millrace.Mqtt.Codec;
using static Millrace.Mqtt.Tests.TestSupport;

namespace Millrace.Mqtt.Tests;

/// <summary>How the reader behaves on partial input, as it gets it from a pipe.</summary>
public class FramingTests
{
    [Fact]
    public void An_empty_buffer_is_incomplete()
    {
        var seq = ReadOnlySequence<byte>.Empty;
        Assert.False(new MqttPacketReader().TryReadPacket(ref seq, out _));
    }

    [Fact]
    public void Every_proper_prefix_of_a_packet_is_incomplete_and_leaves_the_buffer_untouched()
    {
        var bytes = Encode(o => MqttPacketWriter.WritePublish(o, MqttProtocolVersion.V500, new Packets.MqttPublishPacket
        {
            QoS = MqttQualityOfService.AtLeastOnce, PacketIdentifier = 1, Topic = Utf8("a/b"), Payload = new ReadOnlySequence<byte>(new byte[300]),
        }));
        var reader = ConnectedServer(MqttProtocolVersion.V500);
        for (int n = 0; n < bytes.Length; n++)
        {
            var seq = Split(bytes.AsSpan(0, n).ToArray(), n / 2);
            var before = seq;
            Assert.False(reader.TryReadPacket(ref seq, out _));
            Assert.Equal(before.Length, seq.Length);
        }
        var whole = new ReadOnlySequence<byte>(bytes);
        Assert.True(reader.TryReadPacket(ref whole, out var packet));
        Assert.Equal(300, packet.AsPublish().Payload.Length);
    }

    [Fact]
    public void The_reader_stops_at_the_packet_end_and_leaves_the_next_packet_in_the_buffer()
    {
        var reader = ConnectedServer(MqttProtocolVersion.V311);
        var seq = new ReadOnlySequence<byte>(Hex("C0 00 C0"));
        Assert.True(reader.TryReadPacket(ref seq, out _));
        Assert.Equal(1, seq.Length);
        Assert.False(reader.TryReadPacket(ref seq, out _));
    }

    [Fact]
    public void The_server_reader_learns_the_version_from_CONNECT()
    {
        var reader = new MqttPacketReader();
        Assert.Equal(MqttProtocolVersion.Unknown, reader.ProtocolVersion);
        ReadOne(reader, ConnectBytes(MqttProtocolVersion.V311));
        Assert.Equal(MqttProtocolVersion.V311, reader.ProtocolVersion);
    }

    [Fact]
    public void A_client_reader_needs_the_version_it_sent()
        => Assert.Throws<ArgumentException>(() => new MqttPacketReader(new MqttDecoderOptions { Role = MqttRole.Client }));

    [Fact]
    public void Asking_a_packet_for_the_wrong_type_is_an_error()
    {
        var packet = ReadOne(ConnectedServer(MqttProtocolVersion.V500), Hex("C0 00"));
        Assert.Throws<InvalidOperationException>(() => packet.AsPublish());
        Assert.Throws<InvalidOperationException>(() => packet.AsConnect());
    }
}
