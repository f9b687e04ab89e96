using System.Text.Json.Nodes;

namespace Millrace.Hub.Processing.Rules;

/// <summary>
/// <c>kind: state-machine</c> in one shard. Per asset: the current state (an index into the rule's states, or, for
/// states read from a signal that the rule does not list, the signal's own state name) and the open downtime.
/// Entering a state with a <c>reason</c> opens a downtime and emits downtime-started (fact key
/// <c>rule/asset/start-ms/started</c>); leaving it emits downtime-ended with the duration (<c>…/ended</c>), both with
/// the same downtimeId. With <c>min-duration</c>, started is held back until a sample shows the downtime lasted that
/// long; a shorter one emits nothing.
/// </summary>
internal sealed class StateMachineState : RuleState
{
    private struct Machine
    {
        public int State;          // code of the current state, -1 unknown
        public long Since;
        public bool Down;          // a downtime is open
        public bool Announced;     // its started event was emitted
        public long DownSince;
        public int DownState;
    }

    private readonly StateMachineRuleDefinition _definition;
    private readonly StateMachineParameters[] _parameters;
    private readonly Func<RuleSampleContext, bool>?[] _when;
    private readonly Machine[] _machines;
    private readonly string[][] _names;   // per slot: state name by code
    private readonly int[][] _toRule;     // per slot: signal state index -> rule state index (-1 when the rule does not list it)

    public StateMachineState(CompiledRule rule, ShardServices services, int[] assets) : base(rule, services, assets)
    {
        _definition = (StateMachineRuleDefinition)rule.Definition;
        _parameters = [.. assets.Select(a => (StateMachineParameters)rule.Parameters[a]!)];
        _when = [.. assets.Select(a => rule.When[a])];
        _machines = new Machine[assets.Length];
        for (int i = 0; i < _machines.Length; i++) _machines[i].State = -1;
        _names = new string[assets.Length][];
        _toRule = new int[assets.Length][];
        for (int s = 0; s < assets.Length; s++)
        {
            if (_definition.Signal is null)
            {
                // codes: rule states in order, then the default state
                _names[s] = [.. _definition.States.Select(x => x.Name), _definition.DefaultState];
                _toRule[s] = [.. Enumerable.Range(0, _definition.States.Length), -1];
            }
            else
            {
                var states = services.Model.GetSignal(rule.Signals[assets[s]][0]).Definition.States;
                _names[s] = states.IsDefaultOrEmpty ? [.. _definition.States.Select(x => x.Name)] : [.. states];
                _toRule[s] = [.. _names[s].Select(n => _definition.States.Select(x => x.Name).ToList().IndexOf(n))];
            }
        }
    }

    public override void OnSample(in RuleSampleContext context, int slot, int role)
    {
        if (_when[slot] is { } when && !when(context)) return;
        int code;
        if (_definition.Signal is null)
        {
            var conditions = Rule.Conditions[Assets[slot]];
            code = conditions.Length; // the default state
            for (int i = 0; i < conditions.Length; i++)
                if (conditions[i](context)) { code = i; break; }
        }
        else
        {
            double v = context.Value;
            if (double.IsNaN(v) || v < 0 || v >= _names[slot].Length) return;
            code = (int)v;
        }
        ref var m = ref _machines[slot];
        long t = context.TimestampMs;
        if (code != m.State) Transition(slot, ref m, code, t);
        if (m.Down && !m.Announced && t - m.DownSince >= _parameters[slot].MinDurationMs) Announce(slot, ref m);
    }

    private void Transition(int slot, ref Machine m, int code, long t)
    {
        int previous = m.State;
        m.State = code;
        m.Since = t;
        if (_definition.StateChangedEventType is { } changed)
        {
            string assetId = AssetId(slot);
            var data = new JsonObject { ["asset"] = assetId };
            if (previous >= 0) data["previous"] = _names[slot][previous];
            data["state"] = _names[slot][code];
            data["changedAt"] = FactIds.Time(t);
            Services.Emit(new RuleEvent(changed, _definition.Id, Assets[slot], t, FactIds.Key(_definition.Id, assetId, t) + "/state", data));
        }
        if (m.Down)
        {
            if (m.Announced) Ended(slot, ref m, t);
            m.Down = false;
        }
        int ruleState = _toRule[slot][code];
        if (ruleState >= 0 && _definition.States[ruleState].Reason is not null)
        {
            m.Down = true;
            m.Announced = false;
            m.DownSince = t;
            m.DownState = ruleState;
        }
    }

    private void Announce(int slot, ref Machine m)
    {
        m.Announced = true;
        var state = _definition.States[m.DownState];
        string assetId = AssetId(slot);
        string fact = FactIds.Key(_definition.Id, assetId, m.DownSince);
        var data = new JsonObject
        {
            ["downtimeId"] = FactIds.Short("dt", fact),
            ["asset"] = assetId,
            ["reason"] = state.Reason,
            ["planned"] = state.Planned,
            ["startedAt"] = FactIds.Time(m.DownSince),
        };
        Services.Emit(new RuleEvent(_definition.EventType, _definition.Id, Assets[slot], m.DownSince, fact + "/started", data));
    }

    private void Ended(int slot, ref Machine m, long t)
    {
        var state = _definition.States[m.DownState];
        string assetId = AssetId(slot);
        string fact = FactIds.Key(_definition.Id, assetId, m.DownSince);
        var data = new JsonObject
        {
            ["downtimeId"] = FactIds.Short("dt", fact),
            ["asset"] = assetId,
            ["reason"] = state.Reason,
            ["startedAt"] = FactIds.Time(m.DownSince),
            ["endedAt"] = FactIds.Time(t),
            ["durationSeconds"] = (t - m.DownSince) / 1000.0,
        };
        Services.Emit(new RuleEvent(_definition.EndedEventType, _definition.Id, Assets[slot], t, fact + "/ended", data));
    }

    public override void Write(BinaryWriter w)
    {
        w.Write(_machines.Length);
        foreach (var m in _machines)
        {
            w.Write(m.State); w.Write(m.Since); w.Write(m.Down); w.Write(m.Announced); w.Write(m.DownSince); w.Write(m.DownState);
        }
    }

    public override void Read(BinaryReader r)
    {
        int n = r.ReadInt32();
        if (n != _machines.Length) throw new InvalidDataException($"rule '{_definition.Id}' has {n} assets in the checkpoint, {_machines.Length} here");
        for (int i = 0; i < n; i++)
        {
            var m = new Machine { State = r.ReadInt32(), Since = r.ReadInt64(), Down = r.ReadBoolean(), Announced = r.ReadBoolean(), DownSince = r.ReadInt64(), DownState = r.ReadInt32() };
            if (m.State < -1 || m.State >= _names[i].Length || (m.Down && (m.DownState < 0 || m.DownState >= _definition.States.Length)))
                throw new InvalidDataException($"rule '{_definition.Id}' has an undefined state in the checkpoint");
            _machines[i] = m;
        }
    }
}
