using Millrace.Core.Config;

namespace Millrace.Core.Tests.Config;

public sealed class SourcesTests
{
    private const string Plant = "plants:\n  - id: plant-03\n    name: Detroit\n    areas:\n      - id: packaging\n        lines:\n          - id: pack-1\n";

    private static TempConfig With(string sources) => new TempConfig().WithBasics().Write("plants/plant-03.yaml", Plant).Write("sources.yaml", sources);

    private static string[] Messages(ConfigLoadResult result) => result.Diagnostics.Select(d => d.ToString()).ToArray();

    [Fact]
    public void Valid_mqtt_source_is_typed_with_url_credentials_reference_topics_and_template()
    {
        using var dir = With("""
            sources:
              - id: plant-03-broker
                kind: mqtt
                plants: [plant-03]
                url: mqtts://broker.plant-03.acme.example:8883
                credentials: env:PLANT03_MQTT
                topics: [acme/plant-03/#]
                topic-template: acme/{plant}/{line}/{asset}/telemetry
                format: json
                qos: 0
            """);
        var result = dir.Load();
        Assert.Empty(Messages(result));
        var mqtt = Assert.IsType<MqttSourceDefinition>(result.Config.Sources["plant-03-broker"]);
        Assert.True(mqtt.UseTls);
        Assert.Equal(8883, mqtt.Url.Port);
        Assert.Equal(new CredentialReference(CredentialStore.Environment, "PLANT03_MQTT"), mqtt.Credentials);
        Assert.Equal(["acme/plant-03/#"], mqtt.Topics.ToArray());
        Assert.Equal("acme/+/+/+/telemetry", mqtt.TopicTemplate!.SubscriptionFilter);
        Assert.Equal(0, mqtt.Qos);
        Assert.Equal(["plant-03"], mqtt.Plants.ToArray());
    }

    [Fact]
    public void Mqtt_source_refuses_inline_secrets_in_every_form()
    {
        using var dir = With("""
            sources:
              - id: b1
                kind: mqtt
                url: mqtt://admin:hunter2@127.0.0.1:1883
                password: hunter2
                credentials: hunter2
                topics: [acme/#]
                topic-template: acme/{plant}/{line}/{asset}
            """);
        Assert.Equal(
            [
                "sources.yaml:4:10: 'url' must not contain a user or password; use 'credentials: env:NAME' or 'credentials: file:path'",
                "sources.yaml:5:5: 'password' is not allowed: secrets are never written in configuration; use 'credentials: env:NAME' or 'credentials: file:path'",
                "sources.yaml:6:18: credentials must be a reference, 'env:NAME' or 'file:path'; secrets are never written in configuration",
            ],
            Messages(dir.Load()));
    }

    [Fact]
    public void Topic_template_placeholder_errors_point_at_the_placeholder_itself()
    {
        using var dir = With("""
            sources:
              - id: b1
                kind: mqtt
                url: mqtt://127.0.0.1
                topics: [acme/#]
                topic-template: acme/{plant}/{lien}/{asset}/telemetry
              - id: b2
                kind: mqtt
                url: mqtt://127.0.0.1
                topics: ["acme/#"]
                topic-template: "acme/{plant}/x{line}/{asset}"
              - id: b3
                kind: mqtt
                url: mqtt://127.0.0.1
                topics: [acme/#]
                topic-template: acme/{line}/{asset}
            """);
        Assert.Equal(
            [
                "sources.yaml:6:34: unknown placeholder '{lien}' in topic-template (known: {plant}, {area}, {line}, {cell}, {asset}, {signal}); did you mean '{line}'?",
                "sources.yaml:11:36: a placeholder must fill a whole topic level, like 'acme/{plant}/{line}/{asset}'",
                "sources.yaml:16:21: topic-template needs '{plant}' (or scope the source to a single plant with 'plants: [id]')",
            ],
            Messages(dir.Load()));
    }

    [Fact]
    public void Topic_filters_and_template_must_be_valid_mqtt_and_agree()
    {
        using var dir = With("""
            sources:
              - id: b1
                kind: mqtt
                url: http://127.0.0.1
                topics: [acme/#/x, acme/pl+/y]
                topic-template: acme/{plant}/{line}/{asset}
              - id: b2
                kind: mqtt
                url: mqtt://127.0.0.1
                topics: [other/#]
                topic-template: acme/{plant}/{line}/{asset}
            """);
        Assert.Equal(
            [
                "sources.yaml:4:10: 'url' must be 'mqtt://host[:port]' or 'mqtts://host[:port]', got 'http://127.0.0.1'",
                "sources.yaml:5:19: invalid topic filter 'acme/#/x': '#' must be a whole level and the last one (e.g. 'acme/plant-03/#')",
                "sources.yaml:5:31: invalid topic filter 'acme/pl+/y': '+' must be a whole level (e.g. 'acme/+/telemetry')",
                "sources.yaml:11:21: topic-template 'acme/{plant}/{line}/{asset}' matches none of the subscribed 'topics'",
            ],
            Messages(dir.Load()));
    }

    [Fact]
    public void Simulator_rate_must_be_positive_and_kind_specific_keys_belong_to_their_kind()
    {
        using var dir = With("""
            sources:
              - id: sim
                kind: simulator
                rate: 0
              - id: web
                kind: http
                topics: [a/b]
              - id: sim
                kind: http
            """);
        Assert.Equal(
            [
                "sources.yaml:4:11: 'rate' must be between 0 (exclusive) and 10000000 samples/s, got 0",
                "sources.yaml:7:5: unknown key 'topics' in http source 'web' (expected one of: description, enabled, format, id, kind, lines, path, plants)",
            ],
            Messages(dir.Load()));
    }

    [Fact]
    public void Duplicate_source_ids_are_reported()
    {
        using var dir = With("sources:\n  - id: web\n    kind: http\n  - id: web\n    kind: http\n");
        Assert.Equal(["sources.yaml:4:9: duplicate source id 'web' (first defined at sources.yaml:2:9)"], Messages(dir.Load()));
    }

    [Fact]
    public void Source_scope_accepts_only_assets_of_its_plants_or_lines()
    {
        using var dir = new TempConfig().Write("enterprise.yaml", TempConfig.Enterprise).Write("classes.yaml", TempConfig.Classes)
            .Write("plants/plant-03.yaml", Plant + "            assets:\n              - id: cnc-01\n                class: cnc-mill\n")
            .Write("plants/plant-04.yaml", Plant.Replace("plant-03", "plant-04") + "            assets:\n              - id: cnc-01\n                class: cnc-mill\n")
            .Write("sources.yaml", "sources:\n  - id: web\n    kind: http\n    lines: [plant-03/pack-1]\n  - id: all\n    kind: http\n");
        var config = dir.Load().Config;
        var model = config.Model;
        Assert.True(config.Sources["web"].Accepts(model.Assets.Single(a => a.Id == "plant-03/pack-1/cnc-01")));
        Assert.False(config.Sources["web"].Accepts(model.Assets.Single(a => a.Id == "plant-04/pack-1/cnc-01")));
        Assert.True(config.Sources["all"].Accepts(model.Assets.Single(a => a.Id == "plant-04/pack-1/cnc-01")));
    }
}
