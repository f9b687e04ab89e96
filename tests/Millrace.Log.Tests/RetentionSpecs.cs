using Millrace.Log.Sqlite;
using Millrace.Log.Tests.Support;

namespace Millrace.Log.Tests;

public class RetentionSpecs
{
    private static SqliteEventLog Open(TempDirectory dir, RetentionPolicy retention, TimeProvider time, int partitions = 2) =>
        SqliteEventLog.Open(TestLogs.Options(dir, partitions) with { Retention = retention }, time);

    [Fact]
    public async Task Retention_by_age_deletes_exactly_the_records_older_than_the_maximum_age()
    {
        using var dir = new TempDirectory();
        var time = new ManualTimeProvider();
        await using var log = Open(dir, new RetentionPolicy(MaxAge: TimeSpan.FromHours(24)), time);
        string key = TestLogs.KeyFor(log, 0);
        for (int hour = 0; hour < 30; hour++)
        {
            await log.AppendAsync(Records.Make(key, $"h{hour}"));
            time.Advance(TimeSpan.FromHours(1));
        }
        // now = start + 30 h; records appended at start + 0..29 h; keep those at or after start + 6 h.

        var result = await log.ApplyRetentionAsync();

        Assert.Equal(6, result.DeletedRecords);
        var kept = await TestLogs.ReadAll(log, 0);
        Assert.Equal(Enumerable.Range(6, 24).Select(h => $"h{h}"), kept.Select(e => e.Record.Id));
        Assert.Equal(6, kept[0].Position.Offset);
        Assert.Equal(6, (await log.GetPartitionInfoAsync(0)).StartOffset);
        Assert.Equal(30, (await log.GetPartitionInfoAsync(0)).NextOffset);
    }

    [Fact]
    public async Task Offsets_keep_counting_after_retention_emptied_a_partition()
    {
        using var dir = new TempDirectory();
        var time = new ManualTimeProvider();
        await using (var log = Open(dir, new RetentionPolicy(MaxAge: TimeSpan.FromMinutes(1)), time, partitions: 1))
        {
            await log.AppendBatchAsync([Records.Make("k", "a"), Records.Make("k", "b")]);
            time.Advance(TimeSpan.FromMinutes(5));
            await log.ApplyRetentionAsync();
            Assert.Equal(new PartitionInfo(0, 2, 2, 0), await log.GetPartitionInfoAsync(0));
        }

        await using var reopened = Open(dir, RetentionPolicy.KeepForever, time, partitions: 1);
        Assert.Equal(2, (await reopened.AppendAsync(Records.Make("k", "c"))).Offset);
    }

    [Fact]
    public async Task Retention_by_size_deletes_the_oldest_records_across_partitions_until_the_log_fits()
    {
        using var dir = new TempDirectory();
        var time = new ManualTimeProvider();
        string[] keys = [TestLogs.KeyFor(3, 0), TestLogs.KeyFor(3, 1), TestLogs.KeyFor(3, 2)];
        long recordSize = RecordSize.Of(Records.Make(keys[0], "r00", size: 500));
        await using var log = Open(dir, new RetentionPolicy(MaxBytes: recordSize * 10), time, partitions: 3);
        // 30 records round-robin over 3 partitions, one per minute: r00 (p0), r01 (p1), r02 (p2), r03 (p0) ...
        for (int i = 0; i < 30; i++)
        {
            await log.AppendAsync(Records.Make(keys[i % 3], $"r{i:00}", size: 500));
            time.Advance(TimeSpan.FromMinutes(1));
        }

        var result = await log.ApplyRetentionAsync();

        Assert.Equal(20, result.DeletedRecords);
        Assert.Equal(recordSize * 20, result.DeletedBytes);
        var info = await log.GetInfoAsync();
        Assert.Equal(recordSize * 10, info.RetainedBytes);
        var kept = new List<string>();
        for (int p = 0; p < 3; p++) kept.AddRange((await TestLogs.ReadAll(log, p)).Select(e => e.Record.Id));
        Assert.Equal(Enumerable.Range(20, 10).Select(i => $"r{i:00}"), kept.Order());
        Assert.Equal(20, log.Statistics.RetentionDeletedRecords);
    }

