using System.Text.Json.Nodes;

namespace Millrace.Hub.Processing.Rules;

/// <summary>
/// <c>kind: counter-quantity</c> in one shard. Per asset: the last raw value of each counter and the quantity counted
/// but not yet reported (a "chunk" of one production order). Each sample's increase is
/// <list type="bullet">
/// <item>value − last when the counter rose (or stood still);</item>
/// <item>value + rollover − last when it fell from the top half of a counter that wraps at <c>rollover</c>;</item>
/// <item>value otherwise: the device reset the counter to 0 and has counted <c>value</c> since;</item>
/// <item>0 for the first sample ever seen (the baseline).</item>
/// </list>
/// The increase belongs to the order active on the asset's line at the sample's event time. A chunk is reported when
/// the order changes, when it reaches <c>every</c> units, or when the event-time window it belongs to closes (by a later
/// sample or the watermark). Fact key: <c>rule/asset/order/first-counted-sample-ms</c>; chunks never overlap in event
/// time, so keys are unique and the same input always gives the same keys. The chunk reported because the order changed
/// carries <c>final: true</c> (the last confirmation of the order); when the order's last chunk was already reported by
/// <c>every</c> or its window, the change emits a zero-quantity closing fact (<c>…/last-counted-sample-ms/final</c>).
/// </summary>
internal sealed class CounterQuantityState : RuleState
{
    private struct Track
    {
        public double LastGood, LastScrap;
        public bool HasGood, HasScrap;
        public bool Open;               // a chunk is open (its order below is meaningful)
        public string? OrderId, Material, Unit, Lot;
        public double Good, Scrap;      // counted in the chunk
        public long FirstMs, LastMs;    // event times of the first and last counted increase
        public long Window;             // window index of the chunk
    }

    private readonly CounterQuantityRuleDefinition _definition;
    private readonly CounterParameters[] _parameters;
    private readonly Func<RuleSampleContext, bool>?[] _when;
    private readonly Track[] _tracks;

    public CounterQuantityState(CompiledRule rule, ShardServices services, int[] assets) : base(rule, services, assets)
    {
        _definition = (CounterQuantityRuleDefinition)rule.Definition;
        _parameters = [.. assets.Select(a => (CounterParameters)rule.Parameters[a]!)];
        _when = [.. assets.Select(a => rule.When[a])];
        _tracks = new Track[assets.Length];
    }

    public override void OnSample(in RuleSampleContext context, int slot, int role)
    {
        if (double.IsNaN(context.Value)) return;
        ref var track = ref _tracks[slot];
        var p = _parameters[slot];
        double value = context.Value;
        double increase;
        if (role == 0)
        {
            increase = Increase(value, track.LastGood, track.HasGood, p.Rollover);
            track.LastGood = value;
            track.HasGood = true;
        }
        else
        {
            increase = Increase(value, track.LastScrap, track.HasScrap, p.Rollover);
            track.LastScrap = value;
            track.HasScrap = true;
        }
        // the baseline moves even for gated samples, so a gated stretch is not counted when it ends
        if (_when[slot] is { } when && !when(context)) return;
        long t = context.TimestampMs;
        int asset = Assets[slot];
        var assetContext = Services.Context.At(asset, t);
        var order = assetContext.Order;
        long window = p.WindowMs > 0 ? Math.DivRem(t, p.WindowMs, out long rem) - (rem < 0 ? 1 : 0) : 0;
        if (!SameOrder(track.OrderId, order?.OrderId))
        {
            // the order changed: its last confirmation is final — the open chunk, or a zero closing fact when the
            // last chunk went out already (every / window) — so the ERP can close the order
            if (track.Open) Report(slot, ref track, final: true);
            else if (track.OrderId is not null) Close(slot, ref track);
            track.OrderId = null;
        }
        else if (track.Open && track.Window != window) Report(slot, ref track, final: false);
        if (increase <= 0) return;
        if (order is null)
        {
            Services.Counters.UnattributedQuantityValue += increase;
            return;
        }
        if (!track.Open)
        {
            track.Open = true;
            track.OrderId = order.OrderId;
            track.Material = order.MaterialId;
            track.Unit = string.IsNullOrEmpty(order.Unit) ? _definition.Unit : order.Unit;
            track.Lot = assetContext.LotId ?? order.OrderId;
            track.Window = window;
            track.FirstMs = t;
        }
        if (role == 0) track.Good += increase;
        else track.Scrap += increase;
        track.LastMs = t;
        if (p.Every > 0 && track.Good + track.Scrap >= p.Every) Report(slot, ref track, final: false);
    }

