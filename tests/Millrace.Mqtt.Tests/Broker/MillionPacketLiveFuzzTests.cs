using Millrace.Mqtt.Broker;
using Xunit.Abstractions;

namespace Millrace.Mqtt.Tests.Broker;

/// <summary>
/// At least 1,000,000 random and mutated packets into live broker connections. The connections are in memory
/// (<see cref="MqttBroker.ServeAsync"/> over pipes: the broker's full connection code — codec, state machine, sessions,
/// routing, write loop — without sockets, so a million packets fit in a CI run). Each connection is a CONNECT and up to
/// 120 packets, one in 40 bit-flipped, truncated, length-corrupted or followed by noise; the broker answers, closes on
/// violations, and the test client drains what it sends. Counted are the packets actually handed to a connection.
/// Asserts: nothing escapes the broker (no Error report, no faulted connection task), every connection ends, the managed
/// heap stays bounded, and the broker serves a clean client afterwards. Seeded (MILLRACE_MQTT_FUZZ_SEED).
/// </summary>
public sealed class MillionPacketLiveFuzzTests(ITestOutputHelper output)
{
    private const long TargetPackets = 1_000_000;

    [Fact]
    public async Task A_million_random_and_mutated_packets_on_live_connections_never_crash_hang_or_leak()
    {
        int seed = int.TryParse(Environment.GetEnvironmentVariable("MILLRACE_MQTT_FUZZ_SEED"), out var s) ? s : 20261122;
        output.WriteLine($"seed {seed}");
        var random = new Random(seed);
        var errors = new List<string>();
        await using var broker = await TestBroker.StartAsync(new MqttBrokerOptions { MaximumPacketSize = 64 * 1024, MaximumQueuedMessages = 100 });
        broker.Error += e => { lock (errors) errors.Add(e); };
        var samples = LiveConnectionFuzzTests.BuildSamples(random);
        var connects = samples.Where(p => p[0] >> 4 == 1).ToArray();
        var others = samples.Where(p => p[0] >> 4 is not 1 and not 14).ToArray(); // no DISCONNECT: keep connections long
        GC.Collect();
        long heapBefore = GC.GetTotalMemory(true);
        long packets = 0, connections = 0, bytes = 0;
        var started = System.Diagnostics.Stopwatch.StartNew();

        // Eight connections at a time until the target is reached. A watchdog only guards against a hang.
        using var watchdog = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        await Parallel.ForEachAsync(Enumerable.Range(0, int.MaxValue).TakeWhile(_ => Interlocked.Read(ref packets) < TargetPackets),
            new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = watchdog.Token }, async (i, ct) =>
            {
                byte[][] input;
                lock (random) input = Connection(random, connects, others);
                var (client, server) = DuplexPipeStream.CreatePair();
                var serving = broker.ServeAsync(server);
                var drain = Task.Run(async () =>
                {
                    var sink = new byte[16 * 1024];
                    while (await client.ReadAsync(sink, ct) > 0) { }
                }, ct);
                try
                {
                    foreach (var packet in input)
                    {
                        if (serving.IsCompleted) break; // the broker closed this connection: the rest is not fed
                        await client.WriteAsync(packet, ct);
                        Interlocked.Increment(ref packets);
                        Interlocked.Add(ref bytes, packet.Length);
                    }
                }
                catch (IOException)
                {
                    // the broker completed its side while we wrote
                }
                await client.CompleteWritingAsync(); // end of stream for the broker
                await serving.WaitAsync(ct); // a faulted connection task would throw here
                await drain.WaitAsync(ct);   // the broker closed its side
                await client.DisposeAsync();
                Interlocked.Increment(ref connections);
            });
        output.WriteLine($"{packets:N0} packets ({bytes:N0} bytes) on {connections:N0} live connections in {started.Elapsed.TotalSeconds:F1} s");
        Assert.True(packets >= TargetPackets, $"only {packets:N0} packets were fed");

        await TestBroker.EventuallyAsync(() => broker.ConnectionCount == 0, "every fuzz connection ended");
        GC.Collect();
        GC.WaitForPendingFinalizers();
        long heapAfter = GC.GetTotalMemory(true);
        output.WriteLine($"managed heap {heapBefore / 1e6:F2} MB before, {heapAfter / 1e6:F2} MB after; sessions {broker.SessionCount}");
        Assert.True(heapAfter - heapBefore < 64 << 20, $"heap grew by {(heapAfter - heapBefore) / 1e6:F1} MB");
        Assert.Empty(errors);

        var (c, ack) = await RawMqttClient.ConnectAsync(broker.Endpoint!, MqttProtocolVersion.V500, "after-million");
        await using var clean = c;
        Assert.Equal(MqttReasonCode.Success, ack.Code);
    }

    /// <summary>A CONNECT (1 in 20 damaged) and 1–120 other packets, 1 in 40 damaged.</summary>
    private static byte[][] Connection(Random random, byte[][] connects, byte[][] others)
    {
        var list = new List<byte[]>();
        var connect = connects[random.Next(connects.Length)];
        list.Add(random.Next(20) == 0 ? LiveConnectionFuzzTests.Damage(random, connect) : connect);
        for (int k = 0, n = random.Next(1, 121); k < n; k++)
        {
            var packet = others[random.Next(others.Length)];
            list.Add(random.Next(40) == 0 ? LiveConnectionFuzzTests.Damage(random, packet) : packet);
        }
        return [.. list];
    }
}
