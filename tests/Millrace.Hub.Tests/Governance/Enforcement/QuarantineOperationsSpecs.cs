using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Millrace.Core.Events;
using Millrace.Hub.DeadLetters;

namespace Millrace.Hub.Tests.Governance.Enforcement;

/// <summary>The quarantine over HTTP: list, show, correct and resubmit, discard.</summary>
public sealed class QuarantineOperationsSpecs
{
    private static async Task<long> QuarantineAsync(HubFixture f, string id, string plant = "plant-01")
    {
        var response = await f.PostAsync("/ingest/events", AcmeEvents.CompletedWithGoodAsText(id, plant).ToJsonString(), CloudEventMediaTypes.Structured);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return problem.RootElement.GetProperty("quarantineId").GetInt64();
    }

    private static Task<HttpResponseMessage> ResubmitAsync(HubFixture f, long id, string? corrected, string by = "jane.doe")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/quarantine/{id}/resubmit");
        if (corrected is not null) request.Content = new StringContent(corrected, Encoding.UTF8, CloudEventMediaTypes.Structured);
        request.Headers.Add("Millrace-Operator", by);
        return f.Http.SendAsync(request);
    }

    private static async Task<int> CountInLogAsync(HubFixture f, string eventId)
    {
        int count = 0;
        for (int p = 0; p < f.Hub.Log.PartitionCount; p++)
            count += (await f.Hub.Log.ReadAsync(p, 0, 1000)).Count(e => e.Record.Id == eventId);
        return count;
    }

    [Fact]
    public async Task Show_gives_the_errors_raw_payload_source_time_and_trace()
    {
        await using var f = await HubFixture.StartAsync();
        long id = await QuarantineAsync(f, "c-1");
        using var item = JsonDocument.Parse(await f.Http.GetStringAsync($"/api/v1/quarantine/{id}"));
        var root = item.RootElement;
        Assert.Equal("open", root.GetProperty("status").GetString());
        Assert.Equal("http:/ingest/events", root.GetProperty("source").GetString());
        Assert.Equal("schema", root.GetProperty("reasonClass").GetString());
        Assert.Equal("/data/good", root.GetProperty("pointer").GetString());
        Assert.Equal("/properties/good/type", root.GetProperty("errors")[0].GetProperty("keywordLocation").GetString());
        Assert.Equal("480 pcs", JsonDocument.Parse(root.GetProperty("payload").GetString()!).RootElement.GetProperty("data").GetProperty("good").GetString());
        Assert.Equal(32, root.GetProperty("traceId").GetString()!.Length);
        Assert.True(root.GetProperty("storedAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-5));
    }

    [Fact]
    public async Task Corrected_resubmission_lands_in_the_log_once_and_records_who_and_where()
    {
        await using var f = await HubFixture.StartAsync();
        long id = await QuarantineAsync(f, "c-2");
        var response = await ResubmitAsync(f, id, AcmeEvents.Completed("c-2").ToJsonString());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("admitted", body.RootElement.GetProperty("outcome").GetString());
        var item = body.RootElement.GetProperty("item");
        Assert.Equal("resubmitted", item.GetProperty("status").GetString());
        Assert.Equal("jane.doe", item.GetProperty("resolvedBy").GetString());
        Assert.Equal($"admitted at {body.RootElement.GetProperty("position").GetString()}", item.GetProperty("resolution").GetString());
        Assert.Contains("480 pcs", item.GetProperty("originalPayload").GetString()); // what arrived is kept beside the correction
        Assert.Equal(1, await CountInLogAsync(f, "c-2"));

        var again = await ResubmitAsync(f, id, null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(1, await CountInLogAsync(f, "c-2"));
        Assert.Empty(await f.Hub.Quarantine.ListAsync(new())); // no longer open
    }

    [Fact]
    public async Task Concurrent_resubmissions_of_one_item_admit_it_once()
    {
        await using var f = await HubFixture.StartAsync();
        long id = await QuarantineAsync(f, "c-3");
        string corrected = AcmeEvents.Completed("c-3").ToJsonString();
        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => ResubmitAsync(f, id, corrected)));
        Assert.Equal(1, answers.Count(a => a.StatusCode == HttpStatusCode.OK));
        Assert.Equal(7, answers.Count(a => a.StatusCode == HttpStatusCode.Conflict));
        Assert.Equal(1, await CountInLogAsync(f, "c-3"));
    }

    [Fact]
    public async Task Refused_resubmission_keeps_the_item_open_with_the_new_errors()
    {
        await using var f = await HubFixture.StartAsync();
        long id = await QuarantineAsync(f, "c-4");
        var stillWrong = AcmeEvents.Completed("c-4", good: 10, scrap: 90).ToJsonString(); // shape fixed, business rule broken
        var response = await ResubmitAsync(f, id, stillWrong);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("rule", problem.RootElement.GetProperty("reasonClass").GetString());

        var item = (await f.Hub.Quarantine.GetAsync(id))!;
        Assert.Equal(QuarantineStatus.Open, item.Status);
        Assert.Equal(1, item.Attempts);
        Assert.Equal("rule", item.ReasonClass);
        Assert.Equal("/business-rules/scrap-plausible", Assert.Single(item.Errors).KeywordLocation);
        Assert.Equal(stillWrong, Encoding.UTF8.GetString(item.Payload.Span));
        Assert.Contains("480 pcs", Encoding.UTF8.GetString(item.OriginalPayload!.Value.Span));
        Assert.Equal(0, await CountInLogAsync(f, "c-4"));
    }

    [Fact]
    public async Task Discard_needs_a_reason_and_closes_the_item()
    {
        await using var f = await HubFixture.StartAsync();
        long id = await QuarantineAsync(f, "c-5");
        Assert.Equal(HttpStatusCode.BadRequest, (await f.Http.PostAsync($"/api/v1/quarantine/{id}/discard", new StringContent("{}"))).StatusCode);
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/quarantine/{id}/discard")
        {
            Content = new StringContent("""{"reason":"duplicate of order confirmation 4711"}""", new MediaTypeHeaderValue("application/json")),
        };
        request.Headers.Add("Millrace-Operator", "ops");
        var response = await f.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var item = (await f.Hub.Quarantine.GetAsync(id))!;
        Assert.Equal(QuarantineStatus.Discarded, item.Status);
        Assert.Equal("ops", item.ResolvedBy);
        Assert.Equal("duplicate of order confirmation 4711", item.Resolution);
        Assert.Equal(HttpStatusCode.Conflict, (await ResubmitAsync(f, id, null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ResubmitAsync(f, 9999, null)).StatusCode);
    }

    [Fact]
    public async Task List_filters_by_source_type_and_reason_and_pages_newest_first_with_a_next_link()
    {
        await using var f = await HubFixture.StartAsync();
        var ids = new List<long>();
        for (int i = 0; i < 5; i++) ids.Add(await QuarantineAsync(f, $"p-{i}"));
        var unknownPlant = AcmeEvents.Completed("p-x", plant: "plant-02");
        unknownPlant["plant"] = "plant-77";
        await f.PostAsync("/ingest/events", unknownPlant.ToJsonString());

        var first = await f.Http.GetAsync("/api/v1/quarantine?reason=schema&limit=2");
        using var page1 = JsonDocument.Parse(await first.Content.ReadAsStringAsync());
        Assert.Equal([ids[4], ids[3]], page1.RootElement.EnumerateArray().Select(e => e.GetProperty("id").GetInt64()));
        string next = first.Headers.GetValues("Link").Single();
        Assert.Equal($"</api/v1/quarantine?reason=schema&limit=2&before={ids[3]}>; rel=\"next\"", next);
        using var page2 = JsonDocument.Parse(await f.Http.GetStringAsync(next[1..next.IndexOf('>')]));
        Assert.Equal([ids[2], ids[1]], page2.RootElement.EnumerateArray().Select(e => e.GetProperty("id").GetInt64()));

        using var reference = JsonDocument.Parse(await f.Http.GetStringAsync("/api/v1/quarantine?reason=reference"));
        Assert.Equal("p-x", Assert.Single(reference.RootElement.EnumerateArray().ToList()).GetProperty("eventId").GetString());
        using var bySource = JsonDocument.Parse(await f.Http.GetStringAsync($"/api/v1/quarantine?source={Uri.EscapeDataString("http:/ingest/events")}&type={AcmeEvents.CompletedType}"));
        Assert.Equal(6, bySource.RootElement.GetArrayLength());
        using var none = JsonDocument.Parse(await f.Http.GetStringAsync("/api/v1/quarantine?source=mqtt-plant-03"));
        Assert.Equal(0, none.RootElement.GetArrayLength());
        Assert.Equal(HttpStatusCode.BadRequest, (await f.Http.GetAsync("/api/v1/quarantine?reason=typo")).StatusCode);
    }

    [Fact]
    public async Task Dead_letters_and_quarantine_answer_in_the_same_shape()
    {
        await using var f = await HubFixture.StartAsync();
        await f.PostAsync("/ingest/events", "not json");
        var list = await f.Http.GetAsync("/api/v1/dead-letters?limit=1");
        using var letters = JsonDocument.Parse(await list.Content.ReadAsStringAsync());
        long id = letters.RootElement[0].GetProperty("id").GetInt64();
        Assert.Equal($"</api/v1/dead-letters?limit=1&before={id}>; rel=\"next\"", list.Headers.GetValues("Link").Single());
        using var one = JsonDocument.Parse(await f.Http.GetStringAsync($"/api/v1/dead-letters/{id}"));
        Assert.Equal("not json", one.RootElement.GetProperty("payload").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await f.Http.GetAsync("/api/v1/dead-letters/424242")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await f.Http.GetAsync("/api/v1/quarantine/424242")).StatusCode);
    }
}