    public override void OnWatermark(long watermarkMs)
    {
        for (int slot = 0; slot < _tracks.Length; slot++)
        {
            ref var track = ref _tracks[slot];
            long size = _parameters[slot].WindowMs;
            if (track.Open && size > 0 && (track.Window + 1) * size <= watermarkMs) Report(slot, ref track, final: false);
        }
    }

    private static double Increase(double value, double last, bool hasLast, double rollover)
    {
        if (!hasLast) return 0;
        if (value >= last) return value - last;
        if (rollover > 0 && last >= rollover / 2 && value < rollover / 2) return value + rollover - last;
        return value;
    }

    private static bool SameOrder(string? a, string? b) => ReferenceEquals(a, b) || string.Equals(a, b, StringComparison.Ordinal);

    private void Report(int slot, ref Track track, bool final)
    {
        track.Open = false;
        if (track.Good + track.Scrap <= 0) return;
        Emit(slot, ref track, track.FirstMs, final, "");
        track.Good = track.Scrap = 0;
    }

    /// <summary>The zero-quantity final confirmation of an order whose last chunk was reported before the order changed.</summary>
    private void Close(int slot, ref Track track) => Emit(slot, ref track, track.LastMs, final: true, "/final");

    private void Emit(int slot, ref Track track, long startMs, bool final, string suffix)
    {
        int asset = Assets[slot];
        var equipment = Services.Model.GetAsset(asset);
        string key = $"{_definition.Id}/{equipment.Id}/{track.OrderId}/{startMs.ToString(System.Globalization.CultureInfo.InvariantCulture)}{suffix}";
        var data = new JsonObject
        {
            ["orderId"] = track.OrderId,
            ["operation"] = _definition.Operation,
            ["plant"] = equipment.SiteId,
            ["asset"] = equipment.Id,
            ["material"] = track.Material,
            ["good"] = track.Good,
            ["scrap"] = track.Scrap,
            ["unit"] = track.Unit,
            ["lot"] = track.Lot,
            ["startedAt"] = FactIds.Time(startMs),
            ["completedAt"] = FactIds.Time(track.LastMs),
            ["final"] = final,
        };
        Services.Emit(new RuleEvent(_definition.EventType, _definition.Id, asset, track.LastMs, key, data, track.OrderId));
    }

    public override void Write(BinaryWriter w)
    {
        w.Write(_tracks.Length);
        foreach (var t in _tracks)
        {
            w.Write(t.LastGood); w.Write(t.LastScrap); w.Write(t.HasGood); w.Write(t.HasScrap); w.Write(t.Open);
            WriteString(w, t.OrderId); WriteString(w, t.Material); WriteString(w, t.Unit); WriteString(w, t.Lot);
            w.Write(t.Good); w.Write(t.Scrap); w.Write(t.FirstMs); w.Write(t.LastMs); w.Write(t.Window);
        }
    }

    public override void Read(BinaryReader r)
    {
        int n = r.ReadInt32();
        if (n != _tracks.Length) throw new InvalidDataException($"rule '{_definition.Id}' has {n} assets in the checkpoint, {_tracks.Length} here");
        for (int i = 0; i < n; i++)
        {
            _tracks[i] = new Track
            {
                LastGood = r.ReadDouble(), LastScrap = r.ReadDouble(), HasGood = r.ReadBoolean(), HasScrap = r.ReadBoolean(), Open = r.ReadBoolean(),
                OrderId = ReadString(r), Material = ReadString(r), Unit = ReadString(r), Lot = ReadString(r),
                Good = r.ReadDouble(), Scrap = r.ReadDouble(), FirstMs = r.ReadInt64(), LastMs = r.ReadInt64(), Window = r.ReadInt64(),
            };
        }
    }
}
