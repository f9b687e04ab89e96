using System.Globalization;
using System.Text.Json.Nodes;

namespace Millrace.Hub.Processing.Rules;

/// <summary>
/// <c>kind: window</c> in one shard. Per asset a ring of panes (one for tumbling and count windows, size ÷ every for
/// sliding ones), each with its <see cref="WindowAccumulator"/> and, when percentiles are asked for, a bounded store of
/// values (exact up to the capacity, a deterministic reservoir sample beyond). Samples arrive in event-time order, so a
/// window closes when a sample of a later window arrives, when the watermark passes its end, after <c>count</c>
/// samples, or when <c>close-when</c> holds. <c>delta</c> gives each sample the counter's increase since the asset's
/// previous sample (a reset counts from 0), so consecutive windows add up to the exact total.
/// Fact key: <c>rule/asset/first-sample-ms</c> (tumbling, count) or <c>rule/asset/end-ms</c> (sliding).
/// </summary>
internal sealed class WindowState : RuleState
{
    private readonly WindowRuleDefinition _definition;
    private readonly WindowParameters[] _parameters;
    private readonly Func<RuleSampleContext, bool>?[] _when;
    private readonly int[] _panes;                 // per slot: panes in the ring
    private readonly int[] _paneBase;              // per slot: first pane in the flat arrays
    private readonly WindowAccumulator[] _acc;
    private readonly double[]?[] _stores;          // per pane, allocated at its first sample when percentiles are wanted
    private readonly long[] _current;              // per slot: pane number of the newest sample
    private readonly long[] _nextClose;            // per slot: the first pane whose window has not been emitted
    private readonly bool[] _open;
    private readonly double[] _lastCounter;
    private readonly bool[] _hasCounter;
    private readonly bool _percentiles;

    public WindowState(CompiledRule rule, ShardServices services, int[] assets) : base(rule, services, assets)
    {
        _definition = (WindowRuleDefinition)rule.Definition;
        _parameters = [.. assets.Select(a => (WindowParameters)rule.Parameters[a]!)];
        _when = [.. assets.Select(a => rule.When[a])];
        _panes = [.. _parameters.Select(p => p.Count > 0 ? 1 : (int)(p.SizeMs / p.SlideMs))];
        _paneBase = new int[assets.Length];
        int total = 0;
        for (int s = 0; s < assets.Length; s++) { _paneBase[s] = total; total += _panes[s]; }
        _acc = new WindowAccumulator[total];
        _percentiles = !_definition.Percentiles.IsDefaultOrEmpty && _definition.Percentiles.Length > 0;
        _stores = new double[]?[_percentiles ? total : 0];
        _current = new long[assets.Length];
        _nextClose = new long[assets.Length];
        _open = new bool[assets.Length];
        _lastCounter = new double[assets.Length];
        _hasCounter = new bool[assets.Length];
    }

    public override void OnSample(in RuleSampleContext context, int slot, int role)
    {
        double v = context.Value;
        if (double.IsNaN(v)) return;
        double increase = !_hasCounter[slot] ? 0 : v >= _lastCounter[slot] ? v - _lastCounter[slot] : v;
        _lastCounter[slot] = v;
        _hasCounter[slot] = true;
        if (_when[slot] is { } when && !when(context)) return;
        var p = _parameters[slot];
        long t = context.TimestampMs;
        long pane = p.Count > 0 ? 0 : FloorDiv(t, p.SlideMs);
        if (_open[slot] && pane > _current[slot]) CloseUpTo(slot, pane - 1);
        if (!_open[slot]) _nextClose[slot] = pane;
        _current[slot] = pane;
        _open[slot] = true;
        int at = _paneBase[slot] + (int)(pane % _panes[slot]);
        ref var acc = ref _acc[at];
        acc.Add(v, t, increase);
        if (_percentiles) Keep(at, acc.Count, v);
        bool full = p.Count > 0 && acc.Count >= p.Count;
        var close = Rule.Conditions[Assets[slot]];
        if (full || (close.Length > 0 && close[0](context))) CloseAll(slot, t);
    }

    public override void OnWatermark(long watermarkMs)
    {
        for (int slot = 0; slot < _open.Length; slot++)
        {
            var p = _parameters[slot];
            if (!_open[slot] || p.Count > 0) continue;
            long last = FloorDiv(watermarkMs, p.SlideMs) - 1; // the last pane that ends at or before the watermark
            if (last >= _nextClose[slot]) CloseUpTo(slot, last);
        }
    }

    /// <summary>Emits every window that ends at the end of panes up to <paramref name="lastPane"/>, dropping panes that leave.</summary>
    private void CloseUpTo(int slot, long lastPane)
    {
        int k = _panes[slot];
        long slide = _parameters[slot].SlideMs;
        long from = _nextClose[slot];
        for (long q = from; q <= lastPane && q < from + k; q++)
        {
            Emit(slot, (q - k + 1) * slide, (q + 1) * slide, k == 1, q);
            Clear(_paneBase[slot] + (int)(((q - k + 1) % k + k) % k));
        }
        _nextClose[slot] = lastPane + 1;
        bool anyLeft = false;
        for (int i = 0; i < k; i++) anyLeft |= _acc[_paneBase[slot] + i].Count > 0;
        _open[slot] = anyLeft;
    }

