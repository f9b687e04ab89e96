using Millrace.Log.Sqlite;
using Millrace.Log.Tests.Support;

namespace Millrace.Log.Tests;

public class ReplaySpecs
{
    [Fact]
    public async Task Replay_by_time_starts_at_the_first_record_appended_at_or_after_that_time()
    {
        using var dir = new TempDirectory();
        var time = new ManualTimeProvider();
        DateTimeOffset start = time.GetUtcNow();
        await using var log = TestLogs.Open(dir, partitions: 1, time: time);
        for (int minute = 0; minute < 10; minute++)
        {
            await log.AppendBatchAsync([Records.Make("k", $"m{minute}a"), Records.Make("k", $"m{minute}b")]);
            time.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.Equal(0, await log.FindOffsetAsync(0, start.AddHours(-1)));
        Assert.Equal(0, await log.FindOffsetAsync(0, start));
        Assert.Equal(8, await log.FindOffsetAsync(0, start.AddMinutes(4)));
        Assert.Equal(10, await log.FindOffsetAsync(0, start.AddMinutes(4).AddTicks(1)));
        Assert.Equal(20, await log.FindOffsetAsync(0, start.AddHours(1)));
        var replay = await log.ReadAsync(0, await log.FindOffsetAsync(0, start.AddMinutes(7)), 100);
        Assert.Equal(["m7a", "m7b", "m8a", "m8b", "m9a", "m9b"], replay.Select(e => e.Record.Id));
    }

    [Fact]
    public async Task Replay_by_time_honours_the_caller_time_zone()
    {
        using var dir = new TempDirectory();
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero));
        await using var log = TestLogs.Open(dir, partitions: 1, time: time);
        await log.AppendAsync(Records.Make("k", "noon-utc"));

        Assert.Equal(0, await log.FindOffsetAsync(0, new DateTimeOffset(2026, 11, 22, 13, 0, 0, TimeSpan.FromHours(1))));
        Assert.Equal(1, await log.FindOffsetAsync(0, new DateTimeOffset(2026, 11, 22, 13, 0, 1, TimeSpan.FromHours(1))));
    }

    [Fact]
    public async Task Append_times_never_go_backwards_in_a_partition_even_when_the_clock_does()
    {
        using var dir = new TempDirectory();
        var time = new ManualTimeProvider();
        await using var log = TestLogs.Open(dir, partitions: 1, time: time);
        await log.AppendAsync(Records.Make("k", "first"));
        time.Advance(TimeSpan.FromMinutes(-10));
        await log.AppendAsync(Records.Make("k", "after-clock-step-back"));

        var entries = await TestLogs.ReadAll(log, 0);

        Assert.Equal(entries[0].AppendedAt, entries[1].AppendedAt);
    }

    [Fact]
    public async Task Reading_from_an_offset_removed_by_retention_starts_at_the_oldest_kept_record()
    {
        using var dir = new TempDirectory();
        var time = new ManualTimeProvider();
        await using var log = SqliteEventLog.Open(TestLogs.Options(dir, 1) with { Retention = new RetentionPolicy(MaxAge: TimeSpan.FromMinutes(30)) }, time);
        await log.AppendBatchAsync(Enumerable.Range(0, 5).Select(i => Records.Make("k", $"old{i}")).ToList());
        time.Advance(TimeSpan.FromHours(1));
        await log.AppendBatchAsync(Enumerable.Range(0, 3).Select(i => Records.Make("k", $"new{i}")).ToList());
        await log.ApplyRetentionAsync();

        var page = await log.ReadAsync(0, 1, 10);

        Assert.Equal([5L, 6L, 7L], page.Select(e => e.Position.Offset));
    }
}
