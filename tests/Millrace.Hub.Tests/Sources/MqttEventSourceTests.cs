using System.Text.Json.Nodes;
using Millrace.Core.Config;
using Millrace.Hub.Tests.Governance.Enforcement;

namespace Millrace.Hub.Tests.Sources;

/// <summary><c>kind: mqtt</c> with <c>format: cloudevents</c>: business events published to the hub's real embedded broker.</summary>
public sealed class MqttEventSourceTests
{
    private static MqttSourceDefinition EventSource(string id, string topic, params string[] plants) =>
        new(id, new Uri("mqtt://embedded"), [topic], null) { Format = "cloudevents", Plants = [.. plants] };

    private static async Task WaitHandledAsync(MqttSourceFixture f, string source, long messages)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (f.Hub.MqttSourceCounts[source].Messages < messages && DateTime.UtcNow < deadline) await Task.Delay(10);
        Assert.True(f.Hub.MqttSourceCounts[source].Messages >= messages, $"{source} handled {f.Hub.MqttSourceCounts[source].Messages} of {messages} messages");
    }

    private static async Task<List<string>> LoggedIdsAsync(MqttSourceFixture f)
    {
        var ids = new List<string>();
        for (int p = 0; p < f.Hub.Log.PartitionCount; p++) ids.AddRange((await f.Hub.Log.ReadAsync(p, 0, 1000)).Select(e => e.Record.Id));
        return ids;
    }

    [Fact]
    public async Task Events_published_over_mqtt_pass_the_same_gate_one_by_one_and_a_plant_source_cannot_speak_for_another_plant()
    {
        await using var f = await MqttSourceFixture.StartAsync(EventSource("plant-01-events", "acme/plant-01/events/#", "plant-01"));
        var batch = new JsonArray(AcmeEvents.Completed("m-1"), AcmeEvents.CompletedWithGoodAsText("m-2", "plant-01"), AcmeEvents.Completed("m-3"));
        await f.PublishAsync("acme/plant-01/events/production", batch.ToJsonString());
        await f.PublishAsync("acme/plant-01/events/production", AcmeEvents.Completed("m-4", plant: "plant-02").ToJsonString());
        await f.PublishAsync("acme/plant-01/events/production", "{\"specversion\":");
        await WaitHandledAsync(f, "plant-01-events", 3);

        Assert.Equal(["m-1", "m-3"], (await LoggedIdsAsync(f)).Order());
        var quarantined = await f.Hub.Quarantine.ListAsync(new(Source: "plant-01-events"));
        Assert.Equal(["m-4", "m-2"], quarantined.Select(q => q.EventId));
        Assert.Equal(["scope", "schema"], quarantined.Select(q => q.ReasonClass));
        Assert.Equal("/data/good", quarantined[1].Errors[0].InstanceLocation);
        var letter = Assert.Single(await f.Hub.DeadLetters.ListAsync(10, "plant-01-events"));
        Assert.StartsWith("not CloudEvents JSON on 'acme/plant-01/events/production': malformed JSON", letter.Reason);
        Assert.Equal((3L, 2L, 3L), f.Hub.MqttSourceCounts["plant-01-events"]);
        Assert.Contains("millrace_governance_quarantined_total{reason=\"scope\",source=\"plant-01-events\",type=\"com.acme.production.completed.v1\"} 1",
            f.Hub.Metrics.Render());
    }

    [Fact]
    public void Cloudevents_format_needs_no_topic_template_but_json_telemetry_still_does()
    {
        string dir = Path.Combine(Path.GetTempPath(), "millrace-mqtt-events-config", Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(dir);
        try
        {
            File.WriteAllText(Path.Combine(dir, "enterprise.yaml"), "enterprise:\n  id: acme\n  name: Acme\n");
            File.WriteAllText(Path.Combine(dir, "sources.yaml"), """
                sources:
                  - id: uns-events
                    kind: mqtt
                    url: mqtt://embedded
                    topics: [acme/+/events/#]
                    format: cloudevents
                  - id: uns-telemetry
                    kind: mqtt
                    url: mqtt://embedded
                    topics: [acme/#]
                    format: json
                  - id: uns-other
                    kind: mqtt
                    url: mqtt://embedded
                    topics: [acme/#]
                    topic-template: acme/{plant}/{line}/{asset}/telemetry
                    format: sparkplug
                """);
            var result = ConfigLoader.Load(dir);
            var errors = result.Diagnostics.Where(d => d.IsError).Select(d => d.ToString()).ToList();
            Assert.True(errors.Count == 2, string.Join("\n", errors));
            Assert.Contains(errors, e => e.Contains("missing required key 'topic-template' in mqtt source 'uns-telemetry'", StringComparison.Ordinal));
            Assert.Contains(errors, e => e.Contains("unsupported format 'sparkplug' (supported: json, cloudevents)", StringComparison.Ordinal));
            var events = Assert.IsType<MqttSourceDefinition>(result.Config.Sources["uns-events"]);
            Assert.Null(events.TopicTemplate);
            Assert.Equal("cloudevents", events.Format);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
