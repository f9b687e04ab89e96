using System.Globalization;
using Millrace.Core.Config;
using Millrace.Core.Model;

namespace Millrace.Hub.Processing.Rules;

public sealed partial class RulesSection
{
    private static readonly string[] Severities = ["low", "medium", "high", "critical"];

    private static ThresholdRuleDefinition? ReadThreshold(RuleReading r, out Func<MappingReader, object?>? overrides)
    {
        var m = r.M;
        var signal = m.Text("signal", required: true);
        if (signal is not null) CheckSignal(signal, r, "threshold", SignalKind.Gauge, SignalKind.Counter);
        var limits = m.Text("limits");
        bool storage = false;
        if (limits is not null)
        {
            if (limits.Value == "storage-location") storage = true;
            else r.Error(limits.Location, $"'limits' of {m.What} can only be 'storage-location' (the limits of the cold-store bay the sensor watches), got '{limits.Value}'");
            foreach (var c in r.Classes.Where(c => !c.RequiresStorageLocation))
                r.Error(limits.Location, $"'limits: storage-location' needs cold-chain assets, but asset class '{c.Id}' is not 'cold-chain: true'");
        }
        var parameters = ReadThresholdParameters(m, r, null, requireLimit: !storage, out double margin);
        var cleared = m.Text("cleared-event");
        if (cleared is not null) CheckEventType(cleared, r);
        var payloadNode = m.Text("payload");
        var payload = storage ? EpisodePayload.Excursion : EpisodePayload.Alert;
        if (payloadNode is not null)
        {
            if (payloadNode.Value == "alert") payload = EpisodePayload.Alert;
            else if (payloadNode.Value == "excursion") payload = EpisodePayload.Excursion;
            else if (payloadNode.Value == "quality-exception") payload = EpisodePayload.QualityException;
            else r.Error(payloadNode.Location, $"'payload' of {m.What} must be 'alert', 'excursion' or 'quality-exception', got '{payloadNode.Value}'");
        }
        var severity = ReadSeverity(r, "high");
        overrides = o => ReadThresholdParameters(o, r, parameters, requireLimit: false, out _);
        if (signal is null || parameters is null) return null;
        return new ThresholdRuleDefinition
        {
            Id = r.Id, Classes = [], EventType = "", Location = m.Location,
            Signal = signal.Value,
            Parameters = parameters,
            StorageLimitsHysteresis = storage ? margin : null,
            ClearedEventType = cleared?.Value,
            Payload = payload,
            Severity = severity,
        };
    }

    private static RateOfChangeRuleDefinition? ReadRateOfChange(RuleReading r, out Func<MappingReader, object?>? overrides)
    {
        var m = r.M;
        var signal = m.Text("signal", required: true);
        if (signal is not null) CheckSignal(signal, r, "rate-of-change", SignalKind.Gauge, SignalKind.Counter);
        var per = ConfigDurations.Read(m, r.Context, "per");
        var span = ConfigDurations.Read(m, r.Context, "span");
        if (per is null or 0) r.Error(m.LocationOf("per"), $"{m.What} needs 'per', the time unit of the rate (e.g. per: 1m), greater than zero");
        if (span is null or 0) r.Error(m.LocationOf("span"), $"{m.What} needs 'span', how far back the slope is measured (e.g. span: 5m), greater than zero");
        var parameters = ReadThresholdParameters(m, r, null, requireLimit: true, out _);
        var severity = ReadSeverity(r, "medium");
        overrides = o => ReadThresholdParameters(o, r, parameters, requireLimit: false, out _);
        if (signal is null || parameters is null || per is null or 0 || span is null or 0) return null;
        return new RateOfChangeRuleDefinition
        {
            Id = r.Id, Classes = [], EventType = "", Location = m.Location,
            Signal = signal.Value, Parameters = parameters, PerMs = per.Value, SpanMs = span.Value, Severity = severity,
        };
    }

