using Millrace.Log.Sqlite;
using Millrace.Log.Tests.Support;

namespace Millrace.Log.Tests;

public class GroupCommitSpecs
{
    [Fact]
    public async Task Concurrent_appends_share_transactions()
    {
        using var dir = new TempDirectory();
        await using var log = TestLogs.Open(dir);
        const int appends = 2000;

        // All appends are queued before the first can be committed, so the writer must find several per transaction.
        var pending = Enumerable.Range(0, appends).Select(i => log.AppendAsync(Records.Make($"k{i % 7}", $"e{i}")).AsTask()).ToList();
        await Task.WhenAll(pending).WaitAsync(TestLogs.Guard);

        var stats = log.Statistics;
        Assert.Equal(appends, stats.AppendedRecords);
        Assert.True(stats.Transactions < appends, $"{stats.Transactions} transactions for {appends} appends");
        Assert.True(stats.LargestGroup > 1);
    }

    [Fact]
    public async Task A_group_never_exceeds_the_maximum_batch_size_unless_one_batch_call_is_larger()
    {
        using var dir = new TempDirectory();
        await using var log = SqliteEventLog.Open(TestLogs.Options(dir) with { MaxBatchSize = 10 });

        await Task.WhenAll(Enumerable.Range(0, 200).Select(i => log.AppendAsync(Records.Make("k", $"e{i}")).AsTask()));
        Assert.InRange(log.Statistics.LargestGroup, 1, 10);

        await log.AppendBatchAsync(Enumerable.Range(0, 25).Select(i => Records.Make("k", $"b{i}")).ToList());
        Assert.Equal(25, log.Statistics.LargestGroup);
    }

    [Fact]
    public async Task A_batch_delay_lets_sequential_small_appends_join_one_group()
    {
        using var dir = new TempDirectory();
        await using var log = SqliteEventLog.Open(TestLogs.Options(dir) with { MaxBatchDelay = TimeSpan.FromSeconds(1), MaxBatchSize = 4 });

        // Four appends queued back to back; the writer waits for the group to fill instead of committing the first alone.
        var pending = Enumerable.Range(0, 4).Select(i => log.AppendAsync(Records.Make("k", $"e{i}")).AsTask()).ToList();
        await Task.WhenAll(pending).WaitAsync(TestLogs.Guard);

        Assert.Equal(1, log.Statistics.Transactions);
    }

    [Fact]
    public async Task Full_mode_acknowledges_only_after_an_fsync_of_the_wal_and_one_fsync_may_cover_several_groups()
    {
        using var dir = new TempDirectory();
        await using var log = SqliteEventLog.Open(TestLogs.Options(dir) with { SynchronousMode = SqliteSynchronousMode.Full });

        await log.AppendAsync(Records.Make("k", "first"));
        Assert.Equal(1, log.Statistics.WalFsyncs); // the first acknowledgement waited for an fsync

        await Task.WhenAll(Enumerable.Range(0, 500).Select(i => log.AppendAsync(Records.Make($"k{i % 5}", $"e{i}")).AsTask())).WaitAsync(TestLogs.Guard);
        var stats = log.Statistics;
        Assert.InRange(stats.WalFsyncs, 2, stats.Transactions);
    }

    [Fact]
    public async Task Normal_mode_never_fsyncs_on_append()
    {
        using var dir = new TempDirectory();
        await using var log = TestLogs.Open(dir);
        await Task.WhenAll(Enumerable.Range(0, 50).Select(i => log.AppendAsync(Records.Make("k", $"e{i}")).AsTask())).WaitAsync(TestLogs.Guard);
        Assert.Equal(0, log.Statistics.WalFsyncs);
    }
}
