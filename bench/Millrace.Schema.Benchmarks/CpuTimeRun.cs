using System.Runtime.InteropServices;
using System.Text.Json;

namespace Millrace.Schema.Benchmarks;

/// <summary>
/// <c>--cpu-time</c>: events per second per core measured on the validating thread's own CPU clock
/// (CLOCK_THREAD_CPUTIME_ID), so time the thread spends descheduled on a shared machine does not count. Best of
/// 25 rounds of 50,000 validations after a warm-up; complements the wall-clock BenchmarkDotNet figures.
/// </summary>
public static class CpuTimeRun
{
    private const int Rounds = 25;
    private const int PerRound = 50_000;

    public static void Run()
    {
        var options = new JsonSchemaOptions { AssertFormats = true };
        var cases = new (string Name, string Schema, string Instance)[]
        {
            ("benchmark schema, valid event", ProductionCompletedSchema.Schema, ProductionCompletedSchema.ValidEvent),
            ("benchmark schema, invalid event", ProductionCompletedSchema.Schema, ProductionCompletedSchema.InvalidEvent),
            ("samples/acme schema, valid event", SampleProductionCompletedSchema.Schema, SampleProductionCompletedSchema.ValidEvent),
            ("samples/acme schema, invalid event", SampleProductionCompletedSchema.Schema, SampleProductionCompletedSchema.InvalidEvent),
        };
        Console.WriteLine("| Case | Best ns/event (thread CPU) | Events/s per core | Allocated per event |");
        Console.WriteLine("| --- | ---: | ---: | ---: |");
        foreach (var (name, schema, instance) in cases)
        {
            var validator = JsonSchema.Compile(schema, options);
            using var doc = JsonDocument.Parse(instance);
            var element = doc.RootElement;
            for (int i = 0; i < 200_000; i++) validator.IsValid(element);
            double best = double.MaxValue;
            long allocated = GC.GetAllocatedBytesForCurrentThread();
            for (int r = 0; r < Rounds; r++)
            {
                long start = ThreadCpuNanoseconds();
                for (int i = 0; i < PerRound; i++) validator.IsValid(element);
                best = Math.Min(best, (ThreadCpuNanoseconds() - start) / (double)PerRound);
            }
            allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
            Console.WriteLine($"| {name} | {best:F0} | {1e9 / best:N0} | {allocated / (double)(Rounds * PerRound):F2} B |");
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec time);

    private static long ThreadCpuNanoseconds()
    {
        const int ClockThreadCpuTimeId = 3;
        if (ClockGetTime(ClockThreadCpuTimeId, out var t) != 0) throw new InvalidOperationException("clock_gettime failed");
        return t.Seconds * 1_000_000_000 + t.Nanoseconds;
    }
}
