using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Millrace.Hub.Tests.Sources;

public class MqttTelemetrySourceTests
{
    [Fact]
    public async Task A_sample_array_published_on_an_asset_topic_reaches_the_pipeline()
    {
        var signal = MqttSourceFixture.NumericSignal("plant-01");
        await using var f = await MqttSourceFixture.StartAsync(MqttSourceFixture.Source("acme-uns"));
        int index = LookupSignal(f, signal);

        await f.PublishAsync(MqttSourceFixture.TopicOf(signal.Asset),
            $$"""[{"signal":"{{signal.Name}}","value":41.5,"ts":1795341600000},{"signal":"{{signal.Name}}","value":42.25,"ts":1795341601000,"quality":"good"}]""");

        await f.WaitProcessedAsync(2);
        Assert.Equal((42.25, 1795341601000L), f.Hub.Pipeline.LastOf(index));
        Assert.Equal((1L, 2L, 0L), f.Hub.MqttSourceCounts["acme-uns"]);
    }

    [Fact]
    public async Task A_single_sample_object_is_accepted_and_an_asset_member_must_match_the_topic()
    {
        var signal = MqttSourceFixture.NumericSignal("plant-01");
        var other = MqttSourceFixture.NumericSignal("plant-02");
        await using var f = await MqttSourceFixture.StartAsync(MqttSourceFixture.Source("acme-uns"));
        int index = LookupSignal(f, signal);

        await f.PublishAsync(MqttSourceFixture.TopicOf(signal.Asset), $$"""{"signal":"{{signal.Name}}","value":7,"ts":"2026-11-22T10:00:00Z"}""");
        await f.PublishAsync(MqttSourceFixture.TopicOf(signal.Asset), $$"""{"asset":"{{other.Asset.Id}}","signal":"{{signal.Name}}","value":8,"ts":1}""");

        await f.WaitProcessedAsync(1);
        var letters = await f.WaitDeadLettersAsync("acme-uns", 1);
        Assert.Equal(7, f.Hub.Pipeline.LastOf(index).Value);
        Assert.Contains($"differs from the asset the topic names ('{signal.Asset.Id}')", letters[0].Reason);
        Assert.Equal("/asset", letters[0].Pointer);
    }

    [Fact]
    public async Task Unknown_topic_unknown_asset_and_malformed_payload_are_dead_lettered_with_the_source_and_reason()
    {
        var signal = MqttSourceFixture.NumericSignal("plant-01");
        await using var f = await MqttSourceFixture.StartAsync(MqttSourceFixture.Source("acme-uns"));

        await f.PublishAsync("acme/plant-01/stray", "[]");
        await f.PublishAsync("acme/plant-01/line-x/ghost-01/telemetry", $$"""[{"signal":"{{signal.Name}}","value":1,"ts":1}]""");
        await f.PublishAsync(MqttSourceFixture.TopicOf(signal.Asset), """[{"signal":"x","value":"""); // truncated JSON
        await f.PublishAsync(MqttSourceFixture.TopicOf(signal.Asset), $$"""[{"signal":"{{signal.Name}}","value":1}]"""); // no ts

        var letters = await f.WaitDeadLettersAsync("acme-uns", 4);
        Assert.All(letters, l => Assert.Equal("acme-uns", l.Source));
        var reasons = letters.Select(l => l.Reason).ToList();
        Assert.Contains(reasons, r => r.Contains("topic 'acme/plant-01/stray' does not match the topic-template 'acme/{plant}/{line}/{asset}/telemetry'"));
        Assert.Contains(reasons, r => r.Contains("unknown asset 'plant-01/line-x/ghost-01'"));
        Assert.Contains(reasons, r => r.StartsWith("malformed payload") && r.Contains("malformed JSON"));
        Assert.Contains(reasons, r => r.StartsWith("malformed payload") && r.Contains("/0/ts: required member is missing"));
        Assert.Contains(letters, l => Encoding.UTF8.GetString(l.Payload.Span) == """[{"signal":"x","value":""");
        Assert.Equal(0, f.Hub.Pipeline.Processed);
        Assert.Matches("millrace_ingest_samples_rejected_total\\{[^}]*source=\"acme-uns\"[^}]*\\} ", f.Hub.Metrics.Render());
    }

