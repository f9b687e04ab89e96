using BenchmarkDotNet.Attributes;
using Millrace.Log.Sqlite;

namespace Millrace.Log.Benchmarks;

/// <summary>Read throughput: a consumer paging through 100,000 stored 1 KB events. One operation = one event.</summary>
[Config(typeof(LogBenchmarkConfig))]
public class ReadBenchmarks
{
    private const int Events = 100_000;
    private BenchLog _bench = null!;

    [Params(100, 1000)]
    public int PageSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _bench = new BenchLog(SqliteSynchronousMode.Normal, partitions: 1);
        foreach (var batch in BenchLog.Records(Events).Chunk(1000)) _bench.Log.AppendBatchAsync(batch).AsTask().GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup() => _bench.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(OperationsPerInvoke = Events)]
    public async Task<long> ReadAll()
    {
        long next = 0, bytes = 0;
        while (true)
        {
            var page = await _bench.Log.ReadAsync(0, next, PageSize);
            if (page.Count == 0) return bytes;
            foreach (var entry in page) bytes += entry.Record.Payload.Length;
            next = page[^1].Position.Offset + 1;
        }
    }
}
