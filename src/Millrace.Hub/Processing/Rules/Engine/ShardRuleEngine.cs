using System.Buffers;
using Millrace.Hub.Processing.Context;
using Millrace.Hub.Processing.Telemetry;

namespace Millrace.Hub.Processing.Rules;

/// <summary>
/// The rules of one shard. Per sample: drop bad quality, duplicates (message id; same signal and timestamp) and
/// samples older than the asset's watermark (reported as late); hold the rest until the asset's watermark
/// (newest event time − allowed lateness) passes them, so every rule sees each asset's samples in event-time order;
/// then update the asset's latest values and run the rules bound to the signal. State lives in flat arrays indexed by
/// signal and by the rule's asset slot; nothing is allocated per sample unless a fact is emitted.
/// </summary>
internal sealed partial class ShardRuleEngine : IShardRuleEngine
{
    private struct Pending
    {
        public long TimestampMs;
        public double Value;
        public int Signal;
        public SampleQuality Quality;
    }

    private readonly RuleSet _set;
    private readonly int _shard;
    private readonly int _shardCount;
    private readonly ShardServices _services;
    private readonly RuleEngineCounters _counters = new();
    private readonly RuleState[] _states;
    private readonly int[] _localOf;        // global asset -> local index, -1 when another shard owns it
    private readonly int[] _locals;         // local index -> global asset
    private readonly int[] _signalBase;     // global asset -> index of its first signal
    private readonly double[] _values;      // latest value per signal
    private readonly long[] _lastTs;        // event time of the latest released sample per signal
    private readonly long[] _maxTs;         // per local asset: newest event time seen
    private readonly long[] _released;      // per local asset: watermark; samples older than this are late
    private readonly int[] _bindStart;
    private readonly RuleBinding[] _bindings;
    private readonly long _lateness;
    private readonly int _capacity;
    private readonly Pending[]? _pending;   // per local asset: a sorted run of _capacity entries
    private readonly int[]? _pendingCount;
    private readonly MessageIdFilter? _messageIds;

    public ShardRuleEngine(RuleSet set, IReadOnlyList<CompiledRule> rules, int shard, int shardCount, IAssetContextSource context)
    {
        _set = set;
        _shard = shard;
        _shardCount = shardCount;
        var model = set.Model;
        _services = new ShardServices(model, context, _counters);
        _localOf = new int[model.AssetCount];
        _signalBase = new int[model.AssetCount];
        var locals = new List<int>();
        for (int a = 0; a < model.AssetCount; a++)
        {
            var signals = model.GetSignals(a);
            _signalBase[a] = signals.Length > 0 ? signals[0].Index : 0;
            _localOf[a] = a % shardCount == shard ? locals.Count : -1;
            if (_localOf[a] >= 0) locals.Add(a);
        }
        _locals = [.. locals];
        _values = new double[model.SignalCount];
        Array.Fill(_values, double.NaN);
        _lastTs = new long[model.SignalCount];
        Array.Fill(_lastTs, long.MinValue);
        _maxTs = new long[_locals.Length];
        Array.Fill(_maxTs, long.MinValue);
        _released = new long[_locals.Length];
        Array.Fill(_released, long.MinValue);

        var bySignal = new List<RuleBinding>?[model.SignalCount];
        var states = new List<RuleState>();
        foreach (var rule in rules)
        {
            var assets = _locals.Where(a => rule.Applies[a]).ToArray();
            var state = rule.CreateState(_services, assets);
            states.Add(state);
            for (int slot = 0; slot < assets.Length; slot++)
            {
                var signals = rule.Signals[assets[slot]];
                bool derivedStates = rule.Definition is StateMachineRuleDefinition { Signal: null };
                for (int role = 0; role < signals.Length; role++)
                    if (signals[role] >= 0)
                        (bySignal[signals[role]] ??= []).Add(new RuleBinding(state, slot, derivedStates ? 0 : role));
            }
        }
        _states = [.. states];
        _bindStart = new int[model.SignalCount + 1];
        var flat = new List<RuleBinding>();
        for (int s = 0; s < model.SignalCount; s++)
        {
            _bindStart[s] = flat.Count;
            if (bySignal[s] is { } list) flat.AddRange(list);
        }
        _bindStart[model.SignalCount] = flat.Count;
        _bindings = [.. flat];

        var settings = set.Book.Settings;
        _lateness = settings.AllowedLatenessMs;
        _capacity = settings.ReorderCapacity;
        if (_lateness > 0)
        {
            _pending = new Pending[_locals.Length * _capacity];
            _pendingCount = new int[_locals.Length];
        }
        if (settings.MessageIdMemory > 0) _messageIds = new MessageIdFilter(settings.MessageIdMemory);
    }

