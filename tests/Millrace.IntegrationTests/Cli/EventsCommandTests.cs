using System.Net;
using System.Text;

namespace Millrace.IntegrationTests.Cli;

/// <summary><c>millrace events tail|stats</c> against a real <c>millrace run</c> and its data folder.</summary>
public class EventsCommandTests
{
    [Fact]
    public async Task Tail_follows_a_running_hub_printing_each_matching_event_on_one_line_and_no_follow_filters_by_plant()
    {
        int port = MillraceProcess.FreePort();
        string url = $"http://127.0.0.1:{port}";
        string data = Path.Combine(Path.GetTempPath(), "millrace-events-" + Guid.NewGuid().ToString("n"));
        using var hub = MillraceProcess.Start("run", "--url", url, "--data", data, "--mqtt-port", "-1");
        using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(10) };
        try
        {
            await hub.WaitReadyAsync(http, TimeSpan.FromSeconds(60));
            await PostReleaseAsync(http, "PO-5001", "plant-01");

            using var tail = MillraceProcess.Start("events", "tail", "--url", url, "--type", "production.order.released");
            await WaitForOutputAsync(tail, "PO-5001");
            await PostReleaseAsync(http, "PO-5002", "plant-02"); // appended after tail started: it must follow
            await WaitForOutputAsync(tail, "PO-5002");
            var line = tail.Stdout.Split('\n').First(l => l.Contains("PO-5002", StringComparison.Ordinal));
            Assert.Matches(@"^2026-11-22T06:00:00\.000Z  com\.acme\.production\.order\.released\.v1  plant-02  PO-5002  \{""orderId"":""PO-5002""", line.TrimEnd());

            var (code, stdout, stderr) = await MillraceProcess.RunAsync(TimeSpan.FromSeconds(60), "events", "tail", "--url", url, "--no-follow", "--plant", "plant-02");
            Assert.True(code == 0, stderr);
            Assert.Contains("PO-5002", stdout);
            Assert.DoesNotContain("PO-5001", stdout);
        }
        finally
        {
            hub.Interrupt();
            await hub.WaitAsync(TimeSpan.FromSeconds(60));
            try { Directory.Delete(data, recursive: true); } catch (IOException) { }
        }
    }

    [Fact]
    public async Task Stats_counts_per_type_and_plant_from_the_hub_or_a_folder_no_hub_holds()
    {
        int port = MillraceProcess.FreePort();
        string url = $"http://127.0.0.1:{port}";
        string data = Path.Combine(Path.GetTempPath(), "millrace-events-" + Guid.NewGuid().ToString("n"));
        try
        {
            using (var hub = MillraceProcess.Start("run", "--url", url, "--data", data, "--mqtt-port", "-1"))
            {
                using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(10) };
                await hub.WaitReadyAsync(http, TimeSpan.FromSeconds(60));
                await PostReleaseAsync(http, "PO-1", "plant-01");
                await PostReleaseAsync(http, "PO-2", "plant-01");
                await PostReleaseAsync(http, "PO-3", "plant-04");

                var viaHub = await MillraceProcess.RunAsync(TimeSpan.FromSeconds(60), "events", "stats", "--url", url);
                Assert.True(viaHub.ExitCode == 0, viaHub.Stderr);
                Assert.Matches(@"com\.acme\.production\.order\.released\.v1\s+plant-01\s+2", viaHub.Stdout);

                var held = await MillraceProcess.RunAsync(TimeSpan.FromSeconds(60), "events", "stats", "--data", data);
                Assert.Equal(1, held.ExitCode);
                Assert.Contains("in use by a running hub; read it through the hub with --url", held.Stderr);

                hub.Interrupt();
                Assert.Equal(0, await hub.WaitAsync(TimeSpan.FromSeconds(60)));
            }
            var (code, stdout, stderr) = await MillraceProcess.RunAsync(TimeSpan.FromSeconds(60), "events", "stats", "--data", data);
            Assert.True(code == 0, stderr);
            Assert.Matches(@"com\.acme\.production\.order\.released\.v1\s+plant-01\s+2", stdout);
            Assert.Matches(@"com\.acme\.production\.order\.released\.v1\s+plant-04\s+1", stdout);
            Assert.Matches(@"total\s+3", stdout);
        }
        finally
        {
            try { Directory.Delete(data, recursive: true); } catch (IOException) { }
        }
    }

    private static async Task PostReleaseAsync(HttpClient http, string order, string plant)
    {
        string body = $$$"""
            {"specversion":"1.0","id":"{{{order}}}-released","source":"/acme/erp","type":"com.acme.production.order.released.v1",
             "subject":"{{{order}}}","time":"2026-11-22T06:00:00Z","plant":"{{{plant}}}",
             "datacontenttype":"application/json","data":{"orderId":"{{{order}}}","plant":"{{{plant}}}","material":"FG-100",
               "plannedQuantity":{"value":500,"unit":"pcs"},"operations":[{"operation":"0010","workCenter":"PACK01"}],
               "releasedAt":"2026-11-22T05:40:00Z"}}
            """;
        using var response = await http.PostAsync("/ingest/events", new StringContent(body, Encoding.UTF8, "application/cloudevents+json"));
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
    }


    private static async Task WaitForOutputAsync(MillraceProcess process, string text)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline && !process.HasExited && !process.Stdout.Contains(text, StringComparison.Ordinal)) await Task.Delay(50);
        Assert.True(process.Stdout.Contains(text, StringComparison.Ordinal), $"'{text}' not printed; stdout: {process.Stdout} stderr: {process.Stderr}");
    }
}
