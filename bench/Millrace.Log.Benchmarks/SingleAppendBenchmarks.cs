using BenchmarkDotNet.Attributes;
using Millrace.Log.Sqlite;

namespace Millrace.Log.Benchmarks;

/// <summary>
/// Batch size 1: <see cref="IEventLog.AppendAsync"/> one event at a time with durable acknowledgement.
/// <c>Sequential</c> is one producer awaiting every event (one transaction, one fsync per event under FULL);
/// <c>Concurrent</c> is 64 producers doing the same, which group commit turns into shared transactions.
/// One operation = one event.
/// </summary>
[Config(typeof(LogBenchmarkConfig))]
public class SingleAppendBenchmarks
{
    private const int SequentialEvents = 2_000;
    private const int ConcurrentEvents = 64_000;
    private const int Producers = 64;
    private BenchLog _bench = null!;
    private LogRecord[] _records = null!;

    [Params(SqliteSynchronousMode.Full, SqliteSynchronousMode.Normal)]
    public SqliteSynchronousMode Synchronous { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _bench = new BenchLog(Synchronous);
        _records = BenchLog.Records(ConcurrentEvents);
    }

    [GlobalCleanup]
    public void Cleanup() => _bench.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(OperationsPerInvoke = SequentialEvents)]
    public async Task Sequential()
    {
        for (int i = 0; i < SequentialEvents; i++) await _bench.Log.AppendAsync(_records[i]);
    }

    [Benchmark(OperationsPerInvoke = ConcurrentEvents)]
    public async Task Concurrent()
    {
        var producers = new Task[Producers];
        for (int p = 0; p < Producers; p++)
        {
            int first = p;
            producers[p] = Task.Run(async () =>
            {
                for (int i = first; i < ConcurrentEvents; i += Producers) await _bench.Log.AppendAsync(_records[i]);
            });
        }

        await Task.WhenAll(producers);
    }
}