    public RuleEngineCounters Counters => _counters;

    public void OnSample(in TelemetrySample sample, IRuleEventSink sink)
    {
        _counters.SamplesValue++;
        int asset = sample.Asset;
        int local = (uint)asset < (uint)_localOf.Length ? _localOf[asset] : -1;
        if (local < 0 || (uint)sample.Signal >= (uint)_values.Length) return;
        if (sample.Quality == SampleQuality.Bad)
        {
            _counters.BadQualityValue++;
            return;
        }
        if (sample.MessageId != 0 && _messageIds is not null && _messageIds.SeenBefore(sample.MessageId))
        {
            _counters.DuplicatesValue++;
            return;
        }
        long ts = sample.TimestampMs;
        int signal = sample.Signal;
        if (ts == _lastTs[signal])
        {
            _counters.DuplicatesValue++;
            return;
        }
        if (ts < _released[local])
        {
            _counters.LateValue++;
            sink.Late(in sample, _released[local]);
            return;
        }
        _services.Sink = sink;
        if (_pending is null)
        {
            _released[local] = ts;
            if (ts > _maxTs[local]) _maxTs[local] = ts;
            Process(asset, signal, sample.Value, ts, sample.Quality);
            return;
        }
        if (!Hold(local, asset, signal, sample.Value, ts, sample.Quality))
        {
            _counters.DuplicatesValue++;
            return;
        }
        if (ts > _maxTs[local]) _maxTs[local] = ts;
        ReleaseUpTo(local, asset, _maxTs[local] - _lateness);
    }

    public void AdvanceWatermark(long watermarkMs, IRuleEventSink sink)
    {
        _services.Sink = sink;
        for (int local = 0; local < _locals.Length; local++)
        {
            if (_pending is not null) ReleaseUpTo(local, _locals[local], watermarkMs);
            else if (watermarkMs > _released[local]) _released[local] = watermarkMs;
        }
        foreach (var state in _states) state.OnWatermark(watermarkMs);
    }

    /// <summary>Inserts a sample into the asset's sorted run; false when the same (signal, timestamp) is already held.</summary>
    private bool Hold(int local, int asset, int signal, double value, long ts, SampleQuality quality)
    {
        int b = local * _capacity;
        ref int count = ref _pendingCount![local];
        var run = _pending!;
        int i = count;
        while (i > 0 && run[b + i - 1].TimestampMs > ts) i--;
        for (int j = i - 1; j >= 0 && run[b + j].TimestampMs == ts; j--)
            if (run[b + j].Signal == signal) return false;
        if (count == _capacity)
        {
            // full: the oldest sample must go now, and the watermark moves to it (older arrivals are then late)
            if (i == 0)
            {
                if (ts > _released[local]) _released[local] = ts;
                Process(asset, signal, value, ts, quality);
                return true;
            }
            var oldest = run[b];
            Array.Copy(run, b + 1, run, b, count - 1);
            count--;
            i--;
            if (oldest.TimestampMs > _released[local]) _released[local] = oldest.TimestampMs;
            Process(asset, oldest.Signal, oldest.Value, oldest.TimestampMs, oldest.Quality);
        }
        if (i < count) Array.Copy(run, b + i, run, b + i + 1, count - i);
        run[b + i] = new Pending { TimestampMs = ts, Value = value, Signal = signal, Quality = quality };
        count++;
        return true;
    }

    private void ReleaseUpTo(int local, int asset, long watermark)
    {
        int b = local * _capacity;
        ref int count = ref _pendingCount![local];
        var run = _pending!;
        int n = 0;
        while (n < count && run[b + n].TimestampMs <= watermark)
        {
            ref readonly var p = ref run[b + n];
            Process(asset, p.Signal, p.Value, p.TimestampMs, p.Quality);
            n++;
        }
        if (n > 0)
        {
            Array.Copy(run, b + n, run, b, count - n);
            count -= n;
        }
        if (watermark > _released[local]) _released[local] = watermark;
    }

    private void Process(int asset, int signal, double value, long ts, SampleQuality quality)
    {
        _values[signal] = value;
        _lastTs[signal] = ts;
        var context = new RuleSampleContext(value, ts, quality, _values, _signalBase[asset]);
        int end = _bindStart[signal + 1];
        for (int i = _bindStart[signal]; i < end; i++)
        {
            ref readonly var binding = ref _bindings[i];
            binding.State.OnSample(in context, binding.Slot, binding.Role);
        }
    }
}
