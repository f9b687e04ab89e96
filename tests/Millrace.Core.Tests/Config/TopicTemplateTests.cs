using Millrace.Core.Config;

namespace Millrace.Core.Tests.Config;

public sealed class TopicTemplateTests
{
    [Fact]
    public void Template_matches_topics_and_yields_placeholder_ranges_without_allocating_strings()
    {
        Assert.True(TopicTemplate.TryParse("acme/{plant}/{line}/{asset}/telemetry", true, out var template, out _, out _));
        Span<Range> values = stackalloc Range[template.Placeholders.Length];
        const string topic = "acme/plant-03/cnc-1/cnc-07/telemetry";
        Assert.True(template.TryMatch(topic, values));
        Assert.Equal("plant-03", topic[values[template.IndexOf("plant")]]);
        Assert.Equal("cnc-1", topic[values[template.IndexOf("line")]]);
        Assert.Equal("cnc-07", topic[values[template.IndexOf("asset")]]);
    }

    [Theory]
    [InlineData("acme/plant-03/cnc-1/cnc-07/status")]
    [InlineData("acme/plant-03/cnc-1/cnc-07")]
    [InlineData("acme/plant-03/cnc-1/cnc-07/telemetry/extra")]
    [InlineData("acme/plant-03//cnc-07/telemetry")]
    [InlineData("other/plant-03/cnc-1/cnc-07/telemetry")]
    public void Template_rejects_topics_of_another_shape(string topic)
    {
        Assert.True(TopicTemplate.TryParse("acme/{plant}/{line}/{asset}/telemetry", true, out var template, out _, out _));
        Span<Range> values = stackalloc Range[3];
        Assert.False(template.TryMatch(topic, values));
    }

    [Theory]
    [InlineData("acme/{plant}/{line}/{asset}/{asset}", "placeholder '{asset}' appears twice in topic-template", 28)]
    [InlineData("acme/+/{line}/{asset}", "topic-template must not contain MQTT wildcards; use a placeholder such as '{asset}'", 5)]
    [InlineData("acme/{plant}/{line}", "topic-template needs '{asset}' to identify the asset (asset ids are plant/line/asset)", 0)]
    public void Invalid_templates_are_explained_with_an_offset(string text, string error, int offset)
    {
        Assert.False(TopicTemplate.TryParse(text, true, out _, out var actual, out var actualOffset));
        Assert.Equal(error, actual);
        Assert.Equal(offset, actualOffset);
    }

    [Theory]
    [InlineData("acme/#", "acme/+/+/x", true)]
    [InlineData("acme/plant-03/#", "acme/+/+/+/telemetry", true)]
    [InlineData("acme/plant-03/#", "acme/plant-03", true)]
    [InlineData("acme/+/x", "acme/+/y", false)]
    [InlineData("acme/a", "acme/a/b", false)]
    [InlineData("other/#", "acme/+", false)]
    public void Filter_overlap_follows_mqtt_matching(string a, string b, bool overlap)
    {
        Assert.Equal(overlap, MqttTopicFilter.Overlap(a, b));
        Assert.Equal(overlap, MqttTopicFilter.Overlap(b, a));
    }

    [Theory]
    [InlineData("env:PLANT03_MQTT", CredentialStore.Environment, "PLANT03_MQTT")]
    [InlineData("file:secrets/plant-03.txt", CredentialStore.File, "secrets/plant-03.txt")]
    public void Credential_references_parse(string text, CredentialStore store, string name)
    {
        Assert.True(CredentialReference.TryParse(text, out var reference, out _));
        Assert.Equal(new CredentialReference(store, name), reference);
        Assert.Equal(text, reference.ToString());
    }

    [Theory]
    [InlineData("hunter2")]
    [InlineData("env:")]
    [InlineData("env:1ABC")]
    [InlineData("env:A-B")]
    [InlineData("file:")]
    public void Anything_else_is_not_a_credential_reference(string text)
    {
        Assert.False(CredentialReference.TryParse(text, out _, out var error));
        Assert.NotEmpty(error);
    }

    [Fact]
    public void File_credentials_resolve_relative_to_the_configuration_directory()
    {
        using var dir = new TempConfig().Write("secrets/mqtt.txt", "user:pass\n");
        Assert.True(new CredentialReference(CredentialStore.File, "secrets/mqtt.txt").TryResolve(dir.Directory, out var secret));
        Assert.Equal("user:pass", secret);
        Assert.False(new CredentialReference(CredentialStore.File, "secrets/none.txt").TryResolve(dir.Directory, out _));
    }
}