    /// <summary>Closes the current window early (count reached, close-when) and starts afresh.</summary>
    private void CloseAll(int slot, long timeMs)
    {
        var p = _parameters[slot];
        long start = p.Count > 0 ? _acc[_paneBase[slot]].FirstMs : (_current[slot] - _panes[slot] + 1) * p.SlideMs;
        Emit(slot, start, timeMs, true, _current[slot]);
        for (int i = 0; i < _panes[slot]; i++) Clear(_paneBase[slot] + i);
        _open[slot] = false;
    }

    private void Clear(int at)
    {
        _acc[at] = default;
    }

    private void Keep(int at, long count, double value)
    {
        int capacity = _definition.PercentileCapacity;
        var store = _stores[at] ??= new double[capacity];
        if (count <= capacity) { store[count - 1] = value; return; }
        // deterministic reservoir sampling: keep each value with probability capacity / count
        ulong h = (ulong)count * 0x9E3779B97F4A7C15UL;
        long j = (long)((h ^ (h >> 29)) % (ulong)count);
        if (j < capacity) store[j] = value;
    }

    private void Emit(int slot, long startMs, long endMs, bool keyByFirstSample, long newestPane)
    {
        int k = _panes[slot];
        var total = default(WindowAccumulator);
        var values = new List<double>();
        for (int i = 0; i < k; i++)
        {
            // oldest pane first: the pane after the current one in the ring is the oldest
            int at = _paneBase[slot] + (int)(((newestPane + 1 + i) % k + k) % k);
            total.Merge(_acc[at]);
            if (_percentiles && _stores[at] is { } store) values.AddRange(store.AsSpan(0, (int)Math.Min(_acc[at].Count, store.Length)));
        }
        if (total.Count == 0) return;
        int asset = Assets[slot];
        string assetId = AssetId(slot);
        string key = keyByFirstSample ? FactIds.Key(_definition.Id, assetId, total.FirstMs) : FactIds.Key(_definition.Id, assetId, endMs) + "/end";
        var signal = Services.Model.GetSignal(Rule.Signals[asset][0]);
        var data = new JsonObject
        {
            ["asset"] = assetId,
            ["rule"] = _definition.Id,
            ["signal"] = signal.Name,
            ["unit"] = signal.Definition.Unit?.Symbol ?? "1",
            ["windowStart"] = FactIds.Time(startMs),
            ["windowEnd"] = FactIds.Time(endMs),
        };
        foreach (var a in _definition.Aggregates)
        {
            data[a.ToString().ToLowerInvariant()] = a switch
            {
                WindowAggregate.Count => total.Count,
                WindowAggregate.Sum => total.Sum,
                WindowAggregate.Min => total.Min,
                WindowAggregate.Max => total.Max,
                WindowAggregate.Avg => total.Sum / total.Count,
                WindowAggregate.First => total.First,
                WindowAggregate.Last => total.Last,
                WindowAggregate.Delta => total.Delta,
                _ => null,
            };
        }
        if (_percentiles)
        {
            values.Sort();
            foreach (var pct in _definition.Percentiles)
            {
                int rank = Math.Clamp((int)Math.Ceiling(pct / 100 * values.Count) - 1, 0, values.Count - 1);
                data["p" + pct.ToString(CultureInfo.InvariantCulture)] = values.Count == 0 ? null : values[rank];
            }
        }
        Services.Emit(new RuleEvent(_definition.EventType, _definition.Id, asset, Math.Max(endMs, total.LastMs), key, data));
    }

    private static long FloorDiv(long a, long b) => a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);

    public override void Write(BinaryWriter w)
    {
        w.Write(_open.Length);
        for (int s = 0; s < _open.Length; s++)
        {
            w.Write(_open[s]); w.Write(_current[s]); w.Write(_nextClose[s]); w.Write(_lastCounter[s]); w.Write(_hasCounter[s]); w.Write(_panes[s]);
            for (int i = 0; i < _panes[s]; i++)
            {
                int at = _paneBase[s] + i;
                _acc[at].Write(w);
                int kept = _percentiles && _stores[at] is { } store ? (int)Math.Min(_acc[at].Count, store.Length) : 0;
                w.Write(kept);
                for (int j = 0; j < kept; j++) w.Write(_stores[at]![j]);
            }
        }
    }

    public override void Read(BinaryReader r)
    {
        if (r.ReadInt32() != _open.Length) throw new InvalidDataException($"rule '{_definition.Id}' has another number of assets in the checkpoint");
        for (int s = 0; s < _open.Length; s++)
        {
            _open[s] = r.ReadBoolean(); _current[s] = r.ReadInt64(); _nextClose[s] = r.ReadInt64(); _lastCounter[s] = r.ReadDouble(); _hasCounter[s] = r.ReadBoolean();
            if (r.ReadInt32() != _panes[s]) throw new InvalidDataException($"rule '{_definition.Id}' has another window shape in the checkpoint");
            for (int i = 0; i < _panes[s]; i++)
            {
                int at = _paneBase[s] + i;
                _acc[at] = WindowAccumulator.Read(r);
                int kept = r.ReadInt32();
                if (kept < 0 || kept > _definition.PercentileCapacity || (kept > 0 && !_percentiles))
                    throw new InvalidDataException($"rule '{_definition.Id}' keeps {kept} values per window in the checkpoint");
                if (kept > 0) _stores[at] = new double[_definition.PercentileCapacity];
                for (int j = 0; j < kept; j++) _stores[at]![j] = r.ReadDouble();
            }
        }
    }
}
