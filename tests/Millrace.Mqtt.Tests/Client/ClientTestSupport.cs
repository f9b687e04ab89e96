using System.Text;
using Millrace.Mqtt.Client;
using Millrace.Mqtt.Tests.Peers;

namespace Millrace.Mqtt.Tests.Client;

/// <summary>Helpers for the client specifications: options for a test broker, bounded receiving.</summary>
internal static class ClientTestSupport
{
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    public static MqttClientOptions Options(MosquittoBroker broker, MqttProtocolVersion version, string? clientId = null) => new()
    {
        Host = "127.0.0.1",
        Port = broker.Port,
        ProtocolVersion = version,
        ClientId = clientId ?? "millrace-" + Guid.NewGuid().ToString("N")[..12],
        Reconnect = new MqttReconnectPolicy { InitialDelay = TimeSpan.FromMilliseconds(50), MaximumDelay = TimeSpan.FromMilliseconds(500) },
    };

    public static string V(MqttProtocolVersion version) => version == MqttProtocolVersion.V500 ? "mqttv5" : "mqttv311";

    public static byte[] Bytes(string s) => Encoding.UTF8.GetBytes(s);

    public static string Unique(string prefix) => $"{prefix}/{Guid.NewGuid():N}";

    /// <summary>Receives exactly <paramref name="count"/> messages, failing after <see cref="Bound"/> with what arrived.</summary>
    public static async Task<List<MqttMessage>> ReceiveAsync(MqttClient client, int count, TimeSpan? timeout = null)
    {
        var received = new List<MqttMessage>(count);
        using var cts = new CancellationTokenSource(timeout ?? Bound);
        try
        {
            while (received.Count < count) received.Add(await client.ReceiveAsync(cts.Token));
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"Received {received.Count} of {count} messages within {timeout ?? Bound}: {string.Join(", ", received.Select(m => m.Topic + "=" + m.PayloadAsString()))}");
        }
        return received;
    }

    /// <summary>Asserts that nothing more arrives for a short while (used only to show absence, never speed).</summary>
    public static async Task AssertNothingMoreAsync(MqttClient client, TimeSpan wait)
    {
        using var cts = new CancellationTokenSource(wait);
        try
        {
            var extra = await client.ReceiveAsync(cts.Token);
            Assert.Fail($"Unexpected message {extra}");
        }
        catch (OperationCanceledException) { }
    }

    /// <summary>Polls a condition until it holds, failing after the bound.</summary>
    public static async Task EventuallyAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? Bound);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"Timed out waiting for {what}.");
            await Task.Delay(20);
        }
    }

    public static async Task<MqttClient> ConnectAsync(MqttClientOptions options)
    {
        var client = new MqttClient(options);
        using var cts = new CancellationTokenSource(Bound);
        await client.ConnectAsync(cts.Token);
        return client;
    }
}
