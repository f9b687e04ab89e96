using System.Globalization;
using System.Text.RegularExpressions;

namespace Millrace.IngestLoad;

/// <summary>
/// What a load run did to the hub, from two scrapes of its /metrics: the latency histograms (sample-to-event, its
/// stages, the log's commit, fsync and WAL checkpoint) as quantiles over the run, and the runtime's GC pause time,
/// collections and allocations per sample over the run.
/// </summary>
internal static partial class RunReport
{
    private static readonly (string Metric, string Label)[] Histograms =
    [
        ("millrace_rules_event_latency_seconds", "sample-to-event"),
        ("millrace_rules_event_stage_seconds{stage=\"shard_queue\"", "  stage shard_queue"),
        ("millrace_rules_event_stage_seconds{stage=\"rules\"", "  stage rules"),
        ("millrace_rules_event_stage_seconds{stage=\"emission_queue\"", "  stage emission_queue"),
        ("millrace_rules_event_stage_seconds{stage=\"gate\"", "  stage gate"),
        ("millrace_rules_event_stage_seconds{stage=\"append\"", "  stage append"),
        ("millrace_log_commit_duration_seconds", "log group commit"),
        ("millrace_log_fsync_duration_seconds", "log WAL fsync"),
        ("millrace_log_wal_checkpoint_duration_seconds", "log WAL checkpoint"),
        ("millrace_ingest_duration_seconds{endpoint=\"telemetry\"", "hub ingest request"),
    ];

    /// <summary>One line per histogram that moved during the run: count, p50, p99, p99.9 (bucket upper bounds) and max bucket.</summary>
    public static IEnumerable<string> Latencies(string before, string after)
    {
        foreach (var (metric, label) in Histograms)
        {
            var b = Buckets(before, metric).ToDictionary(x => x.Le, x => x.Count);
            var a = Buckets(after, metric);
            if (a.Count == 0) continue;
            var delta = a.Select(x => (x.Le, Count: x.Count - b.GetValueOrDefault(x.Le))).ToList();
            double total = delta.First(x => x.Le == "+Inf").Count;
            if (total <= 0) continue;
            string Q(double q)
            {
                foreach (var (le, count) in delta)
                    if (count >= q * total) return Bound(le);
                return "?";
            }
            string max = Bound(delta.First(x => x.Count >= total).Le);
            yield return $"{label,-22} n={total,8:N0}  p50 {Q(0.5),9}  p99 {Q(0.99),9}  p99.9 {Q(0.999),9}  max {max,9}";
        }
    }

    /// <summary>GC pause time, collections by generation and bytes allocated per accepted sample over the run.</summary>
    public static string Runtime(string before, string after, double samples)
    {
        double Delta(string series) => Value(after, series) - Value(before, series);
        double pause = Delta("millrace_runtime_gc_pause_time_seconds_total");
        double allocated = Delta("millrace_runtime_allocated_bytes_total");
        return string.Create(CultureInfo.InvariantCulture,
            $"hub GC during the run: pause {pause * 1000:N1} ms total; collections gen0 {Delta("millrace_runtime_gc_collections_total{generation=\"gen0\"}"):N0}, " +
            $"gen1 {Delta("millrace_runtime_gc_collections_total{generation=\"gen1\"}"):N0}, gen2 {Delta("millrace_runtime_gc_collections_total{generation=\"gen2\"}"):N0}; " +
            $"allocated {allocated / (1 << 20):N0} MiB ({(samples > 0 ? allocated / samples : 0):N0} B per accepted sample, all hub threads)");
    }

    private static string Bound(string le) => le == "+Inf" ? "> 10 s" : $"<= {double.Parse(le, CultureInfo.InvariantCulture) * 1000:0.##} ms";

    private static double Value(string text, string series)
    {
        foreach (var line in text.AsSpan().EnumerateLines())
            if (line.StartsWith(series) && line.Length > series.Length && line[series.Length] == ' ')
                return double.Parse(line[(series.Length + 1)..], CultureInfo.InvariantCulture);
        return 0;
    }

    /// <summary>Cumulative buckets of one series: <paramref name="metric"/> is the name, optionally with its first labels and no closing brace.</summary>
    private static List<(string Le, double Count)> Buckets(string text, string metric)
    {
        int brace = metric.IndexOf('{');
        string name = brace < 0 ? metric : metric[..brace];
        string labels = brace < 0 ? "" : metric[(brace + 1)..] + ",";
        var pattern = "^" + Regex.Escape(name) + @"_bucket\{" + Regex.Escape(labels) + @"le=""([^""]+)""\} (\S+)$";
        return [.. Regex.Matches(text, pattern, RegexOptions.Multiline)
            .Select(m => (m.Groups[1].Value, double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)))];
    }
}
