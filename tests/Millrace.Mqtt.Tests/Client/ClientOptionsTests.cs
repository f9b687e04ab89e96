using Millrace.Mqtt.Client;

namespace Millrace.Mqtt.Tests.Client;

/// <summary>Option validation, backoff and packet identifiers: no network.</summary>
public sealed class ClientOptionsTests
{
    public static TheoryData<MqttClientOptions, string> InvalidOptions() => new()
    {
        { new MqttClientOptions { ProtocolVersion = (MqttProtocolVersion)3 }, "ProtocolVersion must be V311 (4) or V500 (5)" },
        { new MqttClientOptions { Host = " " }, "Host must not be empty" },
        { new MqttClientOptions { Port = 0 }, "Port must be 1..65535" },
        { new MqttClientOptions { ProtocolVersion = MqttProtocolVersion.V311, CleanStart = false }, "needs a ClientId when CleanStart is false" },
        { new MqttClientOptions { ProtocolVersion = MqttProtocolVersion.V311, SessionExpiryInterval = 60 }, "SessionExpiryInterval is an MQTT 5.0 setting" },
        { new MqttClientOptions { KeepAlive = TimeSpan.FromMilliseconds(500) }, "KeepAlive is sent in whole seconds" },
        { new MqttClientOptions { KeepAlive = TimeSpan.FromDays(1) }, "KeepAlive must be 0..65535 s" },
        { new MqttClientOptions { ProtocolVersion = MqttProtocolVersion.V311, Password = new byte[] { 1 } }, "Password only together with a UserName" },
        { new MqttClientOptions { ClientId = "a\0b" }, "ClientId contains U+0000" },
        { new MqttClientOptions { Will = new MqttWill("plant/#", default) }, "Will.Topic \"plant/#\" is not a valid Topic Name" },
        { new MqttClientOptions { Will = new MqttWill("", default) }, "is not a valid Topic Name" },
        { new MqttClientOptions { ReceiveMaximum = 0 }, "ReceiveMaximum must be 1..65535" },
        { new MqttClientOptions { MaximumInflight = 0 }, "MaximumInflight must be 1..65535" },
        { new MqttClientOptions { InboundQueueCapacity = 0 }, "InboundQueueCapacity must be at least 1" },
        { new MqttClientOptions { Reconnect = new MqttReconnectPolicy { InitialDelay = TimeSpan.Zero } }, "Reconnect.InitialDelay must be positive" },
        { new MqttClientOptions { Reconnect = new MqttReconnectPolicy { InitialDelay = TimeSpan.FromSeconds(5), MaximumDelay = TimeSpan.FromSeconds(1) } },
            "Reconnect.MaximumDelay" },
        { new MqttClientOptions { ProtocolVersion = MqttProtocolVersion.V311, ReceiveTopicAliasMaximum = 5 }, "ReceiveTopicAliasMaximum is an MQTT 5.0 setting" },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void Invalid_options_are_refused_with_a_message_naming_the_rule(MqttClientOptions options, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => new MqttClient(options));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Defaults_are_valid() => new MqttClientOptions().Validate();

    [Fact]
    public async Task Operations_before_connecting_fail_clearly()
    {
        await using var client = new MqttClient(new MqttClientOptions { ClientId = "idle" });
        var e = await Assert.ThrowsAsync<MqttClientException>(() => client.PublishAsync("a/b", new byte[] { 1 }, MqttQualityOfService.AtLeastOnce));
        Assert.Contains("call ConnectAsync first", e.Message);
        await Assert.ThrowsAsync<MqttClientException>(() => client.SubscribeAsync("a/#"));
    }

    [Theory]
    [InlineData("a/+/b")]
    [InlineData("a/#")]
    [InlineData("")]
    public async Task Publishing_to_an_invalid_topic_name_is_an_argument_error(string topic)
    {
        await using var client = new MqttClient(new MqttClientOptions { ClientId = "x" });
        await Assert.ThrowsAsync<ArgumentException>(() => client.PublishAsync(topic, new byte[] { 1 }));
    }

    [Theory]
    [InlineData("a/#/b")]
    [InlineData("a+/b")]
    [InlineData("$share//a")]
    public async Task Subscribing_to_an_invalid_filter_is_an_argument_error(string filter)
    {
        await using var client = new MqttClient(new MqttClientOptions { ClientId = "x" });
        await Assert.ThrowsAsync<ArgumentException>(() => client.SubscribeAsync(filter));
    }

    [Fact]
    public void Backoff_is_full_jitter_under_an_exponential_cap()
    {
        var policy = new MqttReconnectPolicy { InitialDelay = TimeSpan.FromMilliseconds(100), MaximumDelay = TimeSpan.FromSeconds(2) };
        Assert.Equal(TimeSpan.Zero, policy.GetDelay(0, 0));
        Assert.Equal(TimeSpan.FromMilliseconds(50), policy.GetDelay(0, 0.5));
        Assert.Equal(TimeSpan.FromMilliseconds(400), policy.GetDelay(2, 1));
        Assert.Equal(TimeSpan.FromSeconds(2), policy.GetDelay(5, 1));       // 3.2 s capped at 2 s
        Assert.Equal(TimeSpan.FromSeconds(1), policy.GetDelay(1000, 0.5)); // no overflow for large attempts
    }

    [Fact]
    public void Packet_identifiers_skip_those_in_use_and_wrap_around()
    {
        var ids = new MqttPacketIdentifiers();
        Assert.Equal(1, ids.Allocate());
        Assert.Equal(2, ids.Allocate());
        ids.Release(1);
        for (int i = 3; i <= ushort.MaxValue; i++) Assert.Equal(i, ids.Allocate());
        Assert.Equal(1, ids.Allocate()); // wrapped, 2 still in use
        Assert.Equal(0, ids.Allocate()); // all 65,535 in use
        ids.Release(40_000);
        Assert.Equal(40_000, ids.Allocate());
    }
}
