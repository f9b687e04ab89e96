using Millrace.Core.Config;
using Millrace.Core.Model;
using Millrace.Hub.Sources.Mqtt;

namespace Millrace.Hub.Tests.Sources;

/// <summary>
/// <c>{signal}</c> in a topic-template: the topic names asset and signal (<c>acme/plant-01/pack-1/filler-01/speed</c>)
/// and the payload carries only value, ts, unit and quality — one value per topic, as many plant gateways publish.
/// </summary>
public class MqttSignalTopicTests
{
    private const string Template = "acme/{plant}/{line}/{asset}/{signal}";

    private static MqttSourceDefinition SignalSource()
    {
        Assert.True(TopicTemplate.TryParse(Template, requirePlant: true, out var template, out var error, out _), error);
        return new MqttSourceDefinition("acme-signals", new Uri("mqtt://embedded"), ["acme/#"], template);
    }

    [Fact]
    public async Task The_topic_names_the_signal_and_the_payload_carries_value_ts_unit_and_quality()
    {
        var signal = MqttSourceFixture.NumericSignal("plant-01");
        await using var f = await MqttSourceFixture.StartAsync(SignalSource());
        string topic = $"acme/{signal.Asset.Id}/{signal.Name}";
        string unit = signal.Definition.Unit is { } u ? $",\"unit\":\"{u.Symbol}\"" : "";

        await f.PublishAsync(topic, $$"""{"value":12.5,"ts":1795341600000{{unit}},"quality":"good"}""");
        await f.PublishAsync(topic, $$"""[{"value":13,"ts":1795341601000},{"signal":"{{signal.Name}}","value":14.75,"ts":1795341602000}]""");

        await f.WaitProcessedAsync(3);
        var catalog = f.Hub.Pipeline.Catalog;
        Assert.True(catalog.TryFindAsset(signal.Asset.Id, out int asset));
        Assert.True(catalog.TryFindSignal(asset, signal.Name, out int index));
        Assert.Equal((14.75, 1795341602000L), f.Hub.Pipeline.LastOf(index));
        Assert.Equal((2L, 3L, 0L), f.Hub.MqttSourceCounts["acme-signals"]);
    }

    [Fact]
    public async Task An_unknown_signal_in_the_topic_and_a_signal_member_that_contradicts_it_are_dead_lettered()
    {
        var signal = MqttSourceFixture.NumericSignal("plant-01");
        var other = MqttSourceFixture.Model.Signals.First(s => s.Asset == signal.Asset && s.Name != signal.Name);
        await using var f = await MqttSourceFixture.StartAsync(SignalSource());

        await f.PublishAsync($"acme/{signal.Asset.Id}/no_such_signal", """{"value":1,"ts":1}""");
        await f.PublishAsync($"acme/{signal.Asset.Id}/{signal.Name}", $$"""{"signal":"{{other.Name}}","value":1,"ts":1}""");

        var letters = await f.WaitDeadLettersAsync("acme-signals", 2);
        var reasons = letters.Select(l => l.Reason).ToList();
        Assert.Contains(reasons, r => r.Contains($"asset '{signal.Asset.Id}' has no signal 'no_such_signal'"));
        Assert.Contains(reasons, r => r.StartsWith("malformed payload") && r.Contains($"differs from the signal the topic names ('{signal.Name}')"));
    }
}