    private static CounterQuantityRuleDefinition? ReadCounter(RuleReading r, out Func<MappingReader, object?>? overrides)
    {
        var m = r.M;
        var good = m.Text("good", required: true);
        if (good is not null) CheckSignal(good, r, "counter-quantity", SignalKind.Counter);
        var scrap = m.Text("scrap");
        if (scrap is not null) CheckSignal(scrap, r, "counter-quantity", SignalKind.Counter);
        var operation = m.Text("operation");
        if (operation is not null && !(operation.Value.Length == 4 && operation.Value.All(char.IsAsciiDigit)))
            r.Error(operation.Location, $"'operation' of {m.What} must be four digits (a routing operation such as 0010), got '{operation.Value}'");
        var unit = m.String("unit");
        var parameters = ReadCounterParameters(m, r, null);
        overrides = o => ReadCounterParameters(o, r, parameters);
        if (good is null || parameters is null) return null;
        return new CounterQuantityRuleDefinition
        {
            Id = r.Id, Classes = [], EventType = "", Location = m.Location,
            GoodSignal = good.Value, ScrapSignal = scrap?.Value, Parameters = parameters,
            Operation = operation?.Value ?? "0010", Unit = unit ?? "pcs",
        };
    }

    private static CounterParameters? ReadCounterParameters(MappingReader m, RuleReading r, CounterParameters? d)
    {
        var every = m.Integer("every");
        var window = ConfigDurations.Read(m, r.Context, "window");
        var rollover = m.Number("rollover");
        bool ok = true;
        if (every < 0) { r.Error(m.LocationOf("every"), $"'every' of {m.What} must be zero or more units, got {every}"); ok = false; }
        if (rollover <= 0) { r.Error(m.LocationOf("rollover"), $"'rollover' of {m.What} must be positive (the value at which the counter wraps to 0), got {rollover}"); ok = false; }
        return ok ? new CounterParameters(every ?? d?.Every ?? 0, window ?? d?.WindowMs ?? 0, rollover ?? d?.Rollover ?? 0) : null;
    }

    private static StateMachineRuleDefinition? ReadStateMachine(RuleReading r, out Func<MappingReader, object?>? overrides)
    {
        var m = r.M;
        var signal = m.Text("signal");
        if (signal is not null) CheckSignal(signal, r, "state-machine", SignalKind.State);
        var ended = m.Text("ended-event", required: true);
        if (ended is not null) CheckEventType(ended, r);
        var changed = m.Text("state-event");
        if (changed is not null) CheckEventType(changed, r);
        var defaultState = m.Text("default");
        var minDuration = ConfigDurations.Read(m, r.Context, "min-duration") ?? 0;
        var states = new List<MachineState>();
        foreach (var item in m.List("states", required: true))
        {
            var s = r.Context.ReadMapping(item, "machine state");
            if (s is null) { r.Ok = false; continue; }
            var name = s.Text("name", required: true);
            if (name is not null) s.What = $"state '{name.Value}' of rule '{r.Id}'";
            var reason = s.String("reason");
            var planned = s.Boolean("planned") ?? false;
            var when = s.Text("when");
            s.Complete();
            if (name is null) { r.Ok = false; continue; }
            if (states.Any(x => x.Name == name.Value)) r.Error(name.Location, $"state '{name.Value}' is listed twice in rule '{r.Id}'");
            RuleExpression? condition = when is null ? null : new RuleExpression(when.Value, when);
            if (signal is not null)
            {
                if (when is not null) r.Error(when.Location, $"state '{name.Value}' of rule '{r.Id}' comes from signal '{signal.Value}'; 'when' is only for states derived from conditions (no 'signal')");
                foreach (var c in r.Classes)
                {
                    var states0 = c.Signals.FirstOrDefault(x => x.Name == signal.Value)?.States ?? [];
                    if (!states0.IsDefaultOrEmpty && !states0.Contains(name.Value))
                    {
                        r.Context.UnknownReference(name, $"state of signal '{signal.Value}' in asset class '{c.Id}':", name.Value, states0);
                        r.Ok = false;
                        break;
                    }
                }
            }
            else if (condition is null) r.Error(name.Location, $"state '{name.Value}' of rule '{r.Id}' needs 'when' (the rule has no state 'signal' to read it from)");
            else CheckCondition(condition, $"when' of state '{name.Value}", r);
            states.Add(new MachineState(name.Value, reason, planned, condition));
        }
        if (states.Count > 0 && !states.Any(s => s.Reason is not null))
            r.Error(m.LocationOf("states"), $"{m.What} has no downtime state: give at least one state a 'reason' (breakdown, changeover, …)");
        if (signal is not null && defaultState is not null)
            r.Error(defaultState.Location, $"'default' of {m.What} is only for states derived from conditions (no 'signal')");
        var parameters = new StateMachineParameters(minDuration);
        overrides = o => new StateMachineParameters(ConfigDurations.Read(o, r.Context, "min-duration") ?? parameters.MinDurationMs);
        if (ended is null || states.Count == 0) return null;
        return new StateMachineRuleDefinition
        {
            Id = r.Id, Classes = [], EventType = "", Location = m.Location,
            Signal = signal?.Value, States = [.. states], DefaultState = defaultState?.Value ?? "running",
            Parameters = parameters, EndedEventType = ended.Value, StateChangedEventType = changed?.Value,
        };
    }

