using Millrace.Core.Expressions;
using Millrace.Core.Model;

namespace Millrace.Hub.Processing.Rules;

/// <summary>
/// A rule prepared for one enterprise model, shared by every shard: for each asset whether the rule applies, its
/// parameters after overrides, the signal indices it reads and its compiled conditions. Immutable once built.
/// </summary>
internal sealed class CompiledRule
{
    private readonly Dictionary<string, Func<RuleSampleContext, bool>> _conditions = new(StringComparer.Ordinal);

    public CompiledRule(RuleDefinition definition, EnterpriseModel model)
    {
        Definition = definition;
        int n = model.AssetCount;
        Applies = new bool[n];
        Parameters = new object?[n];
        Signals = new int[n][];
        When = new Func<RuleSampleContext, bool>?[n];
        Conditions = new Func<RuleSampleContext, bool>[n][];
        var classes = definition.Classes.ToHashSet(StringComparer.Ordinal);
        for (int a = 0; a < n; a++)
        {
            var asset = model.GetAsset(a);
            if (!classes.Contains(asset.Class.Id)) continue;
            object? parameters = DefaultParameters(definition);
            if (definition.Overrides.TryGetValue(asset.Id, out var o))
            {
                if (!o.Enabled) continue;
                parameters = o.Parameters ?? parameters;
            }
            var layout = model.GetSignals(a);
            var names = new string[layout.Length];
            for (int i = 0; i < names.Length; i++) names[i] = layout[i].Name;
            if (!TryResolveSignals(definition, model, a, names, out var signals)) continue;
            if (definition is ThresholdRuleDefinition { StorageLimitsHysteresis: { } margin } threshold)
            {
                parameters = StorageLimits(threshold, model, asset, signals[0], margin);
                if (parameters is null) continue;
            }
            Applies[a] = true;
            Parameters[a] = parameters;
            Signals[a] = signals;
            string key = string.Join('\n', names);
            if (definition.When is { } when) When[a] = Condition(when.Text, key, names);
            Conditions[a] = definition switch
            {
                StateMachineRuleDefinition { Signal: null } sm => [.. sm.States.Select(s => Condition(s.When!.Text, key, names))],
                WindowRuleDefinition { CloseWhen: { } close } => [Condition(close.Text, key, names)],
                _ => [],
            };
        }
    }

    public RuleDefinition Definition { get; }

    /// <summary>Whether the rule runs for an asset.</summary>
    public bool[] Applies { get; }

    /// <summary>Per asset: the parameter record of the rule's kind, overrides applied.</summary>
    public object?[] Parameters { get; }

    /// <summary>Per asset: the signal indices the rule reads, by role (see each rule state).</summary>
    public int[][] Signals { get; }

    /// <summary>Per asset: the rule's <c>when</c> gate, or null.</summary>
    public Func<RuleSampleContext, bool>?[] When { get; }

    /// <summary>Per asset: derived-state conditions (state machine, in state order) or the window's close-when.</summary>
    public Func<RuleSampleContext, bool>[][] Conditions { get; }

    /// <summary>Creates the rule's state for the given assets of one shard.</summary>
    public RuleState CreateState(ShardServices services, int[] assets) => Definition switch
    {
        ThresholdRuleDefinition => new ThresholdState(this, services, assets),
        RateOfChangeRuleDefinition => new RateOfChangeState(this, services, assets),
        CounterQuantityRuleDefinition => new CounterQuantityState(this, services, assets),
        StateMachineRuleDefinition => new StateMachineState(this, services, assets),
        WindowRuleDefinition => new WindowState(this, services, assets),
        _ => throw new NotSupportedException($"rule kind {Definition.Kind}"),
    };

    private Func<RuleSampleContext, bool> Condition(string text, string layoutKey, string[] names)
    {
        string key = layoutKey + "\0" + text;
        if (!_conditions.TryGetValue(key, out var compiled))
            _conditions[key] = compiled = ExpressionCompiler.CompilePredicate(text, RuleScope.For(names));
        return compiled;
    }

    private static object? DefaultParameters(RuleDefinition d) => d switch
    {
        ThresholdRuleDefinition t => t.Parameters,
        RateOfChangeRuleDefinition r => r.Parameters,
        CounterQuantityRuleDefinition c => c.Parameters,
        StateMachineRuleDefinition s => s.Parameters,
        WindowRuleDefinition w => w.Parameters,
        _ => null,
    };

    /// <summary>Signal indices by role; false when the asset lacks one (an asset-level signal override removed it).</summary>
    private static bool TryResolveSignals(RuleDefinition d, EnterpriseModel model, int asset, string[] names, out int[] signals)
    {
        string?[] wanted = d switch
        {
            ThresholdRuleDefinition t => [t.Signal],
            RateOfChangeRuleDefinition r => [r.Signal],
            WindowRuleDefinition w => [w.Signal],
            CounterQuantityRuleDefinition c => new string?[] { c.GoodSignal, c.ScrapSignal },
            StateMachineRuleDefinition { Signal: { } s } => [s],
            StateMachineRuleDefinition => names, // derived states re-evaluate on every signal of the asset
            _ => [],
        };
        signals = new int[wanted.Length];
        for (int i = 0; i < wanted.Length; i++)
        {
            if (wanted[i] is null) { signals[i] = -1; continue; }
            if (!model.TryGetSignalIndex(asset, wanted[i]!, out signals[i])) return false;
        }
        return true;
    }

    private static ThresholdParameters? StorageLimits(ThresholdRuleDefinition d, EnterpriseModel model, Equipment asset, int signal, double margin)
    {
        if (model.GetStorageLocation(asset) is not { Temperature: { } range }) return null;
        var unit = model.GetSignal(signal).Definition.Unit;
        var convert = unit is null || ReferenceEquals(unit, range.Unit) ? Millrace.Core.Units.UnitConverter.Identity : range.Unit.ConverterTo(unit);
        double max = convert.Convert(range.Max), min = convert.Convert(range.Min);
        return d.Parameters with { Above = max, Below = min, ClearBelow = max - margin, ClearAbove = min + margin };
    }
}
