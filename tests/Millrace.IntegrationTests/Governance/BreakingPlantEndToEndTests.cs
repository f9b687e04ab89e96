using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Millrace.Core.Events;
using Millrace.Log.Sqlite;
using Millrace.Mqtt;
using Millrace.Mqtt.Client;

namespace Millrace.IntegrationTests.Governance;

/// <summary>
/// The issue's must-show story on the real <c>millrace</c> binary with the shipped samples/acme configuration: three
/// plants send production-completed events (two over HTTP, one over MQTT into the hub's embedded broker); plant-02
/// starts sending a breaking payload, which is quarantined with a precise reason while the other plants' events keep
/// flowing into the log; an operator corrects it with <c>millrace dlq</c> and it lands in the log exactly once.
/// </summary>
public sealed class BreakingPlantEndToEndTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "millrace-e2e-governance", Guid.NewGuid().ToString("n"));

    private static JsonObject Completed(string id, string plant, JsonNode good) => new()
    {
        ["specversion"] = "1.0",
        ["id"] = id,
        ["source"] = $"/acme/{plant}/mes",
        ["type"] = "com.acme.production.completed.v1",
        ["dataschema"] = "https://millrace.dev/schemas/com.acme.production.completed.v1/1",
        ["subject"] = "1000004711",
        ["time"] = "2026-11-22T08:14:55Z",
        ["partitionkey"] = $"{plant}/pack-1/filler-01",
        ["plant"] = plant,
        ["data"] = new JsonObject
        {
            ["orderId"] = "1000004711", ["operation"] = "0020", ["plant"] = plant, ["asset"] = $"{plant}/pack-1/filler-01",
            ["material"] = "BRKT-7731-A", ["good"] = good, ["scrap"] = 3, ["unit"] = "pcs", ["lot"] = "L2026-1122-07",
            ["startedAt"] = "2026-11-22T06:00:00Z", ["completedAt"] = "2026-11-22T08:14:55.120Z",
        },
    };

    [Fact]
    public async Task A_plant_sending_a_breaking_payload_is_quarantined_precisely_while_the_others_flow_then_the_corrected_event_lands_once()
    {
        string config = CopySamples();
        string data = Path.Combine(_dir, "data");
        using var hub = MillraceProcess.Start("run", "--config", config, "--data", data, "--url", "http://127.0.0.1:0", "--mqtt-port", "0");
        var (httpUrl, mqttPort) = await WaitListeningAsync(hub);
        using var http = new HttpClient { BaseAddress = new Uri(httpUrl), Timeout = TimeSpan.FromSeconds(30) };
        await using var plant03 = new MqttClient(new MqttClientOptions { Port = mqttPort, ClientId = "plant-03-mes" });
        await plant03.ConnectAsync();

        var expectedInLog = new List<string>();
        var quarantineIds = new List<long>();
        for (int round = 0; round < 6; round++)
        {
            bool broken = round >= 3; // plant-02's MES is upgraded after round 2 and starts sending good as text
            foreach (var plant in new[] { "plant-01", "plant-02" })
            {
                string id = $"{plant}-done-{round}";
                var e = broken && plant == "plant-02" ? Completed(id, plant, $"{480 + round} pcs") : Completed(id, plant, 480 + round);
                var response = await http.PostAsync("/ingest/events", new StringContent(e.ToJsonString(), Encoding.UTF8, CloudEventMediaTypes.Structured));
                if (broken && plant == "plant-02")
                {
                    Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
                    using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                    var error = Assert.Single(problem.RootElement.GetProperty("errors").EnumerateArray());
                    Assert.Equal("/data/good", error.GetProperty("instanceLocation").GetString());
                    Assert.Equal("/properties/good/type", error.GetProperty("keywordLocation").GetString());
                    quarantineIds.Add(problem.RootElement.GetProperty("quarantineId").GetInt64());
                }
                else
                {
                    Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
                    expectedInLog.Add(id);
                }
            }
            string mqttId = $"plant-03-done-{round}";
            await plant03.PublishAsync("acme-events/plant-03/production", Encoding.UTF8.GetBytes(Completed(mqttId, "plant-03", 480 + round).ToJsonString()),
                MqttQualityOfService.AtLeastOnce);
            expectedInLog.Add(mqttId);
        }
        Assert.Equal(3, quarantineIds.Count);

        // The operator's view, through the CLI against the running hub.
        var list = await MillraceProcess.RunAsync(Timeout, "dlq", "list", "--url", httpUrl, "--reason", "schema");
        Assert.True(list.ExitCode == 0, list.Stderr);
        foreach (var qid in quarantineIds) Assert.Matches($@"(?m)^\s*{qid}\s.*plant-02-done-\d.*schema: /data/good \(/properties/good/type\)", list.Stdout);
        var show = await MillraceProcess.RunAsync(Timeout, "dlq", "show", quarantineIds[0].ToString(), "--url", httpUrl);
        Assert.True(show.ExitCode == 0, show.Stderr);
        Assert.Contains("source:      http:/ingest/events", show.Stdout);
        Assert.Contains("/data/good (/properties/good/type): ", show.Stdout);
        Assert.Contains("\"good\": \"483 pcs\"", show.Stdout);
        Assert.Matches(@"traceId:\s+[0-9a-f]{32}", show.Stdout);

        // Correct the first one and resubmit it; resubmitting it again changes nothing.
        string corrected = Path.Combine(_dir, "corrected.json");
        File.WriteAllText(corrected, Completed("plant-02-done-3", "plant-02", 483).ToJsonString());
        var resubmit = await MillraceProcess.RunAsync(Timeout, "dlq", "resubmit", quarantineIds[0].ToString(), "--file", corrected, "--url", httpUrl, "--by", "e2e-operator");
        Assert.True(resubmit.ExitCode == 0, resubmit.Stdout + resubmit.Stderr);
        Assert.Matches(@"admitted: quarantined event \d+ is in the log at \d+:\d+", resubmit.Stdout);
        expectedInLog.Add("plant-02-done-3");
        var twice = await MillraceProcess.RunAsync(Timeout, "dlq", "resubmit", quarantineIds[0].ToString(), "--file", corrected, "--url", httpUrl);
        Assert.Equal(1, twice.ExitCode);
        Assert.Contains("is resubmitted (admitted at", twice.Stdout);
        // A correction that is still wrong is refused and stays quarantined with the new reason.
        File.WriteAllText(corrected, Completed("plant-02-done-4", "plant-02", -1).ToJsonString());
        var stillWrong = await MillraceProcess.RunAsync(Timeout, "dlq", "resubmit", quarantineIds[1].ToString(), "--file", corrected, "--url", httpUrl);
        Assert.Equal(1, stillWrong.ExitCode);
        Assert.Contains("/data/good (/properties/good/minimum): ", stillWrong.Stdout);

        using var item = JsonDocument.Parse(await http.GetStringAsync($"/api/v1/quarantine/{quarantineIds[0]}"));
        Assert.Equal("e2e-operator", item.RootElement.GetProperty("resolvedBy").GetString());
        await WaitMqttEventsAsync(http, expectedInLog.Count(i => i.StartsWith("plant-03", StringComparison.Ordinal)));

        hub.Interrupt();
        Assert.Equal(0, await hub.WaitAsync(Timeout));
        var logged = await ReadLogAsync(Path.Combine(data, "log.db"));
        Assert.Equal(expectedInLog.Order(StringComparer.Ordinal), logged.Order(StringComparer.Ordinal)); // each exactly once, nothing invalid
    }

    /// <summary>MQTT delivery is asynchronous: wait (bounded) until the hub's metrics count the plant-03 events as admitted.</summary>
    private static async Task WaitMqttEventsAsync(HttpClient http, int count)
    {
        var pattern = new Regex(@"millrace_governance_admitted_total\{source=""acme-events"",type=""com\.acme\.production\.completed\.v1""\} (\d+)");
        var deadline = DateTime.UtcNow.AddSeconds(20);
        int seen = 0;
        while (DateTime.UtcNow < deadline)
        {
            var m = pattern.Match(await http.GetStringAsync("/metrics"));
            seen = m.Success ? int.Parse(m.Groups[1].Value) : 0;
            if (seen >= count) return;
            await Task.Delay(50);
        }
        Assert.Fail($"{seen} of {count} MQTT events admitted");
    }

    private static async Task<(string Http, int MqttPort)> WaitListeningAsync(MillraceProcess hub)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && !hub.HasExited)
        {
            var m = Regex.Match(hub.Stdout, @"listening on (http://127\.0\.0\.1:\d+)/? and mqtt://127\.0\.0\.1:(\d+)");
            if (m.Success) return (m.Groups[1].Value, int.Parse(m.Groups[2].Value));
            await Task.Delay(50);
        }
        throw new InvalidOperationException($"the hub did not start; stdout:\n{hub.Stdout}\nstderr:\n{hub.Stderr}");
    }

    private static async Task<List<string>> ReadLogAsync(string path)
    {
        await using var log = SqliteEventLog.Open(new SqliteEventLogOptions { Path = path });
        var ids = new List<string>();
        for (int p = 0; p < log.PartitionCount; p++)
            ids.AddRange((await log.ReadAsync(p, 0, 10_000)).Select(e => e.Record.Id).Where(id => id.Contains("-done-", StringComparison.Ordinal)));
        return ids;
    }

    private string CopySamples()
    {
        var source = Path.Combine(MillraceProcess.RepositoryRoot, "samples", "acme");
        var target = Path.Combine(_dir, "config");
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var to = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }
        // The shipped broker users are hashes only (plant gateways confined to acme/<plant>/#, no anonymous clients);
        // broker access control is not under test here, so this copy runs the embedded broker open.
        File.Delete(Path.Combine(target, "mqtt-broker.yaml"));
        return target;
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
