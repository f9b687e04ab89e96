using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Millrace.Core.Events;
using Millrace.Hub.Hosting;
using Millrace.Hub.Processing;
using Millrace.Hub.Processing.Checkpoints;
using Millrace.Hub.Processing.Emission;
using Millrace.Hub.Processing.Execution;
using Millrace.Pipeline.CrashHost;

namespace Millrace.Hub.Tests.Processing;

/// <summary>Shards running a (test) rules engine inside a real hub: emission, watermarks, checkpoints and restarts.</summary>
public sealed class RulesExecutionSpecs : IAsyncDisposable
{
    private const string Asset = "plant-01/line-1/m-01";
    private static readonly long T0 = new DateTimeOffset(2026, 11, 22, 6, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
    private readonly string _data = Path.Combine(Path.GetTempPath(), "millrace-rules-exec-" + Guid.NewGuid().ToString("n"));
    private readonly ManualClock _clock = new(DateTimeOffset.FromUnixTimeMilliseconds(T0));
    private readonly List<CounterQuantityEngine> _engines = [];

    [Fact]
    public async Task A_fact_becomes_a_CloudEvent_with_a_deterministic_id_the_asset_plant_fact_time_and_the_batch_trace()
    {
        await using var hub = await StartAsync();
        using var http = new HttpClient { BaseAddress = hub.BaseAddress };
        await ReleaseAsync(http, "PO-1", T0);
        const string traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/ingest/telemetry") { Content = Counters((T0 + 100, 20), (T0 + 200, 55)) })
        {
            request.Headers.Add("traceparent", traceparent);
            (await http.SendAsync(request)).EnsureSuccessStatusCode();
        }
        await hub.Pipeline.CheckpointAsync(); // returns once every fact found so far is durable

        var e = Assert.Single(await ReadFactsAsync(hub));
        Assert.Equal(FactId.For($"count/{Asset}/PO-1/0"), e.Id);
        Assert.Equal("millrace://rules/count", e.Source);
        Assert.Equal((Asset, "plant-01", Asset), (e.Subject, e.Plant, e.PartitionKey));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(T0 + 200), e.Time);
        Assert.Contains("4bf92f3577b34da6a3ce929d0e0e4736", e.TraceParent);
        using var data = JsonDocument.Parse(e.Data);
        Assert.Equal((55.0, "PO-1"), (data.RootElement.GetProperty("good").GetDouble(), data.RootElement.GetProperty("orderId").GetString()));
    }

    [Fact]
    public async Task Watermarks_follow_event_time_minus_lateness_and_a_silent_shard_moves_on_by_the_wall_clock()
    {
        await using var hub = await StartAsync();
        using var http = new HttpClient { BaseAddress = hub.BaseAddress };
        (await http.PostAsync("/ingest/telemetry", Counters((T0 + 10_000, 1)))).EnsureSuccessStatusCode();
        await hub.Pipeline.TickAsync(); // queued behind the batch: the batch has been processed
        var engine = _engines.Single(e => e.Watermarks.Count > 0);
        Assert.Equal(T0 + 8_000, engine.Watermarks[^1]);

        _clock.Advance(TimeSpan.FromSeconds(1)); // silent for less than the idle timeout: nothing moves
        await hub.Pipeline.TickAsync();
        Assert.Equal(T0 + 8_000, engine.Watermarks[^1]);

        _clock.Advance(TimeSpan.FromSeconds(2)); // silent for 3 s: event time moves on by 3 s
        await hub.Pipeline.TickAsync();
        Assert.Equal(T0 + 11_000, engine.Watermarks[^1]);
    }

