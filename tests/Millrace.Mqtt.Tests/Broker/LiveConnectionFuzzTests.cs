using System.Net.Sockets;
using Millrace.Mqtt.Broker;
using Millrace.Mqtt.Codec;
using Millrace.Mqtt.Packets;
using Xunit.Abstractions;
using static Millrace.Mqtt.Tests.Broker.RawMqttClient;

namespace Millrace.Mqtt.Tests.Broker;

/// <summary>
/// Random and mutated packet bytes into live broker connections: many short connections, each a valid CONNECT (or
/// not) followed by a mix of valid packets, bit-flipped ones and noise. The broker must stay up, keep its memory
/// bounded, and serve a well-behaved client afterwards. Seeded (MILLRACE_MQTT_FUZZ_SEED), bounded in count and time.
/// </summary>
public sealed class LiveConnectionFuzzTests(ITestOutputHelper output)
{
    private const int Connections = 5000;

    [Fact]
    public async Task Random_and_mutated_packets_on_live_connections_never_take_the_broker_down()
    {
        int seed = int.TryParse(Environment.GetEnvironmentVariable("MILLRACE_MQTT_FUZZ_SEED"), out var s) ? s : 20261122;
        output.WriteLine($"seed {seed}");
        var random = new Random(seed);
        var errors = new List<string>();
        await using var broker = await TestBroker.StartAsync(new MqttBrokerOptions { MaximumPacketSize = 64 * 1024, ConnectTimeout = TimeSpan.FromSeconds(2) });
        broker.Error += errors.Add;
        var samples = BuildSamples(random);
        GC.Collect();
        long heapBefore = GC.GetTotalMemory(true);
        var deadline = DateTime.UtcNow.AddSeconds(90);
        int done = 0, bytesSent = 0;

        // Eight clients at a time, each connection short: a few packets then close (or abandon half-way).
        await Parallel.ForEachAsync(Enumerable.Range(0, Connections), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            if (DateTime.UtcNow > deadline) return;
            byte[] input;
            lock (random) input = Mutate(random, samples, i);
            using var tcp = new TcpClient();
            try
            {
                await tcp.ConnectAsync(broker.Endpoint!);
                var stream = tcp.GetStream();
                await stream.WriteAsync(input);
                Interlocked.Add(ref bytesSent, input.Length);
                // Read whatever comes back for a moment (bounded), then leave.
                var sink = new byte[4096];
                using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(20));
                try { while (await stream.ReadAsync(sink, cts.Token) > 0) { } } catch (OperationCanceledException) { }
            }
            catch (Exception e) when (e is IOException or SocketException)
            {
                // the broker closed on us: expected for bad input
            }
            Interlocked.Increment(ref done);
        });
        output.WriteLine($"{done} connections, {bytesSent:N0} bytes sent");
        Assert.True(done > 100, $"only {done} connections ran before the deadline");

        await TestBroker.EventuallyAsync(() => broker.ConnectionCount == 0, "every fuzz connection ended");
        GC.Collect();
        GC.WaitForPendingFinalizers();
        long heapAfter = GC.GetTotalMemory(true);
        output.WriteLine($"managed heap {heapBefore / 1e6:F2} MB before, {heapAfter / 1e6:F2} MB after; sessions {broker.SessionCount}, retained {broker.RetainedCount}");
        Assert.True(heapAfter - heapBefore < 64 << 20, $"heap grew by {(heapAfter - heapBefore) / 1e6:F1} MB");
        Assert.Empty(errors); // no unexpected exception inside the broker

        var (client, ack) = await ConnectAsync(broker.Endpoint!, MqttProtocolVersion.V500, "well-behaved");
        await using var c = client;
        Assert.Equal(MqttReasonCode.Success, ack.Code);
        await client.SubscribeAsync("after/fuzz", MqttQualityOfService.AtLeastOnce);
        await client.PublishAsync("after/fuzz", "still serving", MqttQualityOfService.AtLeastOnce, packetId: 1);
        var packets = new[] { await client.NextAsync(), await client.NextAsync() };
        Assert.Equal("still serving", Assert.Single(packets, p => p.Type == MqttPacketType.Publish).Text);
    }

    internal static List<byte[]> BuildSamples(Random random)
    {
        var samples = new List<byte[]>();
        var w = new System.Buffers.ArrayBufferWriter<byte>();
        byte[] Take(Func<System.Buffers.IBufferWriter<byte>, int> write)
        {
            w.ResetWrittenCount();
            write(w);
            return w.WrittenSpan.ToArray();
        }
        foreach (var v in new[] { MqttProtocolVersion.V311, MqttProtocolVersion.V500 })
        {
            var props = new MqttPropertiesBuilder();
            if (v == MqttProtocolVersion.V500) props.Add(MqttPropertyId.SessionExpiryInterval, 10);
            samples.Add(Take(o => MqttPacketWriter.WriteConnect(o, new MqttConnectPacket
            {
                ProtocolVersion = v, ClientId = Seq($"fuzz-{random.Next(50)}"), CleanStart = random.Next(2) == 0, KeepAlive = 30,
                Properties = props.Build(), HasWill = true, WillTopic = Seq("fuzz/will"), WillPayload = Seq("w"), WillRetain = true,
            })));
            for (int q = 0; q <= 2; q++)
                samples.Add(Take(o => MqttPacketWriter.WritePublish(o, v, new MqttPublishPacket
                {
                    Topic = Seq($"fuzz/{random.Next(20)}"), Payload = Seq(new string('x', random.Next(300))), QoS = (MqttQualityOfService)q,
                    PacketIdentifier = q > 0 ? (ushort)random.Next(1, 100) : (ushort)0, Retain = random.Next(4) == 0,
                })));
            samples.Add(Take(o => MqttPacketWriter.WriteSubscribe(o, v, 3, default, [new MqttSubscription(Seq("fuzz/#"), MqttQualityOfService.ExactlyOnce),
                new MqttSubscription(Seq("$share/g/fuzz/+"), MqttQualityOfService.AtLeastOnce)])));
            samples.Add(Take(o => MqttPacketWriter.WriteUnsubscribe(o, v, 4, default, [Seq("fuzz/#")])));
            foreach (var t in new[] { MqttPacketType.PubAck, MqttPacketType.PubRec, MqttPacketType.PubRel, MqttPacketType.PubComp })
                samples.Add(Take(o => MqttPacketWriter.WritePublishResponse(o, v, new MqttPublishResponsePacket { Type = t, PacketIdentifier = (ushort)random.Next(1, 100) })));
            samples.Add(Take(MqttPacketWriter.WritePingReq));
            samples.Add(Take(o => MqttPacketWriter.WriteDisconnect(o, v, default)));
        }
        return samples;
    }

    /// <summary>A CONNECT (usually valid) followed by 1–12 packets, each possibly mutated.</summary>
    private static byte[] Mutate(Random random, List<byte[]> samples, int i)
    {
        var connects = samples.Where(s => s[0] >> 4 == 1).ToArray();
        var others = samples.Where(s => s[0] >> 4 != 1).ToArray();
        var stream = new MemoryStream();
        var connect = connects[random.Next(connects.Length)];
        stream.Write(random.Next(10) == 0 ? Damage(random, connect) : connect);
        int n = random.Next(1, 13);
        for (int k = 0; k < n; k++)
        {
            var packet = others[random.Next(others.Length)];
            stream.Write(random.Next(3) == 0 ? Damage(random, packet) : packet);
        }
        if (i % 50 == 0) stream.Write(Enumerable.Range(0, random.Next(1, 2000)).Select(_ => (byte)random.Next(256)).ToArray()); // pure noise
        var bytes = stream.ToArray();
        return random.Next(8) == 0 ? bytes[..random.Next(1, bytes.Length + 1)] : bytes; // truncated
    }

    internal static byte[] Damage(Random random, byte[] packet)
    {
        var copy = (byte[])packet.Clone();
        switch (random.Next(4))
        {
            case 0:
                for (int k = 0, flips = random.Next(1, 4); k < flips; k++) copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
                return copy;
            case 1:
                if (copy.Length > 1) copy[1] = (byte)random.Next(256); // Remaining Length corrupted
                return copy;
            case 2:
                return copy[..random.Next(1, copy.Length + 1)];
            default:
                var noise = new byte[random.Next(1, 64)];
                random.NextBytes(noise);
                return [.. copy, .. noise];
        }
    }
}
