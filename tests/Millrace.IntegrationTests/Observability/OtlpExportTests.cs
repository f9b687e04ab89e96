using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Millrace.IntegrationTests.Observability;

public class OtlpExportTests
{
    [Fact]
    public async Task Setting_OTEL_EXPORTER_OTLP_ENDPOINT_exports_the_hubs_traces_and_metrics()
    {
        // A stand-in OTLP/HTTP collector on loopback that keeps what it receives.
        var received = new ConcurrentBag<(string Path, byte[] Body)>();
        int collectorPort = MillraceProcess.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{collectorPort}");
        builder.Logging.ClearProviders();
        await using var collector = builder.Build();
        collector.MapPost("/v1/{signal}", async (HttpContext http) =>
        {
            using var ms = new MemoryStream();
            await http.Request.Body.CopyToAsync(ms);
            received.Add((http.Request.Path, ms.ToArray()));
            http.Response.StatusCode = 200;
        });
        await collector.StartAsync();

        int port = MillraceProcess.FreePort();
        string data = Path.Combine(Path.GetTempPath(), "millrace-otlp-" + Guid.NewGuid().ToString("n"));
        var env = new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{collectorPort}",
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "1000",
        };
        using var hub = MillraceProcess.Start(env, "run", "--url", $"http://127.0.0.1:{port}", "--mqtt-port", "0", "--data", data);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            await hub.WaitReadyAsync(http, TimeSpan.FromSeconds(45));
            var response = await http.PostAsync("/ingest/telemetry", new StringContent(
                """[{"asset":"plant-01/pack-1/filler-01","signal":"good-count","value":12,"ts":1763805600125}]""", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            hub.Interrupt(); // a clean stop flushes the exporters
            Assert.Equal(0, await hub.WaitAsync(TimeSpan.FromSeconds(60)));

            var traces = received.Where(r => r.Path == "/v1/traces").ToList();
            var metrics = received.Where(r => r.Path == "/v1/metrics").ToList();
            Assert.NotEmpty(traces);
            Assert.NotEmpty(metrics);
            Assert.Contains(traces, t => Contains(t.Body, "Millrace.Ingest") && Contains(t.Body, "ingest telemetry"));
            Assert.Contains(metrics, m => Contains(m.Body, "millrace.ingest.samples"));
        }
        finally
        {
            try { Directory.Delete(data, recursive: true); } catch (IOException) { }
        }
    }

    private static bool Contains(byte[] protobuf, string text) => protobuf.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;

}
