using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Millrace.Core.Events;
using Millrace.Log;

namespace Millrace.Hub.Log;

/// <summary>Which events to read: by type (full, or a dotted part such as <c>production.completed</c>), plant and start.</summary>
/// <param name="Type">Type filter, or null for all.</param>
/// <param name="Plant">Plant filter, or null for all.</param>
/// <param name="From">Where to start in every partition: <c>start</c> (default), <c>end</c>, an offset, or an RFC 3339 time (append time).</param>
public sealed record EventFilter(string? Type = null, string? Plant = null, string? From = null)
{
    /// <summary>True when <paramref name="type"/> passes the type filter.</summary>
    public bool MatchesType(string? type)
        => Type is null || (type is not null && (type == Type || ("." + type + ".").Contains("." + Type + ".", StringComparison.Ordinal)));

    /// <summary>Checks <see cref="From"/>; null when valid, else why not.</summary>
    public string? Problem()
        => From is null or "start" or "end" || long.TryParse(From, NumberStyles.None, CultureInfo.InvariantCulture, out _) ||
           DateTimeOffset.TryParse(From, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _)
            ? null
            : $"from '{From}' is not 'start', 'end', an offset or an RFC 3339 time";
}

/// <summary>An event as <c>millrace events</c> shows it.</summary>
public sealed record EventView(int Partition, long Offset, DateTimeOffset AppendedAt, DateTimeOffset? Time, string Type, string? Plant,
    string? Subject, string Id, string? Data)
{
    /// <summary>One NDJSON line (the HTTP API's format).</summary>
    public string ToJson()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("partition", Partition);
            w.WriteNumber("offset", Offset);
            w.WriteString("appendedAt", AppendedAt);
            if (Time is { } t) w.WriteString("time", t);
            w.WriteString("type", Type);
            if (Plant is not null) w.WriteString("plant", Plant);
            if (Subject is not null) w.WriteString("subject", Subject);
            w.WriteString("id", Id);
            if (Data is not null) { w.WritePropertyName("data"); w.WriteRawValue(Data); }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Reads a line written by <see cref="ToJson"/>.</summary>
    public static EventView FromJson(string line)
    {
        using var doc = JsonDocument.Parse(line);
        var r = doc.RootElement;
        string? S(string n) => r.TryGetProperty(n, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        return new EventView(r.GetProperty("partition").GetInt32(), r.GetProperty("offset").GetInt64(), r.GetProperty("appendedAt").GetDateTimeOffset(),
            r.TryGetProperty("time", out var t) ? t.GetDateTimeOffset() : null, S("type") ?? "", S("plant"), S("subject"), S("id") ?? "",
            r.TryGetProperty("data", out var d) ? d.GetRawText() : null);
    }

    /// <summary>One line for people: time, type, plant, subject, data.</summary>
    public string ToLine()
    {
        string data = Data is null ? "" : Data.Length <= 160 ? Data : Data[..157] + "...";
        return $"{(Time ?? AppendedAt).UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ}  {Type}  {Plant ?? "-"}  {Subject ?? "-"}  {data}";
    }
}

/// <summary>Per (type, plant) count.</summary>
public sealed record EventCount(string Type, string Plant, long Count)
{
    /// <summary>One NDJSON line.</summary>
    public string ToJson()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(128);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("type", Type);
            w.WriteString("plant", Plant);
            w.WriteNumber("count", Count);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Reads a line written by <see cref="ToJson"/>.</summary>
    public static EventCount FromJson(string line)
    {
        using var doc = JsonDocument.Parse(line);
        var r = doc.RootElement;
        return new EventCount(r.GetProperty("type").GetString()!, r.GetProperty("plant").GetString()!, r.GetProperty("count").GetInt64());
    }
}

/// <summary>Reads the log for <c>millrace events</c> and the hub's <c>/api/v1/events</c>: filtered, optionally following.</summary>
public static class EventQuery
{
    /// <summary>
    /// Events matching <paramref name="filter"/>: what is there now (per partition in offset order, partitions one after
    /// another), then, when <paramref name="follow"/>, new events as they are appended until cancelled.
    /// </summary>
    public static async IAsyncEnumerable<EventView> ReadAsync(IEventLog log, EventFilter filter, bool follow,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var starts = new long[log.PartitionCount];
        var tails = new long[log.PartitionCount];
        for (int p = 0; p < starts.Length; p++)
        {
            var info = await log.GetPartitionInfoAsync(p, cancellationToken).ConfigureAwait(false);
            tails[p] = info.NextOffset;
            starts[p] = await StartOffsetAsync(log, p, info, filter.From, cancellationToken).ConfigureAwait(false);
        }
        for (int p = 0; p < starts.Length; p++)
        {
            long offset = starts[p];
            while (offset < tails[p])
            {
                var page = await log.ReadAsync(p, offset, 1024, cancellationToken).ConfigureAwait(false);
                if (page.Count == 0) break;
                foreach (var entry in page)
                    if (entry.Position.Offset < tails[p] && View(entry, filter) is { } view) yield return view;
                offset = page[^1].Position.Offset + 1;
            }
        }
        if (!follow) yield break;
        // Follow every partition from its tail; one channel merges them in arrival order.
        var merged = Channel.CreateBounded<EventView>(1024);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var followers = Enumerable.Range(0, tails.Length).Select(p => Task.Run(async () =>
        {
            try
            {
                await foreach (var entry in log.FollowAsync(p, tails[p], stop.Token).ConfigureAwait(false))
                    if (View(entry, filter) is { } view) await merged.Writer.WriteAsync(view, stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) { }
            catch (ObjectDisposedException) { merged.Writer.TryComplete(); }
        })).ToArray();
        try
        {
            await foreach (var view in merged.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false)) yield return view;
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(followers).ConfigureAwait(false);
        }
    }

    /// <summary>Counts per event type and plant over everything retained (reads the whole log).</summary>
    public static async Task<IReadOnlyList<EventCount>> StatsAsync(IEventLog log, CancellationToken cancellationToken = default)
    {
        var counts = new Dictionary<(string, string), long>();
        await foreach (var e in ReadAsync(log, new EventFilter(), follow: false, cancellationToken).ConfigureAwait(false))
        {
            var key = (e.Type, e.Plant ?? "-");
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }
        return [.. counts.Select(kv => new EventCount(kv.Key.Item1, kv.Key.Item2, kv.Value)).OrderBy(c => c.Type, StringComparer.Ordinal).ThenBy(c => c.Plant, StringComparer.Ordinal)];
    }

    private static async Task<long> StartOffsetAsync(IEventLog log, int partition, PartitionInfo info, string? from, CancellationToken ct)
    {
        if (from is null or "start") return info.StartOffset;
        if (from == "end") return info.NextOffset;
        if (long.TryParse(from, NumberStyles.None, CultureInfo.InvariantCulture, out long offset)) return Math.Max(offset, info.StartOffset);
        var time = DateTimeOffset.Parse(from, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        return await log.FindOffsetAsync(partition, time, ct).ConfigureAwait(false);
    }

    private static string? Minified(ReadOnlyMemory<byte> json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var buffer = new System.Buffers.ArrayBufferWriter<byte>(json.Length);
            using (var w = new Utf8JsonWriter(buffer)) doc.RootElement.WriteTo(w);
            return Encoding.UTF8.GetString(buffer.WrittenSpan);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static EventView? View(LogEntry entry, EventFilter filter)
    {
        if (!filter.MatchesType(entry.Record.Type)) return null;
        var errors = new List<CloudEventError>();
        if (!CloudEventJsonReader.TryParse(entry.Record.Payload.Span, out var e, errors) || e is null) return null;
        if (filter.Plant is not null && e.Plant != filter.Plant) return null;
        string? data = e.DataKind == CloudEventDataKind.Json && !e.Data.IsEmpty ? Minified(e.Data) : null;
        return new EventView(entry.Position.Partition, entry.Position.Offset, entry.AppendedAt, e.Time, e.Type, e.Plant, e.Subject, e.Id, data);
    }
}
