using System.Net;
using System.Text.Json;
using Millrace.Core.Events;
using Millrace.Hub.Tests.Governance.Enforcement;

namespace Millrace.Hub.Tests.Ingest;

public class EventIngestTests
{
    private const string Released = """
        {"specversion":"1.0","id":"rel-1","source":"/acme/erp","type":"com.acme.production.order.released.v1",
         "subject":"PO-1001","time":"2026-11-22T06:00:00Z","partitionkey":"plant-01/line-1","plant":"plant-01",
         "datacontenttype":"application/json",
         "data":{"orderId":"PO-1001","plant":"plant-01","line":"plant-01/line-1","material":"FG-100",
                 "plannedQuantity":{"value":500,"unit":"pcs"},"operations":[{"operation":"0010","workCenter":"CNC01"}],
                 "releasedAt":"2026-11-22T05:40:00Z"}}
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
        Assert.Equal("admitted", body.RootElement.GetProperty("results")[0].GetProperty("outcome").GetString());

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
        var withTrace = Released.Replace("\"plant\":\"plant-01\",\"datacontenttype\"", $"\"plant\":\"plant-01\",\"traceparent\":\"{traceparent}\",\"datacontenttype\"")
            .Replace("\"plant\":\"plant-01\",\n", $"\"plant\":\"plant-01\",\"traceparent\":\"{traceparent}\",\n");
        Assert.Contains(traceparent, withTrace);
        Assert.Equal(HttpStatusCode.Accepted, (await f.PostAsync("/ingest/events", withTrace)).StatusCode);
        var entry = Assert.Single(await f.Hub.Log.ReadAsync(f.Hub.Log.PartitionOf("plant-01/line-1"), 0, 10));
        Assert.Equal(traceparent, CloudEventJsonReader.Parse(entry.Record.Payload.Span).TraceParent);
    }

    [Fact]
    public async Task Batch_with_one_bad_envelope_appends_the_good_events_and_quarantines_the_bad_one_naming_the_field()
    {
        await using var f = await HubFixture.StartAsync();
        var bad = Released.Replace("\"source\":\"/acme/erp\",", "").Replace("rel-1", "rel-2");
        var third = Released.Replace("rel-1", "rel-3");
        var response = await f.PostAsync("/ingest/events", $"[{Released},{bad},{third}]", CloudEventMediaTypes.Batch);

        Assert.Equal(HttpStatusCode.MultiStatus, response.StatusCode);
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(2, answer.RootElement.GetProperty("accepted").GetInt32());
        Assert.Equal(1, answer.RootElement.GetProperty("quarantined").GetInt32());
        var results = answer.RootElement.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(["admitted", "quarantined", "admitted"], results.Select(r => r.GetProperty("outcome").GetString()));
        var error = Assert.Single(results[1].GetProperty("errors").EnumerateArray());
        Assert.Equal("/source", error.GetProperty("instanceLocation").GetString());
        Assert.Equal("required attribute is missing", error.GetProperty("error").GetString());

        var entries = await f.Hub.Log.ReadAsync(f.Hub.Log.PartitionOf("plant-01/line-1"), 0, 10);
        Assert.Equal(["rel-1", "rel-3"], entries.Select(e => e.Record.Id));
        var item = Assert.Single(await f.Hub.Quarantine.ListAsync(new()));
        Assert.Equal(results[1].GetProperty("quarantineId").GetInt64(), item.Id);
        Assert.Equal("envelope", item.ReasonClass);
        Assert.Equal(bad.Trim(), System.Text.Encoding.UTF8.GetString(item.Payload.Span)); // the raw element, verbatim
        Assert.Empty(await f.Hub.DeadLetters.ListAsync()); // quarantine, not dead letters: it can be corrected
    }

    [Fact]
    public async Task Event_naming_an_unknown_plant_is_quarantined_and_answered_422()
    {
        await using var f = await HubFixture.StartAsync();
        var response = await f.PostAsync("/ingest/events", Released.Replace("\"plant\":\"plant-01\",\n", "\"plant\":\"plant-77\",\n"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("reference", problem.RootElement.GetProperty("reasonClass").GetString());
        var error = Assert.Single(problem.RootElement.GetProperty("errors").EnumerateArray());
        Assert.Equal("/plant", error.GetProperty("instanceLocation").GetString());
        Assert.Equal("unknown plant 'plant-77'", error.GetProperty("error").GetString());
        Assert.Equal(1, f.Hub.Quarantine.OpenCount);
        Assert.Equal(0, (await f.Hub.Log.GetInfoAsync()).Partitions.Sum(p => p.NextOffset));
    }

    [Fact]
    public async Task Valid_batch_is_appended_in_order_and_answered_202()
    {
        await using var f = await HubFixture.StartAsync();
        var events = Enumerable.Range(0, 10).Select(i => Released.Replace("rel-1", $"rel-{i}"));
        var response = await f.PostAsync("/ingest/events", "[" + string.Join(",", events) + "]");
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var entries = await f.Hub.Log.ReadAsync(f.Hub.Log.PartitionOf("plant-01/line-1"), 0, 100);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"rel-{i}"), entries.Select(e => e.Record.Id));
    }

    [Fact]
    public async Task Body_that_is_not_json_is_refused_whole_with_400_and_kept_as_a_dead_letter()
    {
        await using var f = await HubFixture.StartAsync();
        var response = await f.PostAsync("/ingest/events", "[" + Released + ",", CloudEventMediaTypes.Batch);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var letter = Assert.Single(await f.Hub.DeadLetters.ListAsync());
        Assert.StartsWith("malformed JSON", letter.Reason);
        Assert.Equal(0, f.Hub.Quarantine.OpenCount);
    }

    [Fact]
    public async Task Completed_event_breaking_its_schema_is_quarantined_with_the_instance_and_keyword_locations()
    {
        await using var f = await HubFixture.StartAsync();
        var response = await f.PostAsync("/ingest/events", AcmeEvents.CompletedWithGoodAsText("c-1", "plant-01").ToJsonString(), CloudEventMediaTypes.Structured);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("schema", problem.RootElement.GetProperty("reasonClass").GetString());
        var error = Assert.Single(problem.RootElement.GetProperty("errors").EnumerateArray());
        Assert.Equal("/data/good", error.GetProperty("instanceLocation").GetString());
        Assert.Equal("/properties/good/type", error.GetProperty("keywordLocation").GetString());
        var item = await f.Hub.Quarantine.GetAsync(problem.RootElement.GetProperty("quarantineId").GetInt64());
        Assert.Equal("http:/ingest/events", item!.Source);
        Assert.Equal(AcmeEvents.CompletedType, item.EventType);
        Assert.Equal("c-1", item.EventId);
        Assert.Equal(problem.RootElement.GetProperty("traceId").GetString(), item.TraceId);
    }
}
