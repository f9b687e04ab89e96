using System.Buffers;
using System.Text;
using Millrace.Mqtt.Codec;
using Millrace.Mqtt.Packets;

namespace Millrace.Mqtt.Tests;

/// <summary>Random valid packets of every type and version, with the reader side that accepts each.</summary>
internal static class FuzzCorpus
{
    /// <summary>Which reader a seed packet is meant for.</summary>
    public enum Side { NewServer, Server3, Server5, NewClient3, NewClient5, Client3, Client5 }

    public readonly record struct Seed(byte[] Bytes, Side Side);

    private static readonly string[] Levels = ["plant", "7", "line", "+", "#", "temp", "", "$SYS", "é", "a b", "\u00FF", "x"];

    public static List<Seed> Build(Random rng, int count)
    {
        var seeds = new List<Seed>(count);
        while (seeds.Count < count)
        {
            var v = rng.Next(2) == 0 ? MqttProtocolVersion.V311 : MqttProtocolVersion.V500;
            bool v5 = v == MqttProtocolVersion.V500;
            var server = v5 ? Side.Server5 : Side.Server3;
            var client = v5 ? Side.Client5 : Side.Client3;
            var props = v5 && rng.Next(2) == 0 ? RandomProperties(rng) : new MqttPropertiesBuilder();
            switch (rng.Next(12))
            {
                case 0:
                    seeds.Add(new(TestSupport.Encode(o => MqttPacketWriter.WriteConnect(o, new MqttConnectPacket
                    {
                        ProtocolVersion = v, CleanStart = rng.Next(2) == 0, KeepAlive = (ushort)rng.Next(65536), ClientId = Str(rng, 30),
                        Properties = v5 ? new MqttPropertiesBuilder().Add(MqttPropertyId.SessionExpiryInterval, (uint)rng.Next()).AddUserProperty("a", "b").Build() : default,
                        HasWill = true, WillQoS = (MqttQualityOfService)rng.Next(3), WillTopic = Name(rng), WillPayload = Bytes(rng, 40),
                        WillProperties = v5 ? new MqttPropertiesBuilder().Add(MqttPropertyId.WillDelayInterval, 5).Build() : default,
                        HasUserName = true, UserName = Str(rng, 10), HasPassword = true, Password = Bytes(rng, 10),
                    })), Side.NewServer));
                    break;
                case 1:
                    seeds.Add(new(TestSupport.Encode(o => MqttPacketWriter.WriteConnAck(o, v, new MqttConnAckPacket
                    {
                        SessionPresent = true,
                        Properties = v5 ? new MqttPropertiesBuilder().Add(MqttPropertyId.ReceiveMaximum, 10).Add(MqttPropertyId.AssignedClientIdentifier, "id").Build() : default,
                    })), v5 ? Side.NewClient5 : Side.NewClient3));
                    break;
                case 2:
                case 3:
                    var qos = (MqttQualityOfService)rng.Next(3);
                    bool toClient = rng.Next(2) == 0;
                    if (toClient && v5 && rng.Next(2) == 0) props.Add(MqttPropertyId.SubscriptionIdentifier, (uint)rng.Next(1, 1 << 20));
                    seeds.Add(new(TestSupport.Encode(o => MqttPacketWriter.WritePublish(o, v, new MqttPublishPacket
                    {
                        QoS = qos, Retain = rng.Next(2) == 0, Duplicate = qos > 0 && rng.Next(2) == 0, Topic = Name(rng),
                        PacketIdentifier = qos > 0 ? (ushort)rng.Next(1, 65536) : (ushort)0, Properties = props.Build(), Payload = Bytes(rng, 200),
                    })), toClient ? client : server));
                    break;
                case 4:
                    var type = (MqttPacketType)rng.Next(4, 8);
                    var code = v5 ? (type is MqttPacketType.PubRel or MqttPacketType.PubComp ? MqttReasonCode.PacketIdentifierNotFound : MqttReasonCode.QuotaExceeded) : MqttReasonCode.Success;
                    seeds.Add(new(TestSupport.Encode(o => MqttPacketWriter.WritePublishResponse(o, v, new MqttPublishResponsePacket
                    {
                        Type = type, PacketIdentifier = (ushort)rng.Next(1, 65536), ReasonCode = rng.Next(2) == 0 ? code : MqttReasonCode.Success,
                        Properties = v5 && rng.Next(2) == 0 ? new MqttPropertiesBuilder().Add(MqttPropertyId.ReasonString, "r").Build() : default,
                    })), rng.Next(2) == 0 ? server : client));
                    break;
                case 5:
                    var subs = Enumerable.Range(0, rng.Next(1, 4)).Select(_ => new MqttSubscription(Filter(rng, v5), (MqttQualityOfService)rng.Next(3),
                        retainAsPublished: v5 && rng.Next(2) == 0, retainHandling: v5 ? (MqttRetainHandling)rng.Next(3) : 0)).ToArray();
                    var subProps = v5 && rng.Next(2) == 0 ? new MqttPropertiesBuilder().Add(MqttPropertyId.SubscriptionIdentifier, 3).Build() : default;
                    seeds.Add(new(TestSupport.Encode(o => MqttPacketWriter.WriteSubscribe(o, v, (ushort)rng.Next(1, 65536), subProps, subs)), server));
                    break;
                case 6:
                    MqttReasonCode[] codes = [MqttReasonCode.GrantedQoS1, MqttReasonCode.Success, MqttReasonCode.UnspecifiedError];
                    seeds.Add(new(TestSupport.Encode(o => MqttPacketWriter.WriteSubAck(o, v, (ushort)rng.Next(1, 65536), default, codes.AsSpan(0, rng.Next(1, 4)))), client));
                    break;
                case 7:
                    var filters = Enumerable.Range(0, rng.Next(1, 4)).Select(_ => Filter(rng, v5)).ToArray();
                    seeds.Add(new(TestSupport.Encode(o => MqttPacketWriter.WriteUnsubscribe(o, v, (ushort)rng.Next(1, 65536), default, filters)), server));
                    break;
                case 8:
                    seeds.Add(new(TestSupport.Encode(o => MqttPacketWriter.WriteUnsubAck(o, v, (ushort)rng.Next(1, 65536), default, [MqttReasonCode.Success, MqttReasonCode.NoSubscriptionExisted])), client));
                    break;
                case 9:
                    seeds.Add(rng.Next(2) == 0 ? new(TestSupport.Encode(MqttPacketWriter.WritePingReq), server) : new(TestSupport.Encode(MqttPacketWriter.WritePingResp), client));
                    break;
                case 10:
                    var reason = v5 && rng.Next(2) == 0 ? MqttReasonCode.ServerShuttingDown : MqttReasonCode.Success;
                    var dprops = v5 && rng.Next(2) == 0 ? new MqttPropertiesBuilder().Add(MqttPropertyId.ReasonString, "bye").Build() : default;
                    seeds.Add(new(TestSupport.Encode(o => MqttPacketWriter.WriteDisconnect(o, v, new MqttDisconnectPacket { ReasonCode = reason, Properties = dprops })), v5 ? client : server));
                    break;
                case 11 when v5:
                    seeds.Add(new(TestSupport.Encode(o => MqttPacketWriter.WriteAuth(o, new MqttAuthPacket
                    {
                        ReasonCode = MqttReasonCode.ContinueAuthentication,
                        Properties = new MqttPropertiesBuilder().Add(MqttPropertyId.AuthenticationMethod, "SCRAM").Add(MqttPropertyId.AuthenticationData, [1, 2, 3]).Build(),
                    })), Side.NewClient5));
                    break;
            }
        }
        return seeds;
    }

