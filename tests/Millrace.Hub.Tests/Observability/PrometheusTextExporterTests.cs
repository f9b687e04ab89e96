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
