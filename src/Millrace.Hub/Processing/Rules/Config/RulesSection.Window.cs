using System.Globalization;
using Millrace.Core.Config;
using Millrace.Core.Model;

namespace Millrace.Hub.Processing.Rules;

public sealed partial class RulesSection
{
    private static readonly string[] AggregateNames = ["count", "sum", "min", "max", "avg", "first", "last", "delta", "p50", "p90", "p95", "p99"];

    private static WindowRuleDefinition? ReadWindow(RuleReading r, out Func<MappingReader, object?>? overrides)
    {
        var m = r.M;
        var signal = m.Text("signal", required: true);
        if (signal is not null) CheckSignal(signal, r, "window", SignalKind.Gauge, SignalKind.Counter);
        var parameters = ReadWindowParameters(m, r, null);
        var aggregates = new List<WindowAggregate>();
        var percentiles = new List<double>();
        foreach (var node in m.TextList("aggregates", required: true))
        {
            var name = node.Value;
            if (name.Length > 1 && name[0] == 'p' && double.TryParse(name.AsSpan(1), NumberStyles.Float, CultureInfo.InvariantCulture, out var p))
            {
                if (p is <= 0 or > 100) r.Error(node.Location, $"percentile '{name}' of {m.What} must be between p0 (exclusive) and p100");
                else if (!percentiles.Contains(p)) percentiles.Add(p);
                continue;
            }
            if (!Enum.TryParse<WindowAggregate>(name, ignoreCase: true, out var aggregate) || aggregate == WindowAggregate.Percentile || name != name.ToLowerInvariant())
            {
                r.Context.UnknownReference(node, "aggregate", name, AggregateNames);
                r.Ok = false;
                continue;
            }
            if (aggregate == WindowAggregate.Delta && signal is not null)
                foreach (var c in r.Classes)
                    if (c.Signals.FirstOrDefault(s => s.Name == signal.Value) is { Kind: not SignalKind.Counter } g)
                        r.Error(node.Location, $"aggregate 'delta' needs a cumulative counter, but signal '{g.Name}' of asset class '{c.Id}' is a {g.Kind.ToString().ToLowerInvariant()}");
            if (!aggregates.Contains(aggregate)) aggregates.Add(aggregate);
        }
        if (aggregates.Count == 0 && percentiles.Count == 0 && m.Has("aggregates")) r.Error(m.LocationOf("aggregates"), $"{m.What} needs at least one aggregate");
        var capacity = m.Integer("percentile-capacity") ?? 256;
        if (capacity is < 8 or > 65536) r.Error(m.LocationOf("percentile-capacity"), $"'percentile-capacity' of {m.What} must be between 8 and 65536, got {capacity}");
        var close = m.Text("close-when");
        RuleExpression? closeWhen = close is null ? null : new RuleExpression(close.Value, close);
        if (closeWhen is not null) CheckCondition(closeWhen, "close-when", r);
        overrides = o => ReadWindowParameters(o, r, parameters);
        if (signal is null || parameters is null) return null;
        return new WindowRuleDefinition
        {
            Id = r.Id, Classes = [], EventType = "", Location = m.Location,
            Signal = signal.Value, Parameters = parameters, Aggregates = [.. aggregates], Percentiles = [.. percentiles],
            PercentileCapacity = (int)Math.Clamp(capacity, 8, 65536), CloseWhen = closeWhen,
        };
    }

    private static WindowParameters? ReadWindowParameters(MappingReader m, RuleReading r, WindowParameters? d)
    {
        var tumbling = ConfigDurations.Read(m, r.Context, "tumbling");
        var sliding = m.Mapping("sliding", "sliding window");
        var count = m.Integer("count");
        long? size = null, every = null;
        if (sliding is not null)
        {
            size = ConfigDurations.Read(sliding, r.Context, "size");
            every = ConfigDurations.Read(sliding, r.Context, "every");
            if (size is null || every is null) r.Error(sliding.Location, $"a sliding window needs 'size' and 'every' (e.g. size: 5m, every: 1m)");
            sliding.Complete();
        }
        int given = (tumbling is not null ? 1 : 0) + (sliding is not null ? 1 : 0) + (count is not null ? 1 : 0);
        if (given == 0) return d ?? Fail(m.Location, $"{m.What} needs one of 'tumbling', 'sliding' or 'count'");
        if (given > 1) return Fail(m.Location, $"{m.What} gives more than one of 'tumbling', 'sliding' and 'count'; use one");
        if (tumbling is not null)
            return tumbling > 0 ? new WindowParameters(tumbling.Value, tumbling.Value, 0) : Fail(m.LocationOf("tumbling"), "'tumbling' must be longer than zero");
        if (count is not null)
            return count is > 0 and <= 1_000_000_000 ? new WindowParameters(0, 0, (int)count) : Fail(m.LocationOf("count"), $"'count' must be between 1 and 1000000000, got {count}");
        if (size is null || every is null) { r.Ok = false; return null; }
        if (every <= 0 || size <= 0) return Fail(sliding!.Location, "a sliding window's 'size' and 'every' must be longer than zero");
        if (size % every != 0 || size / every > 1024)
            return Fail(sliding!.Location, $"a sliding window's 'size' must be a multiple of 'every' (at most 1024 steps), got size {size} ms and every {every} ms");
        return new WindowParameters(size.Value, every.Value, 0);

        WindowParameters? Fail(SourceLocation at, string message)
        {
            r.Error(at, message);
            return null;
        }
    }
}
