using System.Diagnostics;
using System.Net;
using Millrace.Mqtt;

namespace Millrace.MqttLoad;

/// <summary>N publishers → N subscribers, pair i on topic load/i; counts deliveries over a measured window after a warm-up.</summary>
internal static class Scenario
{
    public sealed record Result(int Pairs, MqttQualityOfService QoS, double DeliveredPerSecond, double PublishedPerSecond)
    {
        public override string ToString() => $"{Pairs}→{Pairs} QoS {(int)QoS}: delivered {DeliveredPerSecond:N0}/s, published {PublishedPerSecond:N0}/s";
    }

    public static async Task<Result> RunAsync(IPEndPoint endpoint, int pairs, MqttQualityOfService qos, int seconds)
    {
        string run = Guid.NewGuid().ToString("N")[..6];
        var subscribers = new LoadClient[pairs];
        var publishers = new LoadClient[pairs];
        for (int i = 0; i < pairs; i++)
        {
            subscribers[i] = await LoadClient.ConnectAsync(endpoint, $"sub-{run}-{i}");
            await subscribers[i].SubscribeAsync($"load/{run}/{i}", qos);
            publishers[i] = await LoadClient.ConnectAsync(endpoint, $"pub-{run}-{i}");
        }
        using var stop = new CancellationTokenSource();
        var consuming = subscribers.Select(s => Task.Run(() => s.ConsumeAsync(stop.Token))).ToArray();
        var publishing = publishers.Select((p, i) => Task.Run(() => p.PublishAsync($"load/{run}/{i}", 100, qos, window: 256, stop.Token))).ToArray();

        await Task.Delay(TimeSpan.FromSeconds(2)); // warm-up
        long start = subscribers.Sum(s => Interlocked.Read(ref s.Received));
        var clock = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        long delivered = subscribers.Sum(s => Interlocked.Read(ref s.Received)) - start;
        double elapsed = clock.Elapsed.TotalSeconds;
        stop.Cancel();
        var published = await Task.WhenAll(publishing);
        foreach (var c in publishers.Concat(subscribers)) await c.DisposeAsync();
        await Task.WhenAll(consuming);
        return new Result(pairs, qos, delivered / elapsed, published.Sum() / (elapsed + 2));
    }
}
