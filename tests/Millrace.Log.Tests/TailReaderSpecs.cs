using Millrace.Log.Sqlite;
using Millrace.Log.Tests.Support;

namespace Millrace.Log.Tests;

public class TailReaderSpecs
{
    [Fact]
    public async Task A_waiting_tail_reader_wakes_when_its_partition_gets_a_record()
    {
        using var dir = new TempDirectory();
        await using var log = TestLogs.Open(dir, partitions: 2);
        string mine = TestLogs.KeyFor(log, 0), other = TestLogs.KeyFor(log, 1);
        await log.AppendAsync(Records.Make(mine, "existing"));

        var wait = log.WaitForAppendAsync(0, 1).AsTask();
        await log.AppendAsync(Records.Make(other, "elsewhere"));
        Assert.False(wait.IsCompleted); // an append to another partition does not wake it
        await log.AppendAsync(Records.Make(mine, "new"));

        await wait.WaitAsync(TestLogs.Guard);
        Assert.Equal(2, (await log.GetPartitionInfoAsync(0)).NextOffset);
    }

    [Fact]
    public async Task A_reader_sees_only_published_records_so_a_checkpoint_after_what_it_read_is_always_accepted()
    {
        // A reader polling while appends commit: SQLite shows a commit to readers before the log has fsynced and
        // published it. Reads stop at the published next offset, so the reader never acts on a record a power cut
        // could take back, and its checkpoint never passes the published offset (the workflow trigger reader died on
        // that refusal).
        using var dir = new TempDirectory();
        var options = TestLogs.Options(dir, partitions: 1);
        // FULL: the fsync between SQLite's commit and the publish widens the window this spec is about
        await using var log = SqliteEventLog.Open(new SqliteEventLogOptions
        {
            Path = options.Path, PartitionCount = 1, SynchronousMode = SqliteSynchronousMode.Full, RetentionInterval = options.RetentionInterval,
        });
        const int Records = 1_500;
        var writer = Task.Run(async () =>
        {
            for (int i = 0; i < Records; i++) await log.AppendAsync(Support.Records.Make("k", $"r-{i}"));
        });
        long next = 0;
        var deadline = DateTime.UtcNow + TestLogs.Guard;
        while (next < Records && DateTime.UtcNow < deadline)
        {
            var page = await log.ReadAsync(0, next, 512);
            if (page.Count == 0) { await Task.Yield(); continue; }
            next = page[^1].Position.Offset + 1;
            await log.CommitCheckpointAsync("reader", 0, next); // throws if 'next' passed the published offset
        }
        await writer.WaitAsync(TestLogs.Guard);
        Assert.Equal(Records, next);
    }

    [Fact]
    public async Task Waiting_for_an_offset_that_already_exists_completes_at_once()
    {
        using var dir = new TempDirectory();
        await using var log = TestLogs.Open(dir, partitions: 1);
        await log.AppendAsync(Records.Make("k", "a"));

        Assert.True(log.WaitForAppendAsync(0, 0).IsCompleted);
        Assert.False(log.WaitForAppendAsync(0, 1).IsCompleted);
    }

    [Fact]
    public async Task Waiting_can_be_cancelled()
    {
        using var dir = new TempDirectory();
        await using var log = TestLogs.Open(dir, partitions: 1);
        using var cts = new CancellationTokenSource();

        var wait = log.WaitForAppendAsync(0, 0, cts.Token).AsTask();
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait.WaitAsync(TestLogs.Guard));
    }

    [Fact]
    public async Task Follow_yields_the_existing_records_then_keeps_following_new_ones()
    {
        using var dir = new TempDirectory();
        await using var log = TestLogs.Open(dir, partitions: 1);
        await log.AppendBatchAsync([Records.Make("k", "a"), Records.Make("k", "b"), Records.Make("k", "c")]);
        using var cts = new CancellationTokenSource(TestLogs.Guard);
        var seen = new List<string>();

        var follower = Task.Run(async () =>
        {
            await foreach (var entry in log.FollowAsync(0, 1, cts.Token))
            {
                seen.Add(entry.Record.Id);
                if (seen.Count == 3) return;
            }
        });
        await log.AppendAsync(Records.Make("k", "d"));
        await follower.WaitAsync(TestLogs.Guard);

        Assert.Equal(["b", "c", "d"], seen);
    }

    [Fact]
    public async Task Disposing_the_log_releases_waiting_tail_readers()
    {
        using var dir = new TempDirectory();
        var log = TestLogs.Open(dir, partitions: 1);
        var wait = log.WaitForAppendAsync(0, 0).AsTask();

        await log.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => wait.WaitAsync(TestLogs.Guard));
    }
}
