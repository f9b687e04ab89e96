using System.Net;
using System.Text.Json;
using Millrace.Hub.Processing.Telemetry;

namespace Millrace.Hub.Tests.Ingest;

public class TelemetryIngestTests
{

    [Fact]
    public async Task Valid_batch_is_accepted_processed_and_counted_in_metrics()
    {
        await using var f = await HubFixture.StartAsync();
        var samples = Enumerable.Range(0, 500).Select(i =>
            $$"""{"asset":"plant-01/line-1/cnc-01","signal":"good_count","value":{{i}},"ts":{{1_700_000_000_000L + i}}}""");
        var response = await f.PostAsync("/ingest/telemetry", "[" + string.Join(",", samples) + "]");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(500, body.RootElement.GetProperty("accepted").GetInt32());
        Assert.Equal(0, body.RootElement.GetProperty("rejected").GetInt32());
        await f.WaitProcessedAsync(500);
        Assert.True(HubFixture.Catalog.TryFindSignal(0, "good_count", out int signal));
        Assert.Equal((499.0, 1_700_000_000_499L), f.Hub.Pipeline.LastOf(signal));
        var metrics = await f.Http.GetStringAsync("/metrics");
        Assert.Contains("millrace_ingest_samples_total{source=\"http\"} 500\n", metrics);
    }

    [Fact]
    public async Task Malformed_payload_is_refused_whole_with_every_problem_and_kept_as_a_dead_letter()
    {
        await using var f = await HubFixture.StartAsync();
        const string payload = """
            [{"asset":"plant-01/line-1/cnc-01","signal":"good_count","value":1,"ts":"2026-11-22T10:00:00Z"},
             {"asset":"plant-01/line-1/cnc-01","signal":"good_count","value":{"n":1},"ts":"2026-11-22T10:00:01Z"},
             {"asset":"plant-01/line-1/cnc-01","value":3,"ts":"yesterday","colour":"red"}]
            """;
        var response = await f.PostAsync("/ingest/telemetry", payload);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(400, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Equal("/ingest/telemetry", problem.RootElement.GetProperty("instance").GetString());
        var pointers = problem.RootElement.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("pointer").GetString()).ToList();
        Assert.Equal(["/1/value", "/2/colour", "/2/signal", "/2/ts"], pointers.Order());
        Assert.Equal(0, f.Hub.Pipeline.Processed);

        var letter = Assert.Single(await f.Hub.DeadLetters.ListAsync());
        Assert.Equal(payload, System.Text.Encoding.UTF8.GetString(letter.Payload.Span));
        Assert.Contains("/1/value", letter.Reason);
        Assert.Equal(problem.RootElement.GetProperty("traceId").GetString(), letter.TraceId);
    }

    [Fact]
    public async Task Sample_of_unknown_asset_is_dead_lettered_alone_while_the_rest_flow()
    {
        await using var f = await HubFixture.StartAsync();
        const string payload = """
            [{"asset":"plant-01/line-1/cnc-01","signal":"spindle_vibration","value":2.5,"ts":1700000000000},
             {"asset":"plant-09/line-1/cnc-01","signal":"spindle_vibration","value":9.9,"ts":1700000000000},
             {"asset":"plant-01/line-1/cnc-01","signal":"torque","value":1,"ts":1700000000000}]
            """;
        var response = await f.PostAsync("/ingest/telemetry", payload);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(1, body.RootElement.GetProperty("accepted").GetInt32());
        Assert.Equal(2, body.RootElement.GetProperty("rejected").GetInt32());
        var letters = (await f.Hub.DeadLetters.ListAsync()).OrderBy(l => l.Id).ToList();
        Assert.Equal(2, letters.Count);
        Assert.Equal("/1/asset", letters[0].Pointer);
        Assert.Equal("unknown asset 'plant-09/line-1/cnc-01'", letters[0].Reason);
        Assert.Contains("\"plant-09/line-1/cnc-01\"", System.Text.Encoding.UTF8.GetString(letters[0].Payload.Span));
        Assert.Equal("/2/signal", letters[1].Pointer);
        Assert.Equal("asset 'plant-01/line-1/cnc-01' has no signal 'torque'", letters[1].Reason);
        var metrics = await f.Http.GetStringAsync("/metrics");
        Assert.Contains("millrace_deadletters_depth 2\n", metrics);
    }

