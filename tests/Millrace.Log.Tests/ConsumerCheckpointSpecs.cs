using Millrace.Log.Sqlite;
using Millrace.Log.Tests.Support;

namespace Millrace.Log.Tests;

public class ConsumerCheckpointSpecs
{
    [Fact]
    public async Task A_group_without_a_checkpoint_starts_at_the_oldest_retained_record()
    {
        using var dir = new TempDirectory();
        await using var log = TestLogs.Open(dir, partitions: 1);
        await log.AppendAsync(Records.Make("k", "a"));

        var checkpoint = await log.GetCheckpointAsync("erp-sync", 0);

        Assert.Equal(new ConsumerCheckpoint("erp-sync", 0, 0, false, 0), checkpoint);
    }

    [Fact]
    public async Task Checkpoints_are_per_group_and_partition_and_survive_reopening()
    {
        using var dir = new TempDirectory();
        await using (var log = TestLogs.Open(dir, partitions: 2))
        {
            await log.AppendBatchAsync(Enumerable.Range(0, 20).Select(i => Records.Make($"k{i}", $"e{i}")).ToList());
            await log.CommitCheckpointAsync("erp-sync", 0, 3);
            await log.CommitCheckpointAsync("erp-sync", 1, 5);
            await log.CommitCheckpointAsync("historian", 0, 1);
            await log.CommitCheckpointAsync("erp-sync", 0, 4);
        }

        await using var reopened = TestLogs.Open(dir, partitions: 2);
        Assert.Equal(4, (await reopened.GetCheckpointAsync("erp-sync", 0)).NextOffset);
        Assert.Equal(5, (await reopened.GetCheckpointAsync("erp-sync", 1)).NextOffset);
        Assert.Equal(1, (await reopened.GetCheckpointAsync("historian", 0)).NextOffset);
        Assert.True((await reopened.GetCheckpointAsync("historian", 0)).IsCommitted);
        Assert.False((await reopened.GetCheckpointAsync("historian", 1)).IsCommitted);
    }

    [Fact]
    public async Task A_checkpoint_may_move_back_to_reprocess()
    {
        using var dir = new TempDirectory();
        await using var log = TestLogs.Open(dir, partitions: 1);
        await log.AppendBatchAsync(Enumerable.Range(0, 5).Select(i => Records.Make("k", $"e{i}")).ToList());
        await log.CommitCheckpointAsync("g", 0, 5);

        await log.CommitCheckpointAsync("g", 0, 2);

        Assert.Equal(2, (await log.GetCheckpointAsync("g", 0)).NextOffset);
    }

    [Fact]
    public async Task A_checkpoint_cannot_pass_the_partition_tail()
    {
        using var dir = new TempDirectory();
        await using var log = TestLogs.Open(dir, partitions: 1);
        await log.AppendAsync(Records.Make("k", "a"));

        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => log.CommitCheckpointAsync("g", 0, 2).AsTask());
        Assert.Contains("next offset 1", error.Message);
        await Assert.ThrowsAsync<ArgumentException>(() => log.CommitCheckpointAsync(" ", 0, 0).AsTask());
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => log.CommitCheckpointAsync("g", 1, 0).AsTask());
    }

    [Fact]
    public async Task A_checkpoint_behind_retention_is_clamped_and_reports_what_was_lost()
    {
        using var dir = new TempDirectory();
        var time = new ManualTimeProvider();
        await using var log = SqliteEventLog.Open(TestLogs.Options(dir, 1) with { Retention = new RetentionPolicy(MaxAge: TimeSpan.FromHours(1)) }, time);
        await log.AppendBatchAsync(Enumerable.Range(0, 10).Select(i => Records.Make("k", $"old{i}")).ToList());
        await log.CommitCheckpointAsync("slow", 0, 4);
        await log.CommitCheckpointAsync("fast", 0, 10);
        time.Advance(TimeSpan.FromHours(2));
        await log.AppendAsync(Records.Make("k", "new"));

        await log.ApplyRetentionAsync();

        Assert.Equal(new ConsumerCheckpoint("slow", 0, 10, true, 6), await log.GetCheckpointAsync("slow", 0));
        Assert.Equal(new ConsumerCheckpoint("fast", 0, 10, true, 0), await log.GetCheckpointAsync("fast", 0));
    }
}