    [Fact]
    public async Task Retention_by_size_splits_records_that_share_an_append_time_by_partition_then_offset()
    {
        using var dir = new TempDirectory();
        var time = new ManualTimeProvider();
        long size = RecordSize.Of(Records.Make("k", "x0", size: 100));
        await using var log = Open(dir, new RetentionPolicy(MaxBytes: size * 7), time, partitions: 1);
        // One batch: ten records committed in one transaction share one append time.
        await log.AppendBatchAsync(Enumerable.Range(0, 10).Select(i => Records.Make("k", $"x{i}", size: 100)).ToList());

        await log.ApplyRetentionAsync();

        Assert.Equal(Enumerable.Range(3, 7).Select(i => $"x{i}"), (await TestLogs.ReadAll(log, 0)).Select(e => e.Record.Id));
        Assert.Equal(Enumerable.Range(5, 5).Select(i => $"x{i}"), (await log.ReadAsync(0, 5, 100)).Select(e => e.Record.Id));
    }

    [Fact]
    public async Task A_retention_cut_inside_a_commit_group_survives_reopening()
    {
        using var dir = new TempDirectory();
        var time = new ManualTimeProvider();
        long size = RecordSize.Of(Records.Make("k", "x0", size: 100));
        await using (var log = Open(dir, new RetentionPolicy(MaxBytes: size * 4), time, partitions: 1))
        {
            await log.AppendBatchAsync(Enumerable.Range(0, 10).Select(i => Records.Make("k", $"x{i}", size: 100)).ToList());
            await log.ApplyRetentionAsync();
        }

        await using var reopened = Open(dir, RetentionPolicy.KeepForever, time, partitions: 1);
        Assert.Equal(new PartitionInfo(0, 6, 10, size * 4), await reopened.GetPartitionInfoAsync(0));
        Assert.Equal(["x6", "x7", "x8", "x9"], (await reopened.ReadAsync(0, 0, 100)).Select(e => e.Record.Id));
        Assert.Equal(10, (await reopened.AppendAsync(Records.Make("k", "x10", size: 100))).Offset);
    }

    [Fact]
    public async Task Age_and_size_limits_apply_together()
    {
        using var dir = new TempDirectory();
        var time = new ManualTimeProvider();
        long size = RecordSize.Of(Records.Make("k", "y00", size: 100));
        await using var log = Open(dir, new RetentionPolicy(TimeSpan.FromMinutes(15), size * 5), time, partitions: 1);
        for (int i = 0; i < 20; i++)
        {
            await log.AppendAsync(Records.Make("k", $"y{i:00}", size: 100));
            time.Advance(TimeSpan.FromMinutes(1));
        }

        // Age keeps y05..y19 (15 records); size then keeps the newest 5.
        var result = await log.ApplyRetentionAsync();

        Assert.Equal(15, result.DeletedRecords);
        Assert.Equal(15, (await log.GetPartitionInfoAsync(0)).StartOffset);
    }

    [Fact]
    public async Task Retention_within_limits_deletes_nothing()
    {
        using var dir = new TempDirectory();
        var time = new ManualTimeProvider();
        await using var log = Open(dir, new RetentionPolicy(TimeSpan.FromDays(7), 1_000_000), time);
        await log.AppendBatchAsync(Enumerable.Range(0, 10).Select(i => Records.Make($"k{i}", $"e{i}")).ToList());

        Assert.Equal(new RetentionResult(0, 0), await log.ApplyRetentionAsync());
    }

    [Fact]
    public async Task Retention_runs_on_its_own_at_the_configured_interval()
    {
        using var dir = new TempDirectory();
        var time = new ManualTimeProvider();
        await using var log = SqliteEventLog.Open(TestLogs.Options(dir, 1) with
        {
            Retention = new RetentionPolicy(MaxAge: TimeSpan.FromMinutes(1)),
            RetentionInterval = TimeSpan.FromMilliseconds(50),
        }, time);
        await log.AppendAsync(Records.Make("k", "old"));
        time.Advance(TimeSpan.FromMinutes(2));

        // Bounded wait for the background pass (the timer uses real time); no timing is asserted.
        for (int i = 0; i < 600 && (await log.GetPartitionInfoAsync(0)).StartOffset == 0; i++) await Task.Delay(50);

        Assert.Equal(1, (await log.GetPartitionInfoAsync(0)).StartOffset);
        Assert.True(log.Statistics.RetentionPasses >= 1);
        Assert.Null(log.LastBackgroundRetentionError);
    }
}
