using System.Text.Json.Nodes;

namespace Millrace.Hub.Processing.Rules;

/// <summary>
/// <c>kind: threshold</c> in one shard: one <see cref="Episode"/> per asset. Raising emits the rule's event once per
/// episode (fact key <c>rule/asset/episode-start-ms</c>); the end emits the optional cleared event
/// (<c>…/cleared</c>) with the final peak and duration.
/// </summary>
internal sealed class ThresholdState : RuleState
{
    private readonly ThresholdRuleDefinition _definition;
    private readonly ThresholdParameters[] _parameters;
    private readonly Func<RuleSampleContext, bool>?[] _when;
    private readonly Episode[] _episodes;

    private static readonly Millrace.Core.Units.Unit? Celsius =
        Millrace.Core.Units.UnitCatalog.Default.TryParse("°C", out var unit, out _) ? unit : null;

    public ThresholdState(CompiledRule rule, ShardServices services, int[] assets) : base(rule, services, assets)
    {
        _definition = (ThresholdRuleDefinition)rule.Definition;
        _parameters = [.. assets.Select(a => (ThresholdParameters)rule.Parameters[a]!)];
        _when = [.. assets.Select(a => rule.When[a])];
        _episodes = new Episode[assets.Length];
    }

    public override void OnSample(in RuleSampleContext context, int slot, int role)
    {
        if (_when[slot] is { } when && !when(context)) return;
        ref var episode = ref _episodes[slot];
        var p = _parameters[slot];
        switch (episode.Step(context.Value, context.TimestampMs, p, out long clearedStart))
        {
            case EpisodeStep.Raised:
                Emit(slot, _definition.EventType, episode.StartMs, context.TimestampMs, "", episode, p);
                break;
            case EpisodeStep.Cleared when _definition.ClearedEventType is { } cleared:
                var ended = episode with { StartMs = clearedStart, Phase = EpisodePhase.None };
                Emit(slot, cleared, clearedStart, context.TimestampMs, "/cleared", ended, p);
                break;
        }
    }

    private void Emit(int slot, string type, long startMs, long timeMs, string suffix, in Episode episode, ThresholdParameters p)
    {
        int asset = Assets[slot];
        string assetId = AssetId(slot);
        string key = FactIds.Key(_definition.Id, assetId, startMs) + suffix;
        var signal = Services.Model.GetSignal(Rule.Signals[asset][0]);
        string unit = signal.Definition.Unit?.Symbol ?? "1";
        double duration = (timeMs - startMs) / 1000.0;
        JsonObject data;
        if (_definition.Payload == EpisodePayload.Excursion)
        {
            // cold-chain facts are in °C whatever unit the sensor reports (the event schema says so)
            var convert = Millrace.Core.Units.UnitConverter.Identity;
            if (signal.Definition.Unit is { } from && from.Symbol != "°C" && Celsius is { } c && from.IsConvertibleTo(c))
            {
                convert = from.ConverterTo(c);
                unit = c.Symbol;
            }
            var context = Services.Context.At(asset, startMs);
            data = new JsonObject
            {
                ["excursionId"] = FactIds.Short("ex", key),
                ["sensor"] = assetId,
            };
            if (context.StorageLocationId is { } location) data["storageLocation"] = location;
            data["temperature"] = Math.Round(convert.Convert(episode.Peak), 3);
            data["unit"] = unit;
            data["allowedMin"] = p.Below is { } min ? Math.Round(convert.Convert(min), 3) : double.MinValue;
            data["allowedMax"] = p.Above is { } max ? Math.Round(convert.Convert(max), 3) : double.MaxValue;
            data["startedAt"] = FactIds.Time(startMs);
            data["durationSeconds"] = duration;
            data["lots"] = context.LotId is { } lot ? new JsonArray(lot) : new JsonArray();
        }
        else if (_definition.Payload == EpisodePayload.QualityException)
        {
            data = QualityExceptionPayload.Create(key, assetId, signal.Name, episode.Peak, unit, p, _definition.Severity, timeMs, Services.Context.At(asset, startMs));
        }
        else
        {
            data = new JsonObject
            {
                ["alertId"] = FactIds.Short("al", key),
                ["asset"] = assetId,
                ["rule"] = _definition.Id,
                ["signal"] = signal.Name,
                ["value"] = episode.Peak,
                ["unit"] = unit,
                ["threshold"] = episode.Direction > 0 ? p.Above : p.Below,
                ["minDurationSeconds"] = Math.Max(duration, p.MinDurationMs / 1000.0),
                ["severity"] = _definition.Severity,
                ["raisedAt"] = FactIds.Time(timeMs),
            };
            AlertPlacement.Add(data, Services.Model.GetAsset(asset));
        }
        Services.Emit(new RuleEvent(type, _definition.Id, asset, timeMs, key, data));
    }

    public override void Write(BinaryWriter writer)
    {
        writer.Write(_episodes.Length);
        foreach (var e in _episodes) e.Write(writer);
    }

    public override void Read(BinaryReader reader)
    {
        int n = reader.ReadInt32();
        if (n != _episodes.Length) throw new InvalidDataException($"rule '{_definition.Id}' has {n} assets in the checkpoint, {_episodes.Length} here");
        for (int i = 0; i < n; i++) _episodes[i] = Episode.Read(reader);
    }
}
