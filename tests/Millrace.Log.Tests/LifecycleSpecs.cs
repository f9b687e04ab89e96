using Millrace.Log.Sqlite;
using Millrace.Log.Tests.Support;

namespace Millrace.Log.Tests;

public class LifecycleSpecs
{
    [Fact]
    public async Task Disposing_commits_every_append_already_queued()
    {
        using var dir = new TempDirectory();
        var log = TestLogs.Open(dir, partitions: 1);
        var pending = Enumerable.Range(0, 500).Select(i => log.AppendAsync(Records.Make("k", $"e{i}")).AsTask()).ToList();

        await log.DisposeAsync();

        var positions = await Task.WhenAll(pending).WaitAsync(TestLogs.Guard);
        Assert.Equal(Enumerable.Range(0, 500).Select(i => (long)i), positions.Select(p => p.Offset));
        await using var reopened = TestLogs.Open(dir, partitions: 1);
        Assert.Equal(500, (await reopened.GetPartitionInfoAsync(0)).NextOffset);
    }

    [Fact]
    public async Task A_disposed_log_refuses_work()
    {
        using var dir = new TempDirectory();
        var log = TestLogs.Open(dir, partitions: 1);
        await log.DisposeAsync();
        await log.DisposeAsync(); // idempotent

        await Assert.ThrowsAsync<ObjectDisposedException>(() => log.AppendAsync(Records.Make("k", "late")).AsTask());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => log.AppendBatchAsync([Records.Make("k", "late")]).AsTask());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => log.ReadAsync(0, 0, 1).AsTask());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => log.CommitCheckpointAsync("g", 0, 0).AsTask());
    }

    [Fact]
    public async Task Reopening_with_a_different_partition_count_is_refused()
    {
        using var dir = new TempDirectory();
        await using (var log = TestLogs.Open(dir, partitions: 4)) await log.AppendAsync(Records.Make("k", "a"));

        var error = Assert.Throws<InvalidOperationException>(() => TestLogs.Open(dir, partitions: 8));

        Assert.Contains("created with 4 partitions", error.Message);
        Assert.Contains("PartitionCount = 8", error.Message);
        await using var same = TestLogs.Open(dir, partitions: 4); // the refused open left the file usable
        Assert.Equal(1, (await same.GetInfoAsync()).Partitions.Sum(p => p.RetainedCount));
    }

    [Fact]
    public async Task A_log_cannot_be_opened_twice()
    {
        using var dir = new TempDirectory();
        await using var first = TestLogs.Open(dir);

        var error = Assert.Throws<InvalidOperationException>(() => TestLogs.Open(dir));

        Assert.Contains("already open", error.Message);
    }

    public static TheoryData<string, Func<SqliteEventLogOptions, SqliteEventLogOptions>> InvalidOptions => new()
    {
        { "Path", o => o with { Path = " " } },
        { "PartitionCount", o => o with { PartitionCount = 0 } },
        { "PartitionCount", o => o with { PartitionCount = 5000 } },
        { "MaxBatchSize", o => o with { MaxBatchSize = 0 } },
        { "MaxBatchDelay", o => o with { MaxBatchDelay = TimeSpan.FromSeconds(-1) } },
        { "MaxPendingAppends", o => o with { MaxPendingAppends = 0 } },
        { "SynchronousMode", o => o with { SynchronousMode = (SqliteSynchronousMode)7 } },
        { "Retention", o => o with { Retention = new RetentionPolicy(MaxAge: TimeSpan.Zero) } },
        { "Retention", o => o with { Retention = new RetentionPolicy(MaxBytes: -1) } },
        { "Retention", o => o with { Retention = null! } },
        { "RetentionInterval", o => o with { RetentionInterval = TimeSpan.Zero } },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void Invalid_options_are_refused_naming_the_setting(string setting, Func<SqliteEventLogOptions, SqliteEventLogOptions> spoil)
    {
        using var dir = new TempDirectory();

        var error = Assert.Throws<ArgumentException>(() => SqliteEventLog.Open(spoil(TestLogs.Options(dir))));

        Assert.Equal(setting, error.ParamName);
        Assert.Contains($"SqliteEventLogOptions.{setting}", error.Message);
        Assert.False(File.Exists(dir.File("events.db")));
    }

    [Fact]
    public async Task Invalid_records_are_refused_before_they_can_spoil_a_group_commit()
    {
        using var dir = new TempDirectory();
        await using var log = TestLogs.Open(dir, partitions: 1);

        await Assert.ThrowsAsync<ArgumentNullException>(() => log.AppendAsync(null!).AsTask());
        var noId = await Assert.ThrowsAsync<ArgumentException>(() => log.AppendAsync(Records.Make("k", "x") with { Id = "" }).AsTask());
        Assert.Contains("Id", noId.Message);
        await Assert.ThrowsAsync<ArgumentException>(() => log.AppendAsync(Records.Make("k", "x") with { PartitionKey = null! }).AsTask());
        var huge = await Assert.ThrowsAsync<ArgumentException>(() => log.AppendAsync(Records.Make("k", "big", size: LogRecordRules.MaxPayloadBytes + 1)).AsTask());
        Assert.Contains("payload", huge.Message);
        var inBatch = await Assert.ThrowsAsync<ArgumentException>(() => log.AppendBatchAsync([Records.Make("k", "ok"), Records.Make("k", "x") with { Id = "" }]).AsTask());
        Assert.Equal("records[1]", inBatch.ParamName);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => log.ReadAsync(1, 0, 10).AsTask());
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => log.ReadAsync(0, -1, 10).AsTask());
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => log.ReadAsync(0, 0, 0).AsTask());

        Assert.Equal(0, (await log.GetPartitionInfoAsync(0)).NextOffset); // nothing half-appended
    }
}
