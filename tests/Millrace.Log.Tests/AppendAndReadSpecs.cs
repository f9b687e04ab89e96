using Microsoft.Data.Sqlite;
using Millrace.Log.Tests.Support;

namespace Millrace.Log.Tests;

public class AppendAndReadSpecs
{
    [Fact]
    public async Task Read_returns_the_record_exactly_as_appended()
    {
        using var dir = new TempDirectory();
        var time = new ManualTimeProvider();
        await using var log = TestLogs.Open(dir, time: time);
        var eventTime = new DateTimeOffset(2026, 11, 22, 10, 15, 30, 123, TimeSpan.FromHours(-5)).AddTicks(4567);
        var record = new LogRecord("press-7", "evt-1", "com.millrace.press.cycle", eventTime, "{\"cycle\":42}"u8.ToArray());

        LogPosition position = await log.AppendAsync(record);

        Assert.Equal(new LogPosition(log.PartitionOf("press-7"), 0), position);
        var page = await log.ReadAsync(position.Partition, 0, 10);
        var entry = Assert.Single(page);
        Assert.Equal(position, entry.Position);
        Assert.Equal(time.GetUtcNow(), entry.AppendedAt);
        Assert.Equal(record.PartitionKey, entry.Record.PartitionKey);
        Assert.Equal(record.Id, entry.Record.Id);
        Assert.Equal(record.Type, entry.Record.Type);
        Assert.Equal(eventTime, entry.Record.Timestamp);
        Assert.Equal(eventTime.Offset, entry.Record.Timestamp.Offset);
        Assert.Equal(record.Payload.ToArray(), entry.Record.Payload.ToArray());
    }

    [Fact]
    public async Task Empty_key_empty_payload_and_missing_type_round_trip()
    {
        using var dir = new TempDirectory();
        await using var log = TestLogs.Open(dir);

        var position = await log.AppendAsync(new LogRecord("", "e", null, Records.EventTime, ReadOnlyMemory<byte>.Empty));

        var entry = Assert.Single(await log.ReadAsync(position.Partition, 0, 10));
        Assert.Equal("", entry.Record.PartitionKey);
        Assert.Null(entry.Record.Type);
        Assert.Equal(0, entry.Record.Payload.Length);
    }

    [Fact]
    public async Task Append_acknowledges_only_after_commit()
    {
        using var dir = new TempDirectory();
        await using var log = TestLogs.Open(dir);

        var position = await log.AppendAsync(Records.Make("k", "committed-1"));

        // An independent connection (no shared cache) sees the row as soon as the append is acknowledged.
        await using var other = new SqliteConnection($"Data Source={dir.File("events.db")};Mode=ReadOnly;Pooling=False");
        other.Open();
        using var cmd = other.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM log_chunks";
        Assert.Equal(1L, cmd.ExecuteScalar());
        Assert.Equal(1, (await log.GetPartitionInfoAsync(position.Partition)).NextOffset);
    }

    [Fact]
    public async Task Offsets_are_dense_and_each_producer_is_ordered_per_partition_under_concurrent_appenders()
    {
        using var dir = new TempDirectory();
        await using var log = TestLogs.Open(dir);
        const int producers = 8, perProducer = 300;

        var acks = await Task.WhenAll(Enumerable.Range(0, producers).Select(p => Task.Run(async () =>
        {
            var mine = new List<(LogPosition Position, string Id)>();
            for (int s = 0; s < perProducer; s++)
            {
                string id = $"p{p}-{s}";
                mine.Add((await log.AppendAsync(Records.Make($"key-{(p + s) % 5}", id)), id));
            }

            return mine;
        })));

        var byId = acks.SelectMany(a => a).ToDictionary(a => a.Id, a => a.Position);
        Assert.Equal(producers * perProducer, byId.Count);
        long total = 0;
        for (int partition = 0; partition < log.PartitionCount; partition++)
        {
            var entries = await TestLogs.ReadAll(log, partition);
            total += entries.Count;
            Assert.Equal(Enumerable.Range(0, entries.Count).Select(i => (long)i), entries.Select(e => e.Position.Offset));
            foreach (var e in entries) Assert.Equal(byId[e.Record.Id], e.Position);
            foreach (var producer in entries.GroupBy(e => e.Record.Id.Split('-')[0]))
            {
                var sequence = producer.Select(e => int.Parse(e.Record.Id.Split('-')[1])).ToList();
                Assert.Equal(sequence.Order(), sequence);
            }
        }

        Assert.Equal(producers * perProducer, total);
    }

