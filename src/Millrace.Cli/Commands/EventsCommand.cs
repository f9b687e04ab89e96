using System.CommandLine;
using System.Text.RegularExpressions;
using Millrace.Hub.Log;
using Millrace.Log.Sqlite;

namespace Millrace.Cli.Commands;

/// <summary>
/// <c>millrace events tail|stats</c>: reads the durable log of a running hub over its HTTP API (<c>--url</c>, default
/// http://127.0.0.1:5080) or, when no hub has it open, a data folder directly (<c>--data</c>). The log file takes one
/// opener at a time, so a running hub's folder is read through the hub.
/// </summary>
internal static partial class EventsCommand
{
    public static Command Create()
    {
        var command = new Command("events", "Read business events from the durable log.") { Tail(), Stats() };
        return command;
    }

    private static Command Tail()
    {
        var type = new Option<string?>("--type") { Description = "Only this type (full, or a dotted part: production.completed)." };
        var plant = new Option<string?>("--plant") { Description = "Only this plant." };
        var from = new Option<string?>("--from") { Description = "Start: start (default), end, an offset (in every partition) or an RFC 3339 time." };
        var noFollow = new Option<bool>("--no-follow") { Description = "Print what is there and exit." };
        var (data, url) = Source();
        var command = new Command("tail", "Print events, one line each (time, type, plant, subject, data), and follow new ones.") { type, plant, from, noFollow, data, url };
        command.SetAction(async (parse, ct) =>
        {
            var filter = new EventFilter(parse.GetValue(type), parse.GetValue(plant), parse.GetValue(from));
            if (filter.Problem() is { } problem) { Console.Error.WriteLine("--from: " + problem); return 2; }
            bool follow = !parse.GetValue(noFollow);
            try
            {
                if (parse.GetValue(data) is { } folder)
                {
                    await using var log = OpenFolder(folder);
                    if (log is null) return 1;
                    await foreach (var e in EventQuery.ReadAsync(log, filter, follow, ct)) Console.Out.WriteLine(e.ToLine());
                    return 0;
                }
                using var http = Client(parse.GetValue(url)!, follow);
                string query = $"/api/v1/events?follow={(follow ? "true" : "false")}" + Param("type", filter.Type) + Param("plant", filter.Plant) + Param("from", filter.From);
                using var response = await http.GetAsync(query, HttpCompletionOption.ResponseHeadersRead, ct);
                if (!response.IsSuccessStatusCode) { Console.Error.WriteLine($"{http.BaseAddress}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}"); return 1; }
                using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
                while (await reader.ReadLineAsync(ct) is { } line)
                    if (line.Length > 0) Console.Out.WriteLine(EventView.FromJson(line).ToLine());
                return 0;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { return 0; }
            catch (HttpRequestException e) { Console.Error.WriteLine($"{parse.GetValue(url)}: no hub answers ({e.Message}); start one with 'millrace run' or read a folder with --data"); return 1; }
        });
        return command;
    }

    private static Command Stats()
    {
        var (data, url) = Source();
        var command = new Command("stats", "Count events per type and plant.") { data, url };
        command.SetAction(async (parse, ct) =>
        {
            IReadOnlyList<EventCount> counts;
            try
            {
                if (parse.GetValue(data) is { } folder)
                {
                    await using var log = OpenFolder(folder);
                    if (log is null) return 1;
                    counts = await EventQuery.StatsAsync(log, ct);
                }
                else
                {
                    using var http = Client(parse.GetValue(url)!, follow: false);
                    string body = await http.GetStringAsync("/api/v1/events/stats", ct);
                    counts = [.. body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(EventCount.FromJson)];
                }
            }
            catch (HttpRequestException e) { Console.Error.WriteLine($"{parse.GetValue(url)}: no hub answers ({e.Message}); start one with 'millrace run' or read a folder with --data"); return 1; }
            int typeWidth = Math.Max(4, counts.Select(c => c.Type.Length).DefaultIfEmpty(0).Max());
            int plantWidth = Math.Max(5, counts.Select(c => c.Plant.Length).DefaultIfEmpty(0).Max());
            Console.Out.WriteLine($"{"type".PadRight(typeWidth)}  {"plant".PadRight(plantWidth)}  {"count",10}");
            foreach (var c in counts) Console.Out.WriteLine($"{c.Type.PadRight(typeWidth)}  {c.Plant.PadRight(plantWidth)}  {c.Count,10:N0}");
            Console.Out.WriteLine($"{"total".PadRight(typeWidth)}  {"".PadRight(plantWidth)}  {counts.Sum(c => c.Count),10:N0}");
            return 0;
        });
        return command;
    }

    private static (Option<string?> Data, Option<string> Url) Source() => (
        new Option<string?>("--data") { Description = "Read this data folder directly (only when no hub has it open)." },
        new Option<string>("--url") { Description = "Read from this running hub.", DefaultValueFactory = _ => "http://127.0.0.1:5080" });

    private static HttpClient Client(string url, bool follow)
        => new() { BaseAddress = new Uri(url), Timeout = follow ? Timeout.InfiniteTimeSpan : TimeSpan.FromSeconds(60) };

    private static string Param(string name, string? value) => value is null ? "" : $"&{name}={Uri.EscapeDataString(value)}";

    /// <summary>The folder's log with the partition count it was created with, or null after printing why not.</summary>
    private static SqliteEventLog? OpenFolder(string folder)
    {
        string path = Path.Combine(folder, "log.db");
        if (!File.Exists(path)) { Console.Error.WriteLine($"{folder}: no event log (log.db) in this folder"); return null; }
        try
        {
            return Open(path, 16);
        }
        catch (InvalidOperationException e) when (CreatedWith().Match(e.Message) is { Success: true } m)
        {
            return Open(path, int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        }
        catch (InvalidOperationException e) when (e.Message.Contains("already open", StringComparison.Ordinal))
        {
            Console.Error.WriteLine($"the data folder '{folder}' is in use by a running hub; read it through the hub with --url");
            return null;
        }
    }

    private static SqliteEventLog Open(string path, int partitions)
        => SqliteEventLog.Open(new SqliteEventLogOptions { Path = path, PartitionCount = partitions, RetentionInterval = Timeout.InfiniteTimeSpan });

    [GeneratedRegex(@"created with (\d+) partitions")]
    private static partial Regex CreatedWith();
}
