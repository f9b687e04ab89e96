using System.Net;
using System.Text.Json;
using Millrace.Core.Events;

namespace Millrace.Hub.Tests.Ingest;

public class EventIngestTests
{
    private const string Released = """
        {"specversion":"1.0","id":"rel-1","source":"/acme/erp","type":"com.acme.production.order.released.v1",
         "subject":"PO-1001","time":"2026-11-22T06:00:00Z","partitionkey":"plant-01/line-1","plant":"plant-01",
         "datacontenttype":"application/json","data":{"order":"PO-1001","material":"FG-100","quantity":500}}
        """;

    [Fact]
    public async Task Structured_event_is_appended_durably_with_a_traceparent_and_answered_202()
    {
        await using var f = await HubFixture.StartAsync();
        var response = await f.PostAsync("/ingest/events", Released, CloudEventMediaTypes.Structured);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        string position = body.RootElement.GetProperty("positions")[0].GetString()!;
        int partition = f.Hub.Log.PartitionOf("plant-01/line-1");
        Assert.Equal($"{partition}:0", position);

        var entry = Assert.Single(await f.Hub.Log.ReadAsync(partition, 0, 10));
        var stored = CloudEventJsonReader.Parse(entry.Record.Payload.Span);
        Assert.Equal("rel-1", stored.Id);
        Assert.NotNull(stored.TraceParent);
        Assert.Contains(body.RootElement.GetProperty("traceId").GetString()!, stored.TraceParent);
    }

    [Fact]
    public async Task Caller_traceparent_is_kept_in_the_envelope()
    {
        await using var f = await HubFixture.StartAsync();
        const string traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        var withTrace = Released.Replace("\"plant\":\"plant-01\"", $"\"plant\":\"plant-01\",\"traceparent\":\"{traceparent}\"");
        Assert.Equal(HttpStatusCode.Accepted, (await f.PostAsync("/ingest/events", withTrace)).StatusCode);
        var entry = Assert.Single(await f.Hub.Log.ReadAsync(f.Hub.Log.PartitionOf("plant-01/line-1"), 0, 10));
        Assert.Equal(traceparent, CloudEventJsonReader.Parse(entry.Record.Payload.Span).TraceParent);
    }

    [Fact]
    public async Task Batch_with_one_bad_event_appends_nothing_and_names_the_field()
    {
        await using var f = await HubFixture.StartAsync();
        var bad = Released.Replace("\"source\":\"/acme/erp\",", "").Replace("rel-1", "rel-2");
        var response = await f.PostAsync("/ingest/events", $"[{Released},{bad}]", CloudEventMediaTypes.Batch);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = Assert.Single(problem.RootElement.GetProperty("errors").EnumerateArray());
        Assert.Equal("/1/source", error.GetProperty("pointer").GetString());
        Assert.Equal("required attribute is missing", error.GetProperty("detail").GetString());
        Assert.Equal(0, (await f.Hub.Log.GetInfoAsync()).Partitions.Sum(p => p.NextOffset));
        var letter = Assert.Single(await f.Hub.DeadLetters.ListAsync());
        Assert.Equal("/1/source", letter.Pointer);
    }

    [Fact]
    public async Task Event_naming_an_unknown_plant_is_refused()
    {
        await using var f = await HubFixture.StartAsync();
        var response = await f.PostAsync("/ingest/events", Released.Replace("\"plant\":\"plant-01\"", "\"plant\":\"plant-77\""));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = Assert.Single(problem.RootElement.GetProperty("errors").EnumerateArray());
        Assert.Equal("/plant", error.GetProperty("pointer").GetString());
        Assert.Equal("unknown plant 'plant-77'", error.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Valid_batch_is_appended_in_order_atomically()
    {
        await using var f = await HubFixture.StartAsync();
        var events = Enumerable.Range(0, 10).Select(i => Released.Replace("rel-1", $"rel-{i}"));
        var response = await f.PostAsync("/ingest/events", "[" + string.Join(",", events) + "]");
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var entries = await f.Hub.Log.ReadAsync(f.Hub.Log.PartitionOf("plant-01/line-1"), 0, 100);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"rel-{i}"), entries.Select(e => e.Record.Id));
    }
}
