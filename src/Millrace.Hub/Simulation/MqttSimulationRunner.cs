using System.Buffers;
using System.Diagnostics;
using Millrace.Mqtt;
using Millrace.Mqtt.Client;

namespace Millrace.Hub.Simulation;

/// <summary>
/// Drives a <see cref="PlantSimulator"/> over MQTT at a steady sample rate: one message per asset (every signal of it,
/// a JSON array without <c>asset</c>) on the topic the template gives, e.g. <c>acme/{plant}/{line}/{asset}/telemetry</c>.
/// Production orders still go to the hub's HTTP event ingest when <c>hubForEvents</c> is given: they are
/// business events, not telemetry.
/// </summary>
public static class MqttSimulationRunner
{
    private static readonly TimeSpan OrderInterval = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Whether <paramref name="template"/> can be filled from an asset's full id (<c>{plant}</c>, <c>{line}</c> and
    /// <c>{asset}</c> placeholders only, each once); <paramref name="error"/> says why not.
    /// </summary>
    public static bool IsUsableTemplate(string template, out string? error)
    {
        error = null;
        foreach (var p in new[] { "{plant}", "{line}", "{asset}" })
            if (!template.Contains(p, StringComparison.Ordinal)) error ??= $"topic template '{template}' needs {p}";
        string rest = template.Replace("{plant}", "", StringComparison.Ordinal).Replace("{line}", "", StringComparison.Ordinal).Replace("{asset}", "", StringComparison.Ordinal);
        if (rest.Contains('{') || rest.Contains('+') || rest.Contains('#')) error ??= $"topic template '{template}' may only use {{plant}}, {{line}} and {{asset}}";
        return error is null;
    }

    /// <summary>The topic of <paramref name="assetId"/> (<c>plant/line-or-area/asset</c>) under <paramref name="template"/>.</summary>
    public static string TopicOf(string template, string assetId)
    {
        var parts = assetId.Split('/', 3);
        return template.Replace("{plant}", parts[0], StringComparison.Ordinal)
            .Replace("{line}", parts.Length > 1 ? parts[1] : "", StringComparison.Ordinal)
            .Replace("{asset}", parts.Length > 2 ? parts[2] : "", StringComparison.Ordinal);
    }

    /// <summary>Publishes (QoS 0) through the connected <paramref name="client"/> until <paramref name="cancellationToken"/> is cancelled.</summary>
    public static async Task RunAsync(MqttClient client, string topicTemplate, PlantSimulator simulator, SimulatorOptions options,
        SimulationProgress progress, Uri? hubForEvents = null, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        if (!IsUsableTemplate(topicTemplate, out var error)) throw new ArgumentException(error, nameof(topicTemplate));
        time ??= TimeProvider.System;
        using var http = hubForEvents is null ? null : new HttpClient { BaseAddress = hubForEvents, Timeout = TimeSpan.FromSeconds(30) };
        var topics = new Dictionary<string, string>(StringComparer.Ordinal); // asset id → topic, built once per asset
        var buffer = new ArrayBufferWriter<byte>(4096);
        long started = Stopwatch.GetTimestamp();
        long samples = 0;
        var nextOrders = TimeSpan.Zero;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var elapsed = Stopwatch.GetElapsedTime(started);
                if (http is not null && elapsed >= nextOrders)
                {
                    await SimulationRunner.SendOrdersAsync(http, simulator, progress, time, cancellationToken).ConfigureAwait(false);
                    nextOrders = elapsed + OrderInterval;
                }
                var due = TimeSpan.FromSeconds((double)samples / options.Rate);
                if (due - elapsed > TimeSpan.FromMilliseconds(5)) await Task.Delay(due - elapsed, cancellationToken).ConfigureAwait(false);
                buffer.ResetWrittenCount();
                string asset = simulator.WriteAssetBatch(buffer, time.GetUtcNow(), out int count);
                if (!topics.TryGetValue(asset, out var topic)) topics[asset] = topic = TopicOf(topicTemplate, asset);
                samples += count;
                try
                {
                    // QoS 0 completes once written: the payload buffer can be reused for the next message.
                    await client.PublishAsync(topic, buffer.WrittenMemory, MqttQualityOfService.AtMostOnce, cancellationToken: cancellationToken).ConfigureAwait(false);
                    progress.Answered(count, ok: true);
                }
                catch (MqttClientException)
                {
                    progress.Failed();
                    await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false); // broker away: back off, the client reconnects
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
