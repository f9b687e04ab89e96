using BenchmarkDotNet.Attributes;
using Millrace.Log.Sqlite;

namespace Millrace.Log.Benchmarks;

/// <summary>
/// Append throughput of 1 KB events with durable acknowledgement via <see cref="IEventLog.AppendBatchAsync"/>.
/// Each producer awaits every call before the next. With one producer a call's batch is exactly one transaction;
/// with several, group commit merges their batches (up to MaxBatchSize records) into shared transactions.
/// One operation = one event.
/// </summary>
[Config(typeof(LogBenchmarkConfig))]
public class AppendBenchmarks
{
    private const int EventsPerInvocation = 100_000;
    private BenchLog _bench = null!;
    private LogRecord[][] _batches = null!;

    [Params(100, 1000)]
    public int BatchSize { get; set; }

    [Params(SqliteSynchronousMode.Full, SqliteSynchronousMode.Normal)]
    public SqliteSynchronousMode Synchronous { get; set; }

    [Params(1, 4)]
    public int Producers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _bench = new BenchLog(Synchronous);
        var records = BenchLog.Records(EventsPerInvocation);
        _batches = records.Chunk(BatchSize).ToArray();
    }

    [GlobalCleanup]
    public void Cleanup() => _bench.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(OperationsPerInvoke = EventsPerInvocation)]
    public async Task AppendBatch()
    {
        var producers = new Task[Producers];
        for (int p = 0; p < Producers; p++)
        {
            int first = p;
            producers[p] = Task.Run(async () =>
            {
                for (int i = first; i < _batches.Length; i += Producers) await _bench.Log.AppendBatchAsync(_batches[i]);
            });
        }

        await Task.WhenAll(producers);
    }
}
