using Millrace.Hub.Hosting;
using Millrace.Hub.Processing.Telemetry;
using Millrace.Hub.Tests.Sources;
using Millrace.Mqtt;
using Millrace.Mqtt.Client;

namespace Millrace.Hub.Tests.Broker;

/// <summary>The embedded broker's statistics (meter <c>Millrace.Mqtt.Broker</c>) are on the hub's <c>/metrics</c>.</summary>
public sealed class BrokerMetricsSpecs : IAsyncDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "millrace-broker-metrics", Guid.NewGuid().ToString("n"));

    [Fact]
    public async Task Messages_connections_and_sessions_of_the_embedded_broker_are_exported_on_metrics()
    {
        await using var hub = await HubHost.StartAsync(new HubOptions
        {
            Url = "http://127.0.0.1:0", DataDirectory = _data, LogPartitions = 2, MqttPort = 0,
            LogLevel = Microsoft.Extensions.Logging.LogLevel.Warning,
        }, TelemetryCatalog.From(MqttSourceFixture.Model));
        await using var client = new MqttClient(new MqttClientOptions { Port = hub.Broker!.Endpoint!.Port, ClientId = "metrics-probe" });
        await client.ConnectAsync();
        for (int i = 0; i < 3; i++) await client.PublishAsync("acme/plant-01/probe", "x"u8.ToArray(), MqttQualityOfService.AtLeastOnce);

        using var http = new HttpClient { BaseAddress = hub.BaseAddress };
        var text = await http.GetStringAsync("/metrics");
        var received = text.Split('\n').Single(l => l.StartsWith("millrace_mqtt_broker_messages_received", StringComparison.Ordinal) && !l.StartsWith('#'));
        Assert.EndsWith(" 3", received.TrimEnd());
        Assert.Contains("millrace_mqtt_broker_connections 1", text);
        Assert.Contains("millrace_mqtt_broker_sessions", text);
    }

    public ValueTask DisposeAsync()
    {
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { }
        return ValueTask.CompletedTask;
    }
}
