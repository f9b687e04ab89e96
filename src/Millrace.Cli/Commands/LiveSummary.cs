using System.Diagnostics;
using Millrace.Hub.Hosting;
using Millrace.Hub.Simulation;
using Spectre.Console;

namespace Millrace.Cli.Commands;

/// <summary>The demo's terminal view: a live table on a terminal, a plain line every 5 s when output is redirected.</summary>
internal static class LiveSummary
{
    public sealed record Snapshot(long Processed, double SamplesPerSecond, int Assets, long Events, long DeadLetters, long Failed);

    public static async Task<Snapshot> SnapshotAsync(HubHost hub, SimulationProgress progress, long previous = 0, double seconds = 1)
    {
        var info = await hub.Log.GetInfoAsync();
        long processed = hub.Pipeline.Processed;
        return new Snapshot(processed, (processed - previous) / seconds, hub.Pipeline.AssetsReporting(),
            info.Partitions.Sum(p => p.NextOffset), hub.DeadLetters.Count, progress.RequestsFailed);
    }

    public static async Task ShowAsync(HubHost hub, SimulationProgress progress, CancellationToken ct)
    {
        if (Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
        {
            await PlainAsync(hub, progress, ct);
            return;
        }
        var table = new Table().Border(TableBorder.Rounded).AddColumn("Millrace hub").AddColumn(new TableColumn("").RightAligned());
        await AnsiConsole.Live(table).StartAsync(async ctx =>
        {
            long previous = 0;
            var clock = Stopwatch.StartNew();
            var started = Stopwatch.StartNew();
            while (!ct.IsCancellationRequested)
            {
                try { await Task.Delay(1000, ct); } catch (OperationCanceledException) { }
                var s = await SnapshotAsync(hub, progress, previous, clock.Elapsed.TotalSeconds);
                previous = s.Processed;
                clock.Restart();
                table.Rows.Clear();
                table.AddRow("URL", hub.BaseAddress.ToString());
                table.AddRow("uptime", started.Elapsed.ToString(@"hh\:mm\:ss"));
                table.AddRow("samples/s", $"{s.SamplesPerSecond:N0}");
                table.AddRow("samples", $"{s.Processed:N0}");
                table.AddRow("assets reporting", s.Assets.ToString("N0"));
                table.AddRow("business events in the log", s.Events.ToString("N0"));
                foreach (var (kind, count) in RuleEventKinds(hub)) table.AddRow("  " + kind, count.ToString("N0"));
                foreach (var e in hub.Emitter?.Recent().TakeLast(4) ?? [])
                    table.AddRow(Markup.Escape($"  {e.Time:HH:mm:ss} {ShortType(e.Type)}"), Markup.Escape(e.Subject ?? ""));
                if (WorkflowCounts(hub) is { } wf)
                    table.AddRow("workflows running / completed / failed", wf.Failed == 0 ? $"{wf.Running:N0} / {wf.Completed:N0} / 0"
                        : $"{wf.Running:N0} / {wf.Completed:N0} / [red]{wf.Failed:N0}[/]");
                table.AddRow("dead letters", s.DeadLetters == 0 ? "0" : $"[yellow]{s.DeadLetters:N0}[/]");
                table.AddRow("failed requests", s.Failed == 0 ? "0" : $"[red]{s.Failed:N0}[/]");
                ctx.Refresh();
            }
        });
    }

    /// <summary>Workflow instances by status (running includes compensating), or null when the hub runs no workflows.</summary>
    public static (long Running, long Completed, long Failed)? WorkflowCounts(HubHost hub)
    {
        if (hub.Workflows is not { } engine) return null;
        var c = engine.Store.CountByStatus();
        long Get(string k) => c.TryGetValue(k, out var v) ? v : 0;
        return (Get("Running") + Get("Compensating"), Get("Completed"), Get("Failed"));
    }

    /// <summary>Rule events appended so far by kind (type without publisher prefix and version), most frequent first.</summary>
    public static IEnumerable<(string Kind, long Count)> RuleEventKinds(HubHost hub)
        => (hub.Emitter?.CountsByType ?? new Dictionary<string, long>()).Select(kv => (ShortType(kv.Key), kv.Value)).OrderByDescending(k => k.Value);

    private static string ShortType(string type)
    {
        var parts = type.Split('.');
        int end = parts.Length > 1 && parts[^1].StartsWith('v') ? parts.Length - 1 : parts.Length;
        return string.Join('.', parts[Math.Min(2, end - 1)..end]);
    }

    private static async Task PlainAsync(HubHost hub, SimulationProgress progress, CancellationToken ct)
    {
        long previous = 0;
        var clock = Stopwatch.StartNew();
        while (!ct.IsCancellationRequested)
        {
            try { await Task.Delay(5000, ct); } catch (OperationCanceledException) { break; }
            var s = await SnapshotAsync(hub, progress, previous, clock.Elapsed.TotalSeconds);
            previous = s.Processed;
            clock.Restart();
            Console.Out.WriteLine($"{s.SamplesPerSecond,10:N0} samples/s | {s.Processed,12:N0} samples | {s.Assets} assets | " +
                                  $"{s.Events:N0} events | {s.DeadLetters:N0} dead letters | {s.Failed} failed requests" +
                                  string.Concat(RuleEventKinds(hub).Select(k => $" | {k.Kind} {k.Count:N0}")) +
                                  (WorkflowCounts(hub) is { } wf ? $" | workflows {wf.Running:N0} running, {wf.Completed:N0} completed, {wf.Failed:N0} failed" : ""));
        }
    }
}