    [Fact]
    public async Task A_sample_for_an_asset_outside_the_sources_plants_is_dead_lettered()
    {
        var inside = MqttSourceFixture.NumericSignal("plant-03");
        var outside = MqttSourceFixture.NumericSignal("plant-01");
        await using var f = await MqttSourceFixture.StartAsync(MqttSourceFixture.Source("plant-03-broker", "mqtt://embedded", "plant-03"));

        await f.PublishAsync(MqttSourceFixture.TopicOf(outside.Asset), $$"""[{"signal":"{{outside.Name}}","value":1,"ts":1}]""");
        await f.PublishAsync(MqttSourceFixture.TopicOf(inside.Asset), $$"""[{"signal":"{{inside.Name}}","value":2,"ts":2}]""");

        await f.WaitProcessedAsync(1);
        var letters = await f.WaitDeadLettersAsync("plant-03-broker", 1);
        var letter = Assert.Single(letters);
        Assert.Equal($"asset '{outside.Asset.Id}' is outside the scope of source 'plant-03-broker' (plants: plant-03)", letter.Reason);
        Assert.Equal(2, f.Hub.Pipeline.LastOf(LookupSignal(f, inside)).Value);
    }

    [Fact]
    public async Task A_source_whose_url_names_another_broker_reads_it_through_a_client_connection()
    {
        // Another hub's broker plays the plant broker: f's source reaches it over TCP with its own client.
        var signal = MqttSourceFixture.NumericSignal("plant-02");
        await using var probe = await MqttSourceFixture.StartAsync();
        int port = probe.Hub.Broker!.Endpoint!.Port;
        await using var f = await MqttSourceFixture.StartAsync(MqttSourceFixture.Source("remote", $"mqtt://127.0.0.1:{port}"));
        // Retained: delivered whenever the source's SUBSCRIBE lands, so no guess at when that is.
        await probe.PublishRetainedAsync(MqttSourceFixture.TopicOf(signal.Asset), $$"""[{"signal":"{{signal.Name}}","value":5,"ts":5}]""");

        await f.WaitProcessedAsync(1);
        Assert.Equal(0, probe.Hub.Pipeline.Processed);
        Assert.Equal(5, f.Hub.Pipeline.LastOf(LookupSignal(f, signal)).Value);
    }

    [Fact]
    public async Task Mosquitto_pub_publishing_to_the_embedded_broker_reaches_the_pipeline()
    {
        var signal = MqttSourceFixture.NumericSignal("plant-01");
        await using var f = await MqttSourceFixture.StartAsync(MqttSourceFixture.Source("acme-uns"));
        string payload = $$"""{"signal":"{{signal.Name}}","value":13.5,"ts":1795341600000}""";
        var start = new ProcessStartInfo("mosquitto_pub")
        {
            ArgumentList = { "-h", "127.0.0.1", "-p", f.Hub.Broker!.Endpoint!.Port.ToString(CultureInfo.InvariantCulture), "-q", "1",
                "-V", "mqttv311", "-t", MqttSourceFixture.TopicOf(signal.Asset), "-m", payload },
            RedirectStandardError = true,
        };
        Process process;
        try { process = Process.Start(start)!; }
        catch (System.ComponentModel.Win32Exception)
        {
            Assert.Fail("mosquitto_pub is not installed: apt-get install -y mosquitto-clients");
            return;
        }
        using (process)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await process.WaitForExitAsync(timeout.Token);
            Assert.True(process.ExitCode == 0, await process.StandardError.ReadToEndAsync());
        }

        await f.WaitProcessedAsync(1);
        Assert.Equal(13.5, f.Hub.Pipeline.LastOf(LookupSignal(f, signal)).Value);
    }

    private static int LookupSignal(MqttSourceFixture f, Millrace.Core.Model.AssetSignal signal)
    {
        var catalog = f.Hub.Pipeline.Catalog;
        Assert.True(catalog.TryFindAsset(signal.Asset.Id, out int asset));
        Assert.True(catalog.TryFindSignal(asset, signal.Name, out int index));
        return index;
    }
}
