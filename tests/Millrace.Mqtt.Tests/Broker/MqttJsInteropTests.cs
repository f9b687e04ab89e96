using System.Text;
using System.Threading.Channels;
using Millrace.Mqtt.Broker;

namespace Millrace.Mqtt.Tests.Broker;

/// <summary>MQTT.js (npm package mqtt, tests/peers/mqttjs/broker-scenarios.js) against our broker, protocol 4 and 5.</summary>
public sealed class MqttJsInteropTests
{
    private static async Task<string> RunScenarioAsync(MqttBroker broker, string scenario, int protocol, params string[] more)
    {
        var (code, output, errors) = await PeerProcess.RunAsync("node", ["broker-scenarios.js", scenario, "--port", broker.Endpoint!.Port.ToString(),
            "--protocol", protocol.ToString(), .. more]);
        Assert.True(code == 0, $"MQTT.js scenario '{scenario}' failed (exit {code}):\n{output}\n{errors}");
        return output.Trim();
    }

    public static TheoryData<int, int> Cases()
    {
        var data = new TheoryData<int, int>();
        foreach (var p in new[] { 4, 5 })
            for (int q = 0; q <= 2; q++) data.Add(p, q);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task MQTT_js_publishes_and_subscribes_at_each_QoS(int protocol, int qos)
    {
        await using var broker = await TestBroker.StartAsync();
        Assert.Equal($"OK acme/plant-03/temp 21.5 qos={qos}", await RunScenarioAsync(broker, "pubsub", protocol, "--qos", qos.ToString()));
    }

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public async Task MQTT_js_retained_messages_are_delivered_with_the_retain_flag_and_cleared(int protocol)
    {
        await using var broker = await TestBroker.StartAsync();
        Assert.Equal("OK retained running", await RunScenarioAsync(broker, "retained", protocol));
        Assert.Equal(0, broker.RetainedCount);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public async Task The_will_of_a_killed_MQTT_js_client_is_published(int protocol)
    {
        await using var broker = await TestBroker.StartAsync();
        var wills = Channel.CreateUnbounded<string>();
        await using var watch = broker.SubscribeInProcess("status/#", (m, _) => wills.Writer.WriteAsync($"{m.Topic} {Encoding.UTF8.GetString(m.Payload.Span)}"));
        await using (var client = PeerProcess.Start("node", "broker-scenarios.js", "will", "--port", broker.Endpoint!.Port.ToString(), "--protocol", protocol.ToString()))
        {
            await TestBroker.EventuallyAsync(() => client.Output.Contains("CONNECTED") || client.HasExited, "MQTT.js connected");
            Assert.False(client.HasExited, client.Errors);
            client.Kill();
        }
        using var cts = new CancellationTokenSource(RawMqttClient.Wait);
        Assert.Equal("status/js lost", await wills.Reader.ReadAsync(cts.Token));
    }

    [Fact]
    public async Task MQTT_js_members_of_a_shared_subscription_split_the_messages()
    {
        await using var broker = await TestBroker.StartAsync();
        Assert.StartsWith("OK a=", await RunScenarioAsync(broker, "shared", 5));
    }

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public async Task An_MQTT_js_persistent_session_resumes_across_a_broker_restart(int protocol)
    {
        string dir = Path.Combine(Path.GetTempPath(), "millrace-js-sessions-" + Guid.NewGuid().ToString("N"));
        try
        {
            var store = new MqttFileSessionStore(dir);
            await using (var broker = await TestBroker.StartAsync(new MqttBrokerOptions { SessionStore = store }))
            {
                await RunScenarioAsync(broker, "session-prepare", protocol);
                await TestBroker.EventuallyAsync(() => broker.Metrics.Connections == 0, "MQTT.js left");
                broker.PublishInProcess("orders/7", "queued while offline"u8, MqttQualityOfService.AtLeastOnce);
            }
            await using var restarted = await TestBroker.StartAsync(new MqttBrokerOptions { SessionStore = new MqttFileSessionStore(dir) });
            Assert.Equal("OK orders/7 queued while offline", await RunScenarioAsync(restarted, "session-resume", protocol));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
