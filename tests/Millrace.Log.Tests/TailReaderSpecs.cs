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