    [Fact]
    public async Task Batch_append_is_committed_in_order_and_returns_positions_index_for_index()
    {
        using var dir = new TempDirectory();
        await using var log = TestLogs.Open(dir, partitions: 2);
        string key = TestLogs.KeyFor(log, 1);
        await log.AppendAsync(Records.Make(key, "before"));
        var batch = Enumerable.Range(0, 50).Select(i => Records.Make(i % 2 == 0 ? key : TestLogs.KeyFor(log, 0), $"b{i}")).ToList();

        var positions = await log.AppendBatchAsync(batch);

        Assert.Equal(50, positions.Count);
        for (int i = 0; i < 50; i++)
        {
            var page = await log.ReadAsync(positions[i].Partition, positions[i].Offset, 1);
            Assert.Equal($"b{i}", Assert.Single(page).Record.Id);
        }

        Assert.Equal(Enumerable.Range(1, 25).Select(i => (long)i), positions.Where(p => p.Partition == 1).Select(p => p.Offset));
        Assert.Empty(await log.AppendBatchAsync([]));
    }

    [Fact]
    public async Task Read_pages_from_an_offset_up_to_the_maximum_count()
    {
        using var dir = new TempDirectory();
        await using var log = TestLogs.Open(dir, partitions: 1);
        await log.AppendBatchAsync(Enumerable.Range(0, 30).Select(i => Records.Make("k", $"e{i}")).ToList());

        var page = await log.ReadAsync(0, 10, 7);

        Assert.Equal(Enumerable.Range(10, 7).Select(i => $"e{i}"), page.Select(e => e.Record.Id));
        Assert.Empty(await log.ReadAsync(0, 30, 7));
        Assert.Equal("e29", Records.PayloadText((await log.ReadAsync(0, 29, 7))[0]));
    }

    [Fact]
    public async Task A_commit_group_larger_than_one_chunk_reads_back_whole_and_in_order()
    {
        using var dir = new TempDirectory();
        await using var log = TestLogs.Open(dir, partitions: 1);
        // ~6 MiB in one transaction for one partition: more than one 4 MiB chunk row.
        var batch = Enumerable.Range(0, 6000).Select(i => Records.Make("k", $"big{i}", size: 1024)).ToList();

        await log.AppendBatchAsync(batch);

        var all = await TestLogs.ReadAll(log, 0);
        Assert.Equal(batch.Select(r => r.Id), all.Select(e => e.Record.Id));
        Assert.All(all, e => Assert.Equal(e.Record.Id, Records.PayloadText(e)));
        Assert.Equal(["big4999", "big5000"], (await log.ReadAsync(0, 4999, 2)).Select(e => e.Record.Id));
    }

    [Fact]
    public async Task Records_survive_reopening_and_new_appends_continue_the_offsets()
    {
        using var dir = new TempDirectory();
        await using (var log = TestLogs.Open(dir, partitions: 1))
            await log.AppendBatchAsync([Records.Make("k", "a"), Records.Make("k", "b")]);

        await using var reopened = TestLogs.Open(dir, partitions: 1);
        var position = await reopened.AppendAsync(Records.Make("k", "c"));

        Assert.Equal(2, position.Offset);
        Assert.Equal(["a", "b", "c"], (await TestLogs.ReadAll(reopened, 0)).Select(e => e.Record.Id));
    }

    [Fact]
    public async Task Info_reports_offsets_and_the_logical_size_of_retained_records()
    {
        using var dir = new TempDirectory();
        await using var log = TestLogs.Open(dir, partitions: 2);
        var record = Records.Make(TestLogs.KeyFor(log, 1), "sized", size: 1000);
        await log.AppendBatchAsync([record, record with { Id = "sized-2" }]);

        var info = await log.GetInfoAsync();

        Assert.Equal(2, info.Partitions.Count);
        Assert.Equal(new PartitionInfo(1, 0, 2, RecordSize.Of(record) * 2 + 2), info.Partitions[1]);
        Assert.Equal(0, info.Partitions[0].RetainedCount);
        Assert.Equal(info.Partitions[1].RetainedBytes, info.RetainedBytes);
        Assert.True(info.StorageBytes >= 2000);
    }
}
