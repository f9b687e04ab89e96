using System.Buffers;
using System.Text;
using Millrace.Core.Events;
using Millrace.Core.Units;
using Millrace.Hub.Processing.Telemetry;

namespace Millrace.Hub.Tests.Processing;

/// <summary>Mutated payloads never escape the readers as exceptions: they are accepted, rejected or refused with a reason.</summary>
public class TelemetryBatchReaderFuzzTests
{
    private const string Valid = """
        [{"asset":"plant-01/line-1/cnc-01","signal":"spindle_temp","value":212,"unit":"°F","ts":"2026-11-22T10:00:00.125Z","quality":"good"},
         {"asset":"plant-01/line-1/cnc-01","signal":"state","value":"down","ts":1700000000000},
         {"asset":"plant-02/cold-store/ts-01","signal":"temperature","value":-18.5,"ts":1700000000001}]
        """;

    private const string Event = """
        {"specversion":"1.0","id":"e-1","source":"/acme","type":"t.v1","time":"2026-11-22T10:00:00Z","traceparent":"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01","plant":"plant-01","ext":5,"data":{"a":[1,2,{"b":null}]}}
        """;

    [Fact]
    public void Mutated_telemetry_is_read_or_refused_never_thrown()
    {
        var random = new Random(20261122);
        byte[] valid = Encoding.UTF8.GetBytes(Valid);
        int refused = 0;
        for (int i = 0; i < 20_000; i++)
        {
            byte[] input = Mutate(valid, random);
            var samples = ArrayPool<TelemetrySample>.Shared.Rent(4);
            var errors = new List<PayloadError>();
            var rejections = new List<SampleRejection>();
            int count = TelemetryBatchReader.Read(Split(input, random), HubFixture.Catalog, UnitCatalog.Default, ref samples, errors, rejections);
            ArrayPool<TelemetrySample>.Shared.Return(samples);
            Assert.True(count >= 0 && count <= 3);
            if (errors.Count > 0) { refused++; Assert.Equal(0, count); Assert.All(errors, e => Assert.False(string.IsNullOrEmpty(e.Reason))); }
        }
        Assert.InRange(refused, 1, 19_999); // the mutations must exercise both outcomes
    }

    [Fact]
    public void Mutated_cloudevents_are_parsed_or_refused_never_thrown()
    {
        var random = new Random(42);
        byte[] valid = Encoding.UTF8.GetBytes(Event);
        int refused = 0;
        for (int i = 0; i < 20_000; i++)
        {
            byte[] input = Mutate(valid, random);
            var errors = new List<CloudEventError>();
            bool ok = CloudEventJsonReader.TryParse(input, out var ev, errors);
            if (ok) Assert.NotNull(ev);
            else { refused++; Assert.NotEmpty(errors); }
            var batch = new List<CloudEvent>();
            CloudEventJsonReader.TryParseBatch([(byte)'[', .. input, (byte)']'], batch, []);
        }
        Assert.InRange(refused, 1, 19_999);
    }

    private static byte[] Mutate(byte[] valid, Random random)
    {
        var bytes = valid.ToList();
        int edits = random.Next(1, 4);
        for (int e = 0; e < edits && bytes.Count > 0; e++)
        {
            int at = random.Next(bytes.Count);
            switch (random.Next(5))
            {
                case 0: bytes[at] ^= (byte)(1 << random.Next(8)); break;
                case 1: bytes.RemoveAt(at); break;
                case 2: bytes.Insert(at, "{}[]\",:0-e.\\"u8[random.Next(12)]); break;
                case 3: bytes.RemoveRange(at, bytes.Count - at); break;
                default: bytes[at] = (byte)random.Next(256); break;
            }
        }
        return bytes.ToArray();
    }

    /// <summary>Splits the payload into several segments, as a request body arrives from the network.</summary>
    private static ReadOnlySequence<byte> Split(byte[] input, Random random)
    {
        if (input.Length < 3) return new ReadOnlySequence<byte>(input);
        int a = random.Next(1, input.Length - 1);
        var first = new Segment(input.AsMemory(0, a), 0);
        var last = first.Append(input.AsMemory(a));
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