    private static string ReadSeverity(RuleReading r, string fallback)
    {
        var node = r.M.Text("severity");
        if (node is null) return fallback;
        if (Severities.Contains(node.Value)) return node.Value;
        r.Context.UnknownReference(node, "severity", node.Value, Severities);
        r.Ok = false;
        return fallback;
    }

    /// <summary>
    /// Limits with hysteresis. For an override, <paramref name="d"/> holds the rule's parameters: keys not given keep
    /// them, and a moved limit keeps the rule's hysteresis margin.
    /// </summary>
    private static ThresholdParameters? ReadThresholdParameters(MappingReader m, RuleReading r, ThresholdParameters? d, bool requireLimit, out double margin)
    {
        double? above = m.Number("above") ?? d?.Above;
        double? below = m.Number("below") ?? d?.Below;
        double? clearBelow = m.Number("clear-below");
        double? clearAbove = m.Number("clear-above");
        double? hysteresis = m.Number("hysteresis");
        long? consecutive = m.Integer("consecutive");
        long? minDuration = ConfigDurations.Read(m, r.Context, "min-duration");
        margin = hysteresis ?? 0;
        bool ok = true;
        void Fail(string key, string message) { r.Error(m.LocationOf(key), message); ok = false; }
        if (hysteresis < 0) Fail("hysteresis", $"'hysteresis' of {m.What} must be zero or more (the margin back inside the limit that ends an episode), got {F(hysteresis.Value)}");
        if (hysteresis is not null && (clearBelow is not null || clearAbove is not null))
            Fail("hysteresis", $"{m.What} gives both 'hysteresis' and 'clear-below'/'clear-above'; use one");
        if (requireLimit && above is null && below is null)
        {
            r.Error(m.Location, $"{m.What} needs a limit: 'above', 'below' or both");
            return null;
        }
        if (above is not null && below is not null && below >= above)
            Fail("below", $"'below' ({F(below.Value)}) of {m.What} must be lower than 'above' ({F(above.Value)})");
        double marginHigh = hysteresis ?? (d is { Above: { } a0 } ? a0 - d.ClearBelow : 0);
        double marginLow = hysteresis ?? (d is { Below: { } b0 } ? d.ClearAbove - b0 : 0);
        double cb = clearBelow ?? (above is { } a ? a - marginHigh : double.NaN);
        double ca = clearAbove ?? (below is { } b ? b + marginLow : double.NaN);
        if (clearBelow is not null && above is null) Fail("clear-below", $"'clear-below' of {m.What} needs 'above'");
        if (clearAbove is not null && below is null) Fail("clear-above", $"'clear-above' of {m.What} needs 'below'");
        if (above is not null && cb > above)
            Fail("clear-below", $"hysteresis inverted in {m.What}: 'clear-below' ({F(cb)}) is above 'above' ({F(above.Value)}); an episode over the limit must clear at or below it");
        if (below is not null && ca < below)
            Fail("clear-above", $"hysteresis inverted in {m.What}: 'clear-above' ({F(ca)}) is below 'below' ({F(below.Value)}); an episode under the limit must clear at or above it");
        if (consecutive < 1) Fail("consecutive", $"'consecutive' of {m.What} must be at least 1, got {consecutive}");
        if (!ok) return null;
        return new ThresholdParameters(above, below, cb, ca, (int)(consecutive ?? d?.Consecutive ?? 1), minDuration ?? d?.MinDurationMs ?? 0);
    }

    private static string F(double value) => value.ToString(CultureInfo.InvariantCulture);
}
