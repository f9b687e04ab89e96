using System.Buffers;
using Millrace.Mqtt.Codec;
using Xunit.Abstractions;
using static Millrace.Mqtt.Tests.FuzzCorpus;

namespace Millrace.Mqtt.Tests;

/// <summary>
/// Feeds a million random and mutated packets to the decoder, split at random segment boundaries.
/// Reproducible: set MILLRACE_MQTT_FUZZ_SEED to replay a run (the seed is printed).
/// </summary>
public class DecoderFuzzTests(ITestOutputHelper output)
{
    private const int Inputs = 1_000_000;
    private const int CorpusSize = 4_000;
    private const long MemoryGrowthBound = 64L * 1024 * 1024;

    [Fact]
    public async Task A_million_random_and_mutated_packets_never_crash_hang_or_leak()
    {
        int seed = int.TryParse(Environment.GetEnvironmentVariable("MILLRACE_MQTT_FUZZ_SEED"), out var s) ? s : 20261122;
        output.WriteLine($"fuzz seed {seed} (set MILLRACE_MQTT_FUZZ_SEED={seed} to replay)");
        var rng = new Random(seed);
        var corpus = Build(rng, CorpusSize);
        var readers = new MqttPacketReader?[7];
        var connect3 = TestSupport.ConnectBytes(MqttProtocolVersion.V311);
        var connect5 = TestSupport.ConnectBytes(MqttProtocolVersion.V500);

        GC.Collect();
        long memoryBefore = GC.GetTotalMemory(forceFullCollection: true);
        long accepted = 0, rejected = 0, incremental = 0;
        var decoding = new System.Diagnostics.Stopwatch(); // informative only: no timing is asserted
        var total = System.Diagnostics.Stopwatch.StartNew();
        var byReason = new Dictionary<MqttReasonCode, long>();

        // The whole run is bounded by count; the watchdog only turns a hang into a failure instead of a stuck build.
        var run = Task.Run(() =>
        {
            for (int i = 0; i < Inputs; i++)
            {
                var seedPacket = corpus[rng.Next(corpus.Count)];
                byte[] input = Mutate(rng, seedPacket.Bytes, corpus);
                int side = rng.Next(8) == 0 ? rng.Next(7) : (int)seedPacket.Side; // sometimes the wrong reader on purpose
                var reader = readers[side] ??= NewReader((Side)side, connect3, connect5);
                decoding.Start();
                try
                {
                    if (rng.Next(50) == 0)
                    {
                        incremental++;
                        accepted += FeedIncrementally(rng, reader, input);
                    }
                    else
                    {
                        accepted += FeedSplit(rng, reader, input);
                    }
                }
                catch (MqttProtocolException e)
                {
                    rejected++;
                    byReason[e.ReasonCode] = byReason.GetValueOrDefault(e.ReasonCode) + 1;
                    readers[side] = null; // the connection would be closed: start a fresh one
                }
                catch (Exception e)
                {
                    throw new Xunit.Sdk.XunitException($"seed {seed}, input #{i} ({Convert.ToHexString(input)}) on {(Side)side}: {e}");
                }
                finally
                {
                    decoding.Stop();
                }
            }
        });
        try
        {
            await run.WaitAsync(TimeSpan.FromMinutes(5));
        }
        catch (TimeoutException)
        {
            Assert.Fail($"the decoder hung (seed {seed})");
        }

        Array.Clear(readers);
        corpus.Clear();
        long memoryAfter = GC.GetTotalMemory(forceFullCollection: true);
        output.WriteLine($"{Inputs:N0} inputs: {accepted:N0} packets accepted, {rejected:N0} inputs rejected, {incremental:N0} fed byte-range by byte-range");
        foreach (var (code, n) in byReason.OrderByDescending(kv => kv.Value)) output.WriteLine($"  {code}: {n:N0}");
        output.WriteLine($"wall {total.Elapsed.TotalSeconds:F1} s, of which feeding the readers (decode, exceptions, views) {decoding.Elapsed.TotalSeconds:F1} s");
        output.WriteLine($"managed heap before {memoryBefore:N0} B, after {memoryAfter:N0} B");

        Assert.True(memoryAfter - memoryBefore < MemoryGrowthBound, $"heap grew by {memoryAfter - memoryBefore:N0} bytes");
        // The run is only meaningful if mutations produce both valid and invalid packets.
        Assert.True(accepted > Inputs / 10, $"only {accepted} packets accepted");
        Assert.True(rejected > Inputs / 10, $"only {rejected} inputs rejected");
    }

    private static readonly byte[] ConnAck3 = [0x20, 0x02, 0x00, 0x00], ConnAck5 = [0x20, 0x03, 0x00, 0x00, 0x00];

    internal static MqttPacketReader NewReader(Side side, byte[] connect3, byte[] connect5)
    {
        MqttPacketReader Server(byte[] connect)
        {
            var r = new MqttPacketReader(MqttDecoderOptions.Server with { TopicAliasMaximum = 10 });
            var seq = new ReadOnlySequence<byte>(connect);
            r.TryReadPacket(ref seq, out _);
            return r;
        }
        MqttPacketReader Client(MqttProtocolVersion v, bool connected)
        {
            var r = new MqttPacketReader(MqttDecoderOptions.ForClient(v) with { TopicAliasMaximum = 10, MaximumPacketSize = 1 << 16 });
            if (connected)
            {
                var seq = new ReadOnlySequence<byte>(v == MqttProtocolVersion.V500 ? ConnAck5 : ConnAck3);
                r.TryReadPacket(ref seq, out _);
            }
            return r;
        }
        return side switch
        {
            Side.NewServer => new MqttPacketReader(),
            Side.Server3 => Server(connect3),
            Side.Server5 => Server(connect5),
            Side.NewClient3 => Client(MqttProtocolVersion.V311, false),
            Side.NewClient5 => Client(MqttProtocolVersion.V500, false),
            Side.Client3 => Client(MqttProtocolVersion.V311, true),
            _ => Client(MqttProtocolVersion.V500, true),
        };
    }

