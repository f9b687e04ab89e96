using System.Diagnostics.Metrics;
using Millrace.Hub.Observability;

namespace Millrace.Hub.Tests.Observability;

public class PrometheusTextExporterTests
{
    [Fact]
    public void Counter_is_rendered_with_total_suffix_help_type_and_sorted_escaped_labels()
    {
        var scope = new object();
        using var meter = new Meter(new MeterOptions("Millrace.Test") { Scope = scope });
        using var exporter = new PrometheusTextExporter(scope);
        var counter = meter.CreateCounter<long>("millrace.test.items", "{item}", "Items seen.");
        counter.Add(3, new("source", "http"), new("b", "x\"y"));
        counter.Add(4, new("b", "x\"y"), new("source", "http"));
        counter.Add(1, new KeyValuePair<string, object?>("source", "mqtt"));

        string text = exporter.Render();

        Assert.Contains("# HELP millrace_test_items_total Items seen.\n# TYPE millrace_test_items_total counter\n", text);
        Assert.Contains("millrace_test_items_total{b=\"x\\\"y\",source=\"http\"} 7\n", text);
        Assert.Contains("millrace_test_items_total{source=\"mqtt\"} 1\n", text);
    }

    [Fact]
    public void Repeated_tag_sets_add_to_their_own_series_whether_looked_up_by_value_or_by_label_text()
    {
        var scope = new object();
        using var meter = new Meter(new MeterOptions("Millrace.Test") { Scope = scope });
        using var exporter = new PrometheusTextExporter(scope);
        var counter = meter.CreateCounter<long>("millrace.test.hits", "{hit}", "Hits.");
        for (int i = 0; i < 3; i++)
        {
            counter.Add(1, new("shard", 0), new("outcome", "accepted"));
            counter.Add(10, new("shard", 1), new("outcome", "accepted"));
            counter.Add(100, new KeyValuePair<string, object?>("a", "1"), new("b", "2"), new("c", "3"), new("d", "4")); // more tags than the value lookup holds
        }
        counter.Add(1000, new("outcome", "accepted"), new("shard", 0)); // same set, other order

        string text = exporter.Render();

        Assert.Contains("millrace_test_hits_total{outcome=\"accepted\",shard=\"0\"} 1003\n", text);
        Assert.Contains("millrace_test_hits_total{outcome=\"accepted\",shard=\"1\"} 30\n", text);
        Assert.Contains("millrace_test_hits_total{a=\"1\",b=\"2\",c=\"3\",d=\"4\"} 300\n", text);
    }

    [Fact]
    public void Histogram_has_cumulative_buckets_sum_and_count_in_seconds()
    {
        var scope = new object();
        using var meter = new Meter(new MeterOptions("Millrace.Test") { Scope = scope });
        using var exporter = new PrometheusTextExporter(scope);
        var histogram = meter.CreateHistogram<double>("millrace.test.duration", "s", "Durations.");
        histogram.Record(0.003);
        histogram.Record(0.2);
        histogram.Record(20);

        string text = exporter.Render();

        Assert.Contains("# TYPE millrace_test_duration_seconds histogram\n", text);
        Assert.Contains("millrace_test_duration_seconds_bucket{le=\"0.0025\"} 0\n", text);
        Assert.Contains("millrace_test_duration_seconds_bucket{le=\"0.005\"} 1\n", text);
        Assert.Contains("millrace_test_duration_seconds_bucket{le=\"0.25\"} 2\n", text);
        Assert.Contains("millrace_test_duration_seconds_bucket{le=\"10\"} 2\n", text);
        Assert.Contains("millrace_test_duration_seconds_bucket{le=\"+Inf\"} 3\n", text);
        Assert.Contains("millrace_test_duration_seconds_sum 20.203\n", text);
        Assert.Contains("millrace_test_duration_seconds_count 3\n", text);
    }

    [Fact]
    public void Histogram_with_advised_bounds_is_bucketed_by_them_below_the_default_resolution()
    {
        var scope = new object();
        using var meter = new Meter(new MeterOptions("Millrace.Test") { Scope = scope });
        using var exporter = new PrometheusTextExporter(scope);
        var histogram = meter.CreateHistogram("millrace.test.latency", "s", "Latency.", tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = PrometheusTextExporter.FineLatencyBounds });
        histogram.Record(0.0018);
        histogram.Record(0.0042);
        histogram.Record(0.0049);

        string text = exporter.Render();

        Assert.Contains("millrace_test_latency_seconds_bucket{le=\"0.001\"} 0\n", text);
        Assert.Contains("millrace_test_latency_seconds_bucket{le=\"0.002\"} 1\n", text);
        Assert.Contains("millrace_test_latency_seconds_bucket{le=\"0.004\"} 1\n", text);
        Assert.Contains("millrace_test_latency_seconds_bucket{le=\"0.005\"} 3\n", text);
        Assert.Contains("millrace_test_latency_seconds_bucket{le=\"+Inf\"} 3\n", text);
        Assert.DoesNotContain("le=\"0.0025\"", text); // the default bounds are not mixed in
    }

    [Fact]
    public void Runtime_meters_report_gc_pause_time_collections_and_allocations()
    {
        var scope = new object();
        using var exporter = new PrometheusTextExporter(scope);
        using var runtime = new RuntimeMetrics(scope);

        string text = exporter.Render();

        Assert.Contains("# TYPE millrace_runtime_gc_pause_time_seconds_total counter\n", text);
        Assert.Contains("millrace_runtime_gc_collections_total{generation=\"gen2\"} ", text);
        Assert.Matches(@"(?m)^millrace_runtime_allocated_bytes_total [1-9]", text);
    }

    [Fact]
    public void Observable_gauge_is_read_at_scrape_time()
    {
        var scope = new object();
        using var meter = new Meter(new MeterOptions("Millrace.Test") { Scope = scope });
        using var exporter = new PrometheusTextExporter(scope);
        long depth = 5;
        meter.CreateObservableGauge("millrace.test.depth", () => depth, "{item}", "Depth.");
        Assert.Contains("millrace_test_depth 5\n", exporter.Render());
        depth = 9;
        Assert.Contains("millrace_test_depth 9\n", exporter.Render());
    }

    [Fact]
    public void Meters_of_another_scope_or_outside_Millrace_are_not_exported()
    {
        var scope = new object();
        using var other = new Meter(new MeterOptions("Millrace.Test") { Scope = new object() });
        using var foreign = new Meter(new MeterOptions("Contoso.Test") { Scope = scope });
        using var exporter = new PrometheusTextExporter(scope);
        other.CreateCounter<long>("millrace.other").Add(1);
        foreign.CreateCounter<long>("contoso.thing").Add(1);
        Assert.Equal("", exporter.Render());
    }
}
