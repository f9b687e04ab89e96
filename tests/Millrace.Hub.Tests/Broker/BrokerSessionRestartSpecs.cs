using System.Text;
using Millrace.Hub.Broker;
using Millrace.Hub.Hosting;
using Millrace.Hub.Processing.Telemetry;
using Millrace.Hub.Tests.Sources;
using Millrace.Mqtt;
using Millrace.Mqtt.Client;

namespace Millrace.Hub.Tests.Broker;

/// <summary>
/// The hub's embedded broker keeps persistent sessions in the hub's SQLite store (hub.db in the data folder): a
/// mosquitto_sub session's subscription and the QoS 1/2 messages queued while it was offline survive a restart of the
/// hub over the same data folder.
/// </summary>
public sealed class BrokerSessionRestartSpecs : IAsyncDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "millrace-broker-restart", Guid.NewGuid().ToString("n"));

    [Theory]
    [InlineData("mqttv311")]
    [InlineData("mqttv5")]
    public async Task A_persistent_sessions_subscription_and_queued_QoS_1_and_2_messages_survive_a_restart_of_the_hub(string version)
    {
        string clientId = "line-7-andon-" + version, filter = "acme/plant-01/andon/#";
        string[] session = version == "mqttv5" ? ["-c", "-x", "3600"] : ["-c"]; // Clean Session 0 / Clean Start 0 + expiry

        await using (var first = await StartHubAsync())
        {
            int port = first.Broker!.Endpoint!.Port;
            // Subscribe, then go away at once (-E: exit when the SUBACK arrived): the session is now offline.
            var subscribed = await MosquittoCli.RunAsync("mosquitto_sub", port, 20, [.. session, "-V", version, "-i", clientId, "-q", "2", "-t", filter, "-E"]);
            Assert.True(subscribed.ExitCode == 0, subscribed.Error);
            await PublishAsync(port, "acme/plant-01/andon/press-1", "first (QoS 1, before the restart)", MqttQualityOfService.AtLeastOnce);
            await PublishAsync(port, "acme/plant-01/andon/press-2", "second (QoS 2, before the restart)", MqttQualityOfService.ExactlyOnce);
        } // graceful stop: the broker saves its sessions before the store closes

        await using var second = await StartHubAsync();
        Assert.True(second.Broker!.HasSession(clientId), "the session was not restored from hub.db");
        int port2 = second.Broker.Endpoint!.Port;
        // Delivered only if the subscription itself came back: the client is still offline.
        await PublishAsync(port2, "acme/plant-01/andon/press-3", "third (QoS 1, after the restart)", MqttQualityOfService.AtLeastOnce);

        var resumed = await MosquittoCli.RunAsync("mosquitto_sub", port2, 20, [.. session, "-V", version, "-i", clientId, "-q", "2", "-t", filter, "-C", "3", "-v"]);
        Assert.True(resumed.ExitCode == 0, $"exit {resumed.ExitCode}: {resumed.Error}; got: {resumed.Output}");
        // Sorted: libmosquitto hands a QoS 2 message to the application only after PUBREL, so it may print after the
        // QoS 1 message sent behind it; the broker sends them in order.
        Assert.Equal(
            ["acme/plant-01/andon/press-1 first (QoS 1, before the restart)", "acme/plant-01/andon/press-2 second (QoS 2, before the restart)",
             "acme/plant-01/andon/press-3 third (QoS 1, after the restart)"],
            resumed.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_clean_session_leaves_nothing_in_the_store()
    {
        await using (var first = await StartHubAsync())
        {
            var run = await MosquittoCli.RunAsync("mosquitto_sub", first.Broker!.Endpoint!.Port, 20, ["-V", "mqttv311", "-i", "transient", "-q", "1", "-t", "acme/#", "-E"]);
            Assert.True(run.ExitCode == 0, run.Error);
        }
        await using var second = await StartHubAsync();
        Assert.False(second.Broker!.HasSession("transient"));
        using var store = SqliteMqttSessionStore.OpenInDataDirectory(_data);
        Assert.Equal(0, store.Count());
    }

    private Task<HubHost> StartHubAsync() => HubHost.StartAsync(new HubOptions
    {
        Url = "http://127.0.0.1:0",
        DataDirectory = _data,
        LogPartitions = 2,
        MqttPort = 0,
        LogLevel = Microsoft.Extensions.Logging.LogLevel.Warning,
    }, TelemetryCatalog.From(MqttSourceFixture.Model));

    private static async Task PublishAsync(int port, string topic, string text, MqttQualityOfService qos)
    {
        await using var client = new MqttClient(new MqttClientOptions { Port = port, ClientId = "publisher-" + Guid.NewGuid().ToString("n")[..8] });
        await client.ConnectAsync();
        var result = await client.PublishAsync(topic, Encoding.UTF8.GetBytes(text), qos); // PUBACK / PUBCOMP: the broker owns it
        Assert.True(result.IsSuccess, result.ReasonCode.ToString());
        await client.DisconnectAsync();
    }

    public ValueTask DisposeAsync()
    {
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { }
        return ValueTask.CompletedTask;
    }
}
