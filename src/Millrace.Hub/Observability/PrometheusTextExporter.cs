using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace Millrace.Hub.Observability;

/// <summary>
/// Serves the hub's meters in the Prometheus text exposition format (version 0.0.4). Written here because the
/// OpenTelemetry Prometheus exporter is not in the package mirror. A <see cref="MeterListener"/> aggregates
/// measurements as they happen (sums for counters, cumulative buckets for histograms, last value for gauges);
/// observable instruments are read at scrape time.
/// </summary>
public sealed class PrometheusTextExporter : IDisposable
{
    /// <summary>Content type of the exposition format.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private static readonly double[] DefaultBounds = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    /// <summary>
    /// Bucket bounds (seconds) for latencies whose targets sit in single milliseconds (sample-to-event, its stages,
    /// fsync): fine below 10 ms, then the default's coarse steps. Instruments opt in through
    /// <see cref="InstrumentAdvice{T}.HistogramBucketBoundaries"/>, which OTLP exporters honour as well.
    /// </summary>
    public static readonly double[] FineLatencyBounds =
        [0.0001, 0.00025, 0.0005, 0.001, 0.002, 0.003, 0.004, 0.005, 0.0075, 0.01, 0.015, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, Family> _families = new();

    /// <summary>Listens to every instrument of meters named <c>Millrace.*</c> whose scope is <paramref name="scope"/>.</summary>
    public PrometheusTextExporter(object scope)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (!instrument.Meter.Name.StartsWith("Millrace", StringComparison.Ordinal) || !ReferenceEquals(instrument.Meter.Scope, scope)) return;
            var family = _families.GetOrAdd(instrument, i => new Family(i));
            listener.EnableMeasurementEvents(instrument, family);
        };
        _listener.MeasurementsCompleted = (instrument, _) => _families.TryRemove(instrument, out Family? _);
        _listener.SetMeasurementEventCallback<long>((_, v, tags, state) => ((Family)state!).Record(v, tags));
        _listener.SetMeasurementEventCallback<int>((_, v, tags, state) => ((Family)state!).Record(v, tags));
        _listener.SetMeasurementEventCallback<double>((_, v, tags, state) => ((Family)state!).Record(v, tags));
        _listener.Start();
    }

    /// <summary>Renders every metric family.</summary>
    public string Render()
    {
        _listener.RecordObservableInstruments();
        var sb = new StringBuilder(4096);
        foreach (var family in _families.Values.OrderBy(f => f.Name, StringComparer.Ordinal))
            family.WriteTo(sb);
        return sb.ToString();
    }

    /// <inheritdoc />
    public void Dispose() => _listener.Dispose();

    /// <summary>Prometheus metric name for an instrument: dots become underscores, the unit becomes a suffix.</summary>
    internal static string MetricName(Instrument instrument)
    {
        var sb = new StringBuilder(instrument.Name.Length + 16);
        foreach (char c in instrument.Name)
            sb.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or ':' ? c : '_');
        string suffix = instrument.Unit switch
        {
            "s" => "_seconds",
            "ms" => "_milliseconds",
            "By" => "_bytes",
            _ => "",
        };
        if (suffix.Length > 0 && !sb.ToString().EndsWith(suffix, StringComparison.Ordinal)) sb.Append(suffix);
        return sb.ToString();
    }

    private enum Kind { Counter, Gauge, Histogram }

    /// <summary>All series of one instrument, keyed by their rendered label set.</summary>
    private sealed class Family(Instrument instrument)
    {
        private readonly ConcurrentDictionary<string, Series> _series = new(StringComparer.Ordinal);
        private readonly Kind _kind = instrument switch
        {
            Counter<long> or Counter<int> or Counter<double> or ObservableCounter<long> or ObservableCounter<int> or ObservableCounter<double> => Kind.Counter,
            Histogram<long> or Histogram<int> or Histogram<double> => Kind.Histogram,
            _ => Kind.Gauge, // gauges and up-down counters both expose a current value
        };
        private readonly bool _observable = instrument.IsObservable;
        private readonly bool _upDown = instrument is UpDownCounter<long> or UpDownCounter<int> or UpDownCounter<double>;
        private readonly double[] _bounds = BoundsOf(instrument);

        /// <summary>The instrument's advised bucket bounds when it gives sorted ones, else the defaults.</summary>
        private static double[] BoundsOf(Instrument instrument)
        {
            IReadOnlyList<double>? advised = instrument switch
            {
                Histogram<double> h => h.Advice?.HistogramBucketBoundaries,
                Histogram<long> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
                Histogram<int> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
                _ => null,
            };
            if (advised is null || advised.Count == 0) return DefaultBounds;
            for (int i = 1; i < advised.Count; i++)
                if (!(advised[i] > advised[i - 1])) return DefaultBounds;
            return [.. advised];
        }

        public string Name { get; } = MetricName(instrument) + (instrument is Counter<long> or Counter<int> or Counter<double> or ObservableCounter<long> or ObservableCounter<int> or ObservableCounter<double> ? "_total" : "");

        public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var series = SeriesOf(tags);
            lock (series)
            {
                switch (_kind)
                {
                    case Kind.Counter when _observable: series.Value = value; break; // observable counters report the running total
                    case Kind.Counter: series.Value += value; break;
                    case Kind.Gauge when _upDown: series.Value += value; break;
                    case Kind.Gauge: series.Value = value; break;
                    case Kind.Histogram:
                        series.Count++;
                        series.Value += value;
                        int i = Array.BinarySearch(_bounds, value);
                        series.Buckets![i >= 0 ? i : ~i]++;
                        break;
                }
            }
        }

        /// <summary>
        /// The series of a tag set. Up to three tags are looked up by their values first (no allocation): building the
        /// label string for every recorded measurement was a string, a StringBuilder and an array per request on the
        /// ingest path. The label string is built once per distinct tag set (and tag order) on the slow path.
        /// </summary>
        private Series SeriesOf(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            if (tags.Length > TagSet.Capacity)
                return _series.GetOrAdd(Labels(tags), static (_, family) => new Series(family._kind, family._bounds.Length), this);
            var key = new TagSet(tags);
            if (_byTags.TryGetValue(key, out var known)) return known;
            var series = _series.GetOrAdd(Labels(tags), static (_, family) => new Series(family._kind, family._bounds.Length), this);
            _byTags.TryAdd(key, series);
            return series;
        }

        private readonly ConcurrentDictionary<TagSet, Series> _byTags = new();

        /// <summary>Up to three tags compared by key and value, in the order given.</summary>
        private readonly struct TagSet : IEquatable<TagSet>
        {
            public const int Capacity = 3;
            private readonly int _count;
            private readonly KeyValuePair<string, object?> _a, _b, _c;

            public TagSet(ReadOnlySpan<KeyValuePair<string, object?>> tags)
            {
                _count = tags.Length;
                if (tags.Length > 0) _a = tags[0];
                if (tags.Length > 1) _b = tags[1];
                if (tags.Length > 2) _c = tags[2];
            }

            public bool Equals(TagSet other) => _count == other._count && Same(_a, other._a) && Same(_b, other._b) && Same(_c, other._c);

            public override bool Equals(object? obj) => obj is TagSet other && Equals(other);

            public override int GetHashCode() => HashCode.Combine(_count, _a.Key, _a.Value, _b.Key, _b.Value, _c.Key, _c.Value);

            private static bool Same(KeyValuePair<string, object?> x, KeyValuePair<string, object?> y) =>
                string.Equals(x.Key, y.Key, StringComparison.Ordinal) && Equals(x.Value, y.Value);
        }

        public void WriteTo(StringBuilder sb)
        {
            if (_series.IsEmpty) return;
            string type = _kind switch { Kind.Counter => "counter", Kind.Histogram => "histogram", _ => "gauge" };
            sb.Append("# HELP ").Append(Name).Append(' ').Append(EscapeHelp(instrument.Description ?? instrument.Name)).Append('\n');
            sb.Append("# TYPE ").Append(Name).Append(' ').Append(type).Append('\n');
            foreach (var (labels, series) in _series.OrderBy(s => s.Key, StringComparer.Ordinal))
            {
                lock (series)
                {
                    if (_kind != Kind.Histogram)
                    {
                        Line(sb, Name, labels, series.Value);
                        continue;
                    }
                    long cumulative = 0;
                    for (int b = 0; b < _bounds.Length; b++)
                    {
                        cumulative += series.Buckets![b];
                        Line(sb, Name + "_bucket", Join(labels, $"le=\"{Num(_bounds[b])}\""), cumulative);
                    }
                    Line(sb, Name + "_bucket", Join(labels, "le=\"+Inf\""), series.Count);
                    Line(sb, Name + "_sum", labels, series.Value);
                    Line(sb, Name + "_count", labels, series.Count);
                }
            }
        }

        private static void Line(StringBuilder sb, string name, string labels, double value)
        {
            sb.Append(name);
            if (labels.Length > 0) sb.Append('{').Append(labels).Append('}');
            sb.Append(' ').Append(Num(value)).Append('\n');
        }

        private static string Join(string labels, string extra) => labels.Length == 0 ? extra : labels + "," + extra;

        private static string Num(double v) =>
            double.IsPositiveInfinity(v) ? "+Inf" : double.IsNegativeInfinity(v) ? "-Inf" : double.IsNaN(v) ? "NaN" : v.ToString("R", CultureInfo.InvariantCulture);

        private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            if (tags.Length == 0) return "";
            var pairs = new KeyValuePair<string, object?>[tags.Length];
            tags.CopyTo(pairs);
            Array.Sort(pairs, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
            var sb = new StringBuilder();
            foreach (var (key, value) in pairs)
            {
                if (sb.Length > 0) sb.Append(',');
                foreach (char c in key) sb.Append(char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_');
                sb.Append("=\"");
                foreach (char c in Convert.ToString(value, CultureInfo.InvariantCulture) ?? "")
                {
                    switch (c)
                    {
                        case '\\': sb.Append("\\\\"); break;
                        case '"': sb.Append("\\\""); break;
                        case '\n': sb.Append("\\n"); break;
                        default: sb.Append(c); break;
                    }
                }
                sb.Append('"');
            }
            return sb.ToString();
        }

        private static string EscapeHelp(string s) => s.Replace("\\", "\\\\").Replace("\n", "\\n");
    }

    private sealed class Series(Kind kind, int bounds)
    {
        public double Value;
        public long Count;
        public readonly long[]? Buckets = kind == Kind.Histogram ? new long[bounds + 1] : null;
    }
}