    [Fact]
    public async Task A_restarted_hub_resumes_its_counters_from_the_checkpoint_neither_losing_nor_recounting()
    {
        await using (var first = await StartAsync())
        {
            using var http = new HttpClient { BaseAddress = first.BaseAddress };
            await ReleaseAsync(http, "PO-1", T0);
            (await http.PostAsync("/ingest/telemetry", Counters((T0 + 100, 50), (T0 + 200, 70)))).EnsureSuccessStatusCode();
        } // clean stop: last checkpoint holds 20 counted but not yet emitted, and the counter at 70

        await using var second = await StartAsync();
        using (var http = new HttpClient { BaseAddress = second.BaseAddress })
        {
            // Re-sent old samples count nothing; the counter moving 70 -> 100 completes the second chunk of 50.
            (await http.PostAsync("/ingest/telemetry", Counters((T0 + 100, 50), (T0 + 200, 70), (T0 + 300, 100)))).EnsureSuccessStatusCode();
        }
        await second.Pipeline.CheckpointAsync();
        var facts = await ReadFactsAsync(second);
        Assert.Equal([50.0, 50.0], facts.Select(f => JsonDocument.Parse(f.Data).RootElement.GetProperty("good").GetDouble()).Order());
        Assert.Equal(2, facts.Select(f => f.Id).Distinct().Count());
    }

    [Fact]
    public void A_shard_count_other_than_the_checkpoints_is_refused_and_an_unset_one_follows_them()
    {
        ShardCheckpoint[] saved = [new(0, 3, 0, 0, [], [], DateTimeOffset.UnixEpoch)];
        Assert.Equal(3, RulesExecution.ResolveShardCount(0, saved));
        Assert.Equal(3, RulesExecution.ResolveShardCount(3, saved));
        var refused = Assert.Throws<ArgumentException>(() => RulesExecution.ResolveShardCount(4, saved));
        Assert.Contains("written with 3 telemetry shards, not 4", refused.Message);
        Assert.Equal(5, RulesExecution.ResolveShardCount(5, []));
    }

    private async Task<HubHost> StartAsync()
    {
        var processing = new HubProcessing(null, setup =>
        {
            var engine = new CounterQuantityEngine(CrashHostSetup.Catalog, setup.Context);
            lock (_engines) _engines.Add(engine);
            return engine;
        })
        {
            // The clock only moves when the test says so; periodic work is driven by hand (TickAsync, CheckpointAsync).
            Options = new ProcessingOptions { Time = _clock, TickInterval = TimeSpan.FromHours(1), CheckpointInterval = TimeSpan.FromHours(1) },
        };
        return await CrashHostSetup.StartHubAsync(_data, processing);
    }

    private static async Task<List<CloudEvent>> ReadFactsAsync(HubHost hub)
    {
        var facts = new List<CloudEvent>();
        for (int p = 0; p < hub.Log.PartitionCount; p++)
            foreach (var entry in await hub.Log.ReadAsync(p, 0, 10_000))
                if (entry.Record.Type == CounterQuantityEngine.EventType) facts.Add(CloudEventJsonReader.Parse(entry.Record.Payload.Span));
        return facts;
    }

    private static StringContent Counters(params (long Ts, int Value)[] samples)
        => new("[" + string.Join(",", samples.Select(s => $"{{\"asset\":\"{Asset}\",\"signal\":\"good_count\",\"value\":{s.Value},\"ts\":{s.Ts}}}")) + "]",
            Encoding.UTF8, "application/json");

    private static async Task ReleaseAsync(HttpClient http, string order, long timeMs)
    {
        var e = new CloudEvent
        {
            Id = order + "-released", Source = "/test/erp", Type = "com.acme.production.order.released.v1", Subject = order,
            Time = DateTimeOffset.FromUnixTimeMilliseconds(timeMs), DataKind = CloudEventDataKind.Json, DataContentType = "application/json",
            PartitionKey = "plant-01/line-1",
            Data = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object> { ["orderId"] = order, ["line"] = "plant-01/line-1", ["material"] = "FG-1" }),
        };
        using var content = new ByteArrayContent(CloudEventJsonWriter.Serialize(e));
        content.Headers.ContentType = new MediaTypeHeaderValue(CloudEventMediaTypes.Structured);
        (await http.PostAsync("/ingest/events", content)).EnsureSuccessStatusCode();
    }

    public ValueTask DisposeAsync()
    {
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { }
        return ValueTask.CompletedTask;
    }

    /// <summary>A clock the test moves by hand (timers are not used: the intervals are an hour).</summary>
    private sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        private long _ticks = start.UtcTicks;
        public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);
        public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
    }
}