    [Fact]
    public async Task Values_are_converted_to_the_declared_unit_and_state_names_to_their_index()
    {
        await using var f = await HubFixture.StartAsync();
        const string payload = """
            [{"asset":"plant-01/line-1/cnc-01","signal":"spindle_temp","value":212,"unit":"°F","ts":1700000000000},
             {"asset":"plant-01/line-1/cnc-01","signal":"spindle_vibration","value":1,"unit":"in/s","ts":1700000000000},
             {"asset":"plant-01/line-1/cnc-01","signal":"state","value":"down","ts":1700000000000}]
            """;
        Assert.Equal(HttpStatusCode.Accepted, (await f.PostAsync("/ingest/telemetry", payload)).StatusCode);
        await f.WaitProcessedAsync(3);
        Assert.Equal(100.0, Last(f, "spindle_temp"), 9);
        Assert.Equal(25.4, Last(f, "spindle_vibration"), 9);
        Assert.Equal(2.0, Last(f, "state"));
    }

    [Fact]
    public async Task Unconvertible_unit_is_dead_lettered_with_both_dimensions()
    {
        await using var f = await HubFixture.StartAsync();
        var response = await f.PostAsync("/ingest/telemetry",
            """[{"asset":"plant-01/line-1/cnc-01","signal":"spindle_temp","value":3,"unit":"bar","ts":1700000000000}]""");
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var letter = Assert.Single(await f.Hub.DeadLetters.ListAsync());
        Assert.Equal("/0/unit", letter.Pointer);
        Assert.Contains("cannot be converted to the declared unit '°C'", letter.Reason);
    }

    [Fact]
    public async Task Oversized_payload_gets_413_and_its_head_is_kept()
    {
        await using var f = await HubFixture.StartAsync(maxRequestBytes: 4096);
        var big = "[" + string.Join(",", Enumerable.Repeat("""{"asset":"plant-01/line-1/cnc-01","signal":"good_count","value":1,"ts":1700000000000}""", 200)) + "]";
        var response = await f.PostAsync("/ingest/telemetry", big);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var letter = Assert.Single(await f.Hub.DeadLetters.ListAsync());
        Assert.StartsWith("payload exceeds 4096 bytes", letter.Reason);
        Assert.True(letter.Payload.Length > 0);
    }

    [Fact]
    public async Task Invalid_utf8_inside_a_string_is_refused_with_400_and_kept_not_a_500()
    {
        await using var f = await HubFixture.StartAsync();
        byte[] body = [.. "[{\"asset\":\"plant-01/line-1/cnc-01\",\"signal\":\"good"u8, 0xA2, .. "\",\"value\":1,\"ts\":1700000000000}]"u8];
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("application/json");
        var response = await f.Http.PostAsync("/ingest/telemetry", content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("not valid UTF-8", await response.Content.ReadAsStringAsync());
        Assert.Equal(body, Assert.Single(await f.Hub.DeadLetters.ListAsync()).Payload.ToArray());
    }

    [Fact]
    public async Task Shard_processing_joins_the_trace_of_the_callers_traceparent()
    {
        var seen = new System.Collections.Concurrent.ConcurrentBag<System.Diagnostics.Activity>();
        using var listener = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = s => s.Name == Millrace.Hub.Observability.HubTelemetry.ProcessingName,
            Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) => System.Diagnostics.ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = seen.Add,
        };
        System.Diagnostics.ActivitySource.AddActivityListener(listener);
        await using var f = await HubFixture.StartAsync();
        const string traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        var request = new HttpRequestMessage(HttpMethod.Post, "/ingest/telemetry")
        {
            Content = new StringContent("""[{"asset":"plant-01/line-1/cnc-01","signal":"good_count","value":1,"ts":1700000000000}]""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("traceparent", $"00-{traceId}-00f067aa0ba902b7-01");
        Assert.Equal(HttpStatusCode.Accepted, (await f.Http.SendAsync(request)).StatusCode);
        await f.WaitProcessedAsync(1);
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!seen.Any(a => a.TraceId.ToString() == traceId && a.GetTagItem("millrace.samples") is 1L) && DateTime.UtcNow < deadline) await Task.Delay(10);
        Assert.Contains(seen, a => a.TraceId.ToString() == traceId && a.GetTagItem("millrace.samples") is 1L);
    }

    [Fact]
    public async Task Health_and_readiness_answer()
    {
        await using var f = await HubFixture.StartAsync();
        Assert.Equal(HttpStatusCode.OK, (await f.Http.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await f.Http.GetAsync("/readyz")).StatusCode);
    }

    private static double Last(HubFixture f, string signalName)
    {
        Assert.True(HubFixture.Catalog.TryFindSignal(0, signalName, out int signal));
        return f.Hub.Pipeline.LastOf(signal).Value;
    }
}
