using Microsoft.Data.Sqlite;
using Millrace.Log.Sqlite;
using Millrace.Log.Tests.Support;

namespace Millrace.Log.Tests;

public class BackPressureSpecs
{
    [Fact]
    public async Task Appends_wait_for_room_when_the_queue_is_full_and_only_a_waiting_append_can_be_cancelled()
    {
        using var dir = new TempDirectory();
        // MaxBatchSize 1: the writer takes at most one record before it stalls, so however fast it drains, at least
        // 50 - 1 - 2 appends are left waiting for room (a larger batch let it swallow all 50 on a fast machine).
        await using var log = SqliteEventLog.Open(TestLogs.Options(dir, 1) with { MaxPendingAppends = 2, MaxBatchSize = 1 });
        await log.AppendAsync(Records.Make("k", "warm-up"));

        // Stall the writer: another connection holds SQLite's write lock, so the writer blocks in BEGIN.
        using var blocker = new SqliteConnection($"Data Source={dir.File("events.db")};Pooling=False");
        blocker.Open();
        using (var begin = blocker.CreateCommand()) { begin.CommandText = "BEGIN IMMEDIATE;"; begin.ExecuteNonQuery(); }

        using var cts = new CancellationTokenSource();
        var appends = Enumerable.Range(0, 50).Select(i => log.AppendAsync(Records.Make("k", $"e{i}"), cts.Token).AsTask()).ToList();
        // The writer holds the one it drained before stalling and the queue holds 2: the rest are waiting for room.
        Assert.Equal(50, appends.Count(a => !a.IsCompleted));
        cts.Cancel();
        using (var rollback = blocker.CreateCommand()) { rollback.CommandText = "ROLLBACK;"; rollback.ExecuteNonQuery(); }

        await Task.WhenAll(appends.Select(a => a.ContinueWith(_ => { }))).WaitAsync(TestLogs.Guard);
        var cancelled = appends.Where(a => a.IsCanceled).ToList();
        var committed = appends.Where(a => a.IsCompletedSuccessfully).Select(a => a.Result).ToList();
        Assert.True(cancelled.Count >= 47, $"{cancelled.Count} cancelled");
        Assert.Equal(50, cancelled.Count + committed.Count);
        // Every append that was queued got committed; the cancelled ones left nothing behind.
        Assert.Equal(Enumerable.Range(1, committed.Count).Select(i => (long)i), committed.Select(p => p.Offset).Order());
        Assert.Equal(1 + committed.Count, (await TestLogs.ReadAll(log, 0)).Count);
    }
}