    internal static byte[] Mutate(Random rng, byte[] original, List<Seed> corpus)
    {
        var b = (byte[])original.Clone();
        switch (rng.Next(9))
        {
            case 0: // valid as generated
                return b;
            case 1: // bit flips
                for (int k = rng.Next(1, 4); k > 0; k--) b[rng.Next(b.Length)] ^= (byte)(1 << rng.Next(8));
                return b;
            case 2: // random byte values
                for (int k = rng.Next(1, 4); k > 0; k--) b[rng.Next(b.Length)] = (byte)rng.Next(256);
                return b;
            case 3: // truncation
                return b.AsSpan(0, rng.Next(b.Length)).ToArray();
            case 4: // Remaining Length corruption
                for (int k = 1; k <= Math.Min(4, b.Length - 1); k++) if (rng.Next(2) == 0) b[k] = (byte)rng.Next(256);
                return b;
            case 5: // corrupt a length-looking field inside the body (string/property lengths)
                if (b.Length > 4) { int at = rng.Next(2, b.Length - 1); b[at] = (byte)rng.Next(256); b[at + 1] = (byte)rng.Next(256); }
                return b;
            case 6: // two packets back to back, the second mutated
                var next = corpus[rng.Next(corpus.Count)].Bytes;
                var joined = new byte[b.Length + next.Length];
                b.CopyTo(joined, 0);
                next.CopyTo(joined, b.Length);
                joined[b.Length + rng.Next(next.Length)] ^= (byte)rng.Next(1, 256);
                return joined;
            case 7: // pure noise
                var noise = new byte[rng.Next(1, 64)];
                rng.NextBytes(noise);
                return noise;
            default: // insert or delete a byte
                if (rng.Next(2) == 0 && b.Length > 1)
                {
                    int at = rng.Next(b.Length);
                    return [.. b.AsSpan(0, at), .. b.AsSpan(at + 1)];
                }
                int pos = rng.Next(b.Length + 1);
                return [.. b.AsSpan(0, pos), (byte)rng.Next(256), .. b.AsSpan(pos)];
        }
    }

    /// <summary>Feeds the input as a multi-segment sequence; returns the number of packets read.</summary>
    private static int FeedSplit(Random rng, MqttPacketReader reader, byte[] input)
    {
        var cuts = new int[rng.Next(4)];
        for (int k = 0; k < cuts.Length; k++) cuts[k] = rng.Next(1, Math.Max(2, input.Length));
        var seq = TestSupport.Split(input, cuts);
        int packets = 0;
        while (reader.TryReadPacket(ref seq, out var packet))
        {
            packets++;
            if (packets > input.Length / 2) throw new InvalidOperationException("more packets than bytes allow: the reader is not advancing");
            Touch(packet);
        }
        return packets;
    }

    /// <summary>Feeds ever longer prefixes, as a socket would deliver them.</summary>
    private static int FeedIncrementally(Random rng, MqttPacketReader reader, byte[] input)
    {
        int start = 0, packets = 0, end = 0;
        while (end < input.Length)
        {
            end = Math.Min(input.Length, end + rng.Next(1, 16));
            var seq = new ReadOnlySequence<byte>(input, start, end - start);
            while (reader.TryReadPacket(ref seq, out var packet))
            {
                packets++;
                Touch(packet);
            }
            start = end - (int)seq.Length;
        }
        return packets;
    }

    /// <summary>Reads every field of an accepted packet: the lazy views must not fail on what the reader accepted.</summary>
    private static void Touch(in MqttPacket packet)
    {
        switch (packet.Type)
        {
            case MqttPacketType.Connect:
                var c = packet.AsConnect();
                foreach (var p in c.Properties) _ = p.Value.Length;
                foreach (var p in c.WillProperties) _ = p.Value.Length;
                break;
            case MqttPacketType.ConnAck:
                foreach (var p in packet.AsConnAck().Properties) _ = p.Number;
                break;
            case MqttPacketType.Publish:
                var m = packet.AsPublish();
                foreach (var p in m.Properties) _ = p.Name.Length;
                _ = m.Payload.Length + m.Topic.Length;
                break;
            case MqttPacketType.PubAck or MqttPacketType.PubRec or MqttPacketType.PubRel or MqttPacketType.PubComp:
                foreach (var p in packet.AsPublishResponse().Properties) _ = p.Value.Length;
                break;
            case MqttPacketType.Subscribe:
                var s = packet.AsSubscribe();
                int n = 0;
                foreach (var sub in s) n++;
                if (n != s.Count) throw new InvalidOperationException("subscription count mismatch");
                break;
            case MqttPacketType.SubAck:
                _ = packet.AsSubAck().GetReasonCodes();
                break;
            case MqttPacketType.Unsubscribe:
                _ = packet.AsUnsubscribe().ToStrings();
                break;
            case MqttPacketType.UnsubAck:
                _ = packet.AsUnsubAck().GetReasonCodes();
                break;
            case MqttPacketType.Disconnect:
                _ = packet.AsDisconnect().ReasonCode;
                break;
            case MqttPacketType.Auth:
                _ = packet.AsAuth().Properties.GetString(MqttPropertyId.AuthenticationMethod);
                break;
        }
    }
}
