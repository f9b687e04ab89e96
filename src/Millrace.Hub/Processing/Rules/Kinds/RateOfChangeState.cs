using System.Text.Json.Nodes;

namespace Millrace.Hub.Processing.Rules;

/// <summary>
/// <c>kind: rate-of-change</c> in one shard: per asset, a ring of the last samples within the span (bounded: at most
/// <see cref="Capacity"/>; the oldest are dropped first) and an <see cref="Episode"/> over the rate
/// (newest − oldest) / elapsed × per.
/// </summary>
internal sealed class RateOfChangeState : RuleState
{
    /// <summary>Samples remembered per asset.</summary>
    public const int Capacity = 64;

    private readonly RateOfChangeRuleDefinition _definition;
    private readonly ThresholdParameters[] _parameters;
    private readonly Func<RuleSampleContext, bool>?[] _when;
    private readonly Episode[] _episodes;
    private readonly long[] _times;
    private readonly double[] _values;
    private readonly int[] _head; // index of the oldest sample in the slot's ring
    private readonly int[] _count;

    public RateOfChangeState(CompiledRule rule, ShardServices services, int[] assets) : base(rule, services, assets)
    {
        _definition = (RateOfChangeRuleDefinition)rule.Definition;
        _parameters = [.. assets.Select(a => (ThresholdParameters)rule.Parameters[a]!)];
        _when = [.. assets.Select(a => rule.When[a])];
        _episodes = new Episode[assets.Length];
        _times = new long[assets.Length * Capacity];
        _values = new double[assets.Length * Capacity];
        _head = new int[assets.Length];
        _count = new int[assets.Length];
    }

    public override void OnSample(in RuleSampleContext context, int slot, int role)
    {
        if (double.IsNaN(context.Value) || (_when[slot] is { } when && !when(context))) return;
        int b = slot * Capacity;
        long t = context.TimestampMs;
        ref int head = ref _head[slot];
        ref int count = ref _count[slot];
        while (count > 0 && _times[b + head] < t - _definition.SpanMs)
        {
            head = (head + 1) % Capacity;
            count--;
        }
        if (count == Capacity)
        {
            head = (head + 1) % Capacity;
            count--;
        }
        int tail = (head + count) % Capacity;
        _times[b + tail] = t;
        _values[b + tail] = context.Value;
        count++;
        if (count < 2 || t == _times[b + head]) return;
        double rate = (context.Value - _values[b + head]) / (t - _times[b + head]) * _definition.PerMs;
        ref var episode = ref _episodes[slot];
        var p = _parameters[slot];
        if (episode.Step(rate, t, p, out _) == EpisodeStep.Raised) Emit(slot, episode, p, t);
    }

    private void Emit(int slot, in Episode episode, ThresholdParameters p, long timeMs)
    {
        int asset = Assets[slot];
        string assetId = AssetId(slot);
        string key = FactIds.Key(_definition.Id, assetId, episode.StartMs);
        var signal = Services.Model.GetSignal(Rule.Signals[asset][0]);
        string per = _definition.PerMs switch { 1000 => "s", 60_000 => "min", 3_600_000 => "h", _ => $"{_definition.PerMs}ms" };
        var data = new JsonObject
        {
            ["alertId"] = FactIds.Short("al", key),
            ["asset"] = assetId,
            ["rule"] = _definition.Id,
            ["signal"] = signal.Name,
            ["value"] = episode.Peak,
            ["unit"] = ((signal.Definition.Unit?.Symbol ?? "1") + "/" + per) is { Length: <= 16 } u ? u : "rate",
            ["threshold"] = episode.Direction > 0 ? p.Above : p.Below,
            ["minDurationSeconds"] = (timeMs - episode.StartMs) / 1000.0,
            ["severity"] = _definition.Severity,
            ["raisedAt"] = FactIds.Time(timeMs),
        };
        AlertPlacement.Add(data, Services.Model.GetAsset(asset));
        Services.Emit(new RuleEvent(_definition.EventType, _definition.Id, asset, timeMs, key, data));
    }

    public override void Write(BinaryWriter writer)
    {
        writer.Write(_episodes.Length);
        for (int s = 0; s < _episodes.Length; s++)
        {
            _episodes[s].Write(writer);
            writer.Write(_count[s]);
            for (int i = 0; i < _count[s]; i++)
            {
                int at = s * Capacity + (_head[s] + i) % Capacity;
                writer.Write(_times[at]);
                writer.Write(_values[at]);
            }
        }
    }

    public override void Read(BinaryReader reader)
    {
        int n = reader.ReadInt32();
        if (n != _episodes.Length) throw new InvalidDataException($"rule '{_definition.Id}' has {n} assets in the checkpoint, {_episodes.Length} here");
        for (int s = 0; s < n; s++)
        {
            _episodes[s] = Episode.Read(reader);
            int count = reader.ReadInt32();
            if (count is < 0 or > Capacity) throw new InvalidDataException($"rule '{_definition.Id}' remembers {count} samples, more than {Capacity}");
            _head[s] = 0;
            _count[s] = count;
            for (int i = 0; i < count; i++)
            {
                _times[s * Capacity + i] = reader.ReadInt64();
                _values[s * Capacity + i] = reader.ReadDouble();
            }
        }
    }
}
