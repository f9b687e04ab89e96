using System.Buffers;
using System.Diagnostics;
using System.Net.Http.Headers;
using Millrace.Core.Events;

namespace Millrace.Hub.Simulation;

/// <summary>Live counters of a simulation run.</summary>
public sealed class SimulationProgress
{
    private long _sent, _accepted, _refused, _failed, _events;

    /// <summary>Samples sent in requests that got an answer.</summary>
    public long SamplesSent => Interlocked.Read(ref _sent);

    /// <summary>Requests the hub answered 2xx.</summary>
    public long RequestsAccepted => Interlocked.Read(ref _accepted);

    /// <summary>Requests the hub refused (4xx/5xx).</summary>
    public long RequestsRefused => Interlocked.Read(ref _refused);

    /// <summary>Requests that got no answer (hub down, connection refused, timeout).</summary>
    public long RequestsFailed => Interlocked.Read(ref _failed);

    /// <summary>Business events accepted by the hub.</summary>
    public long EventsSent => Interlocked.Read(ref _events);

    internal void Answered(int samples, bool ok)
    {
        Interlocked.Add(ref _sent, samples);
        Interlocked.Increment(ref ok ? ref _accepted : ref _refused);
    }

    internal void Failed() => Interlocked.Increment(ref _failed);

    internal void Events(int count) => Interlocked.Add(ref _events, count);
}

/// <summary>
/// Drives a <see cref="PlantSimulator"/> against a hub's HTTP ingest at a steady rate, with a bounded number of
/// requests in flight. A hub that is down slows the run (back-off), it does not crash it.
/// </summary>
public static class SimulationRunner
{
    private static readonly TimeSpan OrderInterval = TimeSpan.FromMinutes(2);

    /// <summary>Runs until <paramref name="cancellationToken"/> is cancelled.</summary>
    public static async Task RunAsync(Uri hub, PlantSimulator simulator, SimulatorOptions options, SimulationProgress progress,
        TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        time ??= TimeProvider.System;
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = options.Concurrency, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = hub,
            Timeout = TimeSpan.FromSeconds(30),
        };
        using var inFlight = new SemaphoreSlim(options.Concurrency, options.Concurrency);
        var pending = new List<Task>();
        double interval = (double)options.BatchSize / options.Rate; // seconds between batches
        long started = Stopwatch.GetTimestamp();
        long batch = 0;
        var nextOrders = TimeSpan.Zero;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var elapsed = Stopwatch.GetElapsedTime(started);
                if (elapsed >= nextOrders)
                {
                    await SendOrdersAsync(http, simulator, progress, time, cancellationToken).ConfigureAwait(false);
                    nextOrders = elapsed + OrderInterval;
                }
                var due = TimeSpan.FromSeconds(batch * interval);
                if (due > elapsed) await Task.Delay(due - elapsed, cancellationToken).ConfigureAwait(false);
                await inFlight.WaitAsync(cancellationToken).ConfigureAwait(false);
                var buffer = new ArrayBufferWriter<byte>(options.BatchSize * 96);
                int samples = simulator.WriteBatch(buffer, time.GetUtcNow());
                batch++;
                pending.RemoveAll(t => t.IsCompleted);
                pending.Add(SendAsync(http, buffer.WrittenMemory, samples, inFlight, progress, cancellationToken));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        await Task.WhenAll(pending).ConfigureAwait(false);
    }

    private static async Task SendAsync(HttpClient http, ReadOnlyMemory<byte> body, int samples, SemaphoreSlim inFlight, SimulationProgress progress, CancellationToken ct)
    {
        try
        {
            using var content = new ReadOnlyMemoryContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await http.PostAsync("/ingest/telemetry", content, ct).ConfigureAwait(false);
            progress.Answered(samples, response.IsSuccessStatusCode);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            progress.Failed();
            await Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None).ConfigureAwait(false); // hub unreachable: back off
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            inFlight.Release();
        }
    }

    internal static async Task SendOrdersAsync(HttpClient http, PlantSimulator simulator, SimulationProgress progress, TimeProvider time, CancellationToken ct)
    {
        var events = simulator.ReleaseOrders(time.GetUtcNow());
        if (events.Count == 0) return;
        try
        {
            using var content = new ByteArrayContent(CloudEventJsonWriter.SerializeBatch(events));
            content.Headers.ContentType = new MediaTypeHeaderValue(CloudEventMediaTypes.Batch);
            using var response = await http.PostAsync("/ingest/events", content, ct).ConfigureAwait(false);
            if (response.IsSuccessStatusCode) progress.Events(events.Count);
        }
        catch (HttpRequestException)
        {
            progress.Failed();
        }
    }
}
