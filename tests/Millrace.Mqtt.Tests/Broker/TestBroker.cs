using System.Net;
using Millrace.Mqtt.Broker;

namespace Millrace.Mqtt.Tests.Broker;

/// <summary>Starts brokers on a free loopback port for a test.</summary>
public static class TestBroker
{
    public static async Task<MqttBroker> StartAsync(MqttBrokerOptions? options = null)
    {
        var broker = new MqttBroker((options ?? new MqttBrokerOptions()) with { Endpoint = new IPEndPoint(IPAddress.Loopback, 0) });
        broker.Error += message => Console.Error.WriteLine($"broker error: {message}");
        await broker.StartAsync();
        return broker;
    }

    /// <summary>Polls <paramref name="condition"/> until true (bounded: 10 s, 200 checks).</summary>
    public static async Task EventuallyAsync(Func<bool> condition, string what)
    {
        for (int i = 0; i < 200; i++)
        {
            if (condition()) return;
            await Task.Delay(50);
        }
        Assert.Fail($"not reached within 10 s: {what}");
    }
}