    private static MqttPropertiesBuilder RandomProperties(Random rng)
    {
        var b = new MqttPropertiesBuilder();
        if (rng.Next(2) == 0) b.Add(MqttPropertyId.PayloadFormatIndicator, 0);
        if (rng.Next(2) == 0) b.Add(MqttPropertyId.MessageExpiryInterval, (uint)rng.Next());
        if (rng.Next(2) == 0) b.Add(MqttPropertyId.ContentType, "text/plain");
        if (rng.Next(2) == 0) b.Add(MqttPropertyId.CorrelationData, [9, 8, 7]);
        for (int i = rng.Next(3); i > 0; i--) b.AddUserProperty("k" + i, "v");
        return b;
    }

    private static ReadOnlySequence<byte> Bytes(Random rng, int max)
    {
        var b = new byte[rng.Next(max + 1)];
        rng.NextBytes(b);
        return new ReadOnlySequence<byte>(b);
    }

    private static ReadOnlySequence<byte> Str(Random rng, int max)
    {
        var chars = new char[rng.Next(max + 1)];
        for (int i = 0; i < chars.Length; i++) chars[i] = (char)rng.Next('!', '~');
        return new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(chars));
    }

    private static ReadOnlySequence<byte> Name(Random rng)
    {
        var parts = Enumerable.Range(0, rng.Next(1, 5)).Select(_ => Levels[rng.Next(Levels.Length)].Replace("+", "p").Replace("#", "h"));
        var s = string.Join('/', parts);
        return TestSupport.Utf8(s.Length == 0 ? "t" : s);
    }

    private static ReadOnlySequence<byte> Filter(Random rng, bool v5)
    {
        var parts = Enumerable.Range(0, rng.Next(1, 5)).Select(_ => Levels[rng.Next(Levels.Length)] == "#" ? "+" : Levels[rng.Next(Levels.Length)].Replace("#", "+")).ToList();
        if (rng.Next(3) == 0) parts.Add("#");
        var s = string.Join('/', parts.Select(p => p.Contains('+') ? "+" : p));
        if (v5 && rng.Next(4) == 0) s = "$share/g" + rng.Next(3) + "/" + s;
        return TestSupport.Utf8(s.Length == 0 ? "f" : s);
    }
}
