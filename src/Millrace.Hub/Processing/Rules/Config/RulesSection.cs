using System.Collections.Immutable;
using Millrace.Core.Config;
using Millrace.Core.Expressions;
using Millrace.Core.Model;
using Millrace.Hub.Governance;

namespace Millrace.Hub.Processing.Rules;

/// <summary>
/// <c>rules:</c> — a list of rules, each with <c>id</c>, <c>kind</c> (threshold, rate-of-change, counter-quantity,
/// state-machine, window), <c>class</c> or <c>classes</c>, <c>event</c> and the kind's own keys, plus optional
/// <c>when</c> and per-asset <c>overrides</c>. Everything is checked at load against the asset classes (signal names
/// and kinds, state names), the plants (override assets) and, when <c>schemas:</c> are configured, the event
/// catalogue; expressions are compiled and a mistake is reported at its own column. Publishes <see cref="RuleBook"/>.
/// </summary>
public sealed partial class RulesSection : ConfigSection
{
    internal const string Space = "rule";
    private readonly List<ConfigNode> _items = [];

    /// <inheritdoc />
    public override string Key => "rules";

    /// <inheritdoc />
    public override void Read(ConfigNode value, ConfigContext context) => _items.AddRange(context.ReadList(value, "rules"));

    /// <inheritdoc />
    public override void Resolve(ConfigContext context)
    {
        var rules = new List<RuleDefinition>();
        foreach (var item in _items)
            if (ReadRule(item, context) is { } rule) rules.Add(rule);
        context.Set(new RuleBook([.. rules], context.Get<RuleSettings>() ?? RuleSettings.Default));
    }

    /// <summary>Everything the kind readers need about one rule being read.</summary>
    private sealed class RuleReading(ConfigContext context, MappingReader m, IReadOnlyList<AssetClass> classes, string id)
    {
        public ConfigContext Context { get; } = context;
        public MappingReader M { get; } = m;
        public IReadOnlyList<AssetClass> Classes { get; } = classes;
        public string Id { get; } = id;
        public bool Ok { get; set; } = true;

        public void Error(SourceLocation at, string message)
        {
            Context.Error(at, message);
            Ok = false;
        }
    }

    private static RuleDefinition? ReadRule(ConfigNode node, ConfigContext context)
    {
        var m = context.ReadMapping(node, "rule");
        if (m is null) return null;
        var id = m.Id();
        if (id is not null) m.What = $"rule '{id.Value}'";
        var kindNode = m.Text("kind", required: true);
        var classes = ReadClasses(m, context, out bool classesOk);
        var eventNode = m.Text("event", required: true);
        var whenNode = m.Text("when");
        var reading = new RuleReading(context, m, classes, id?.Value ?? "?") { Ok = id is not null && classesOk && eventNode is not null };
        if (eventNode is not null) CheckEventType(eventNode, reading);
        RuleExpression? when = whenNode is null ? null : new RuleExpression(whenNode.Value, whenNode);
        if (when is not null) CheckCondition(when, "when", reading);

        RuleDefinition? rule = null;
        Func<MappingReader, object?>? overrideReader = null;
        switch (kindNode?.Value)
        {
            case null:
                reading.Ok = false;
                break;
            case "threshold":
                rule = ReadThreshold(reading, out overrideReader);
                break;
            case "rate-of-change":
                rule = ReadRateOfChange(reading, out overrideReader);
                break;
            case "counter-quantity":
                rule = ReadCounter(reading, out overrideReader);
                break;
            case "state-machine":
                rule = ReadStateMachine(reading, out overrideReader);
                break;
            case "window":
                rule = ReadWindow(reading, out overrideReader);
                break;
            default:
                context.UnknownReference(kindNode, "rule kind", kindNode.Value, ["threshold", "rate-of-change", "counter-quantity", "state-machine", "window"]);
                reading.Ok = false;
                m.Allow([.. m.Node.Entries.Select(e => e.Key.Value)]); // the kind's keys are unknowable: report the kind only
                break;
        }
        var overrides = rule is null || overrideReader is null ? ImmutableDictionary<string, RuleOverride>.Empty : ReadOverrides(reading, rule, overrideReader);
        m.Complete();
        if (rule is null || !reading.Ok || id is null) return null;
        if (!context.Declare(Space, id.Value, id.Location, "rule")) return null;
        return rule with
        {
            Id = id.Value,
            Classes = [.. classes.Select(c => c.Id)],
            EventType = eventNode!.Value,
            When = when,
            Overrides = overrides,
            Location = m.Location,
        };
    }

    private static List<AssetClass> ReadClasses(MappingReader m, ConfigContext context, out bool ok)
    {
        var catalog = context.Get<ConfigCatalog<AssetClass>>() ?? ConfigCatalog<AssetClass>.Empty;
        var single = m.Text("class");
        var many = m.TextList("classes");
        var names = new List<ConfigScalar>(many);
        if (single is not null) names.Insert(0, single);
        ok = true;
        if (names.Count == 0)
        {
            context.Error(m.Location, $"{m.What} must name the asset classes it applies to ('class' or 'classes')");
            ok = false;
        }
        var result = new List<AssetClass>();
        foreach (var name in names)
        {
            if (catalog.TryGet(name.Value, out var assetClass))
            {
                if (!result.Contains(assetClass)) result.Add(assetClass);
            }
            else
            {
                context.UnknownReference(name, "asset class", name.Value, catalog.Ids);
                ok = false;
            }
        }
        return result;
    }

    private static void CheckEventType(ConfigScalar node, RuleReading reading)
    {
        var schemas = reading.Context.Get<ConfigCatalog<SchemaDefinition>>();
        if (schemas is null || schemas.Count == 0 || schemas.TryGet(node.Value, out _)) return;
        reading.Context.UnknownReference(node, "event type", node.Value, schemas.Ids);
        reading.Ok = false;
    }

    /// <summary>Compiles a condition against every class of the rule; the first error is reported at its column.</summary>
    private static void CheckCondition(RuleExpression expression, string key, RuleReading reading)
    {
        foreach (var assetClass in reading.Classes)
        {
            try
            {
                ExpressionCompiler.CompilePredicate(expression.Text, RuleScope.For([.. assetClass.Signals.Select(s => s.Name)]));
            }
            catch (ExpressionException ex)
            {
                string where = reading.Classes.Count > 1 ? $" (for asset class '{assetClass.Id}')" : "";
                reading.Error(expression.Node.LocationOf(ex.Column - 1), $"'{key}' of rule '{reading.Id}': {ex.Reason}{where}");
                return;
            }
        }
    }

    /// <summary>
    /// Checks that every class has the signal and that its kind is one the rule can use:
    /// "unknown signal 'spindle-vibraton' for asset class 'cnc-mill'; did you mean 'spindle-vibration'?".
    /// </summary>
    private static void CheckSignal(ConfigScalar node, RuleReading reading, string ruleKind, params SignalKind[] allowed)
    {
        foreach (var assetClass in reading.Classes)
        {
            var signal = assetClass.Signals.FirstOrDefault(s => s.Name == node.Value);
            if (signal is null && reading.Context.Get<BrokenSignals>() is { } broken
                && broken.ByClass.TryGetValue(assetClass.Id, out var failed) && failed.Contains(node.Value))
            {
                reading.Ok = false; // the signal's own declaration is wrong and already reported: no echo here
                return;
            }
            if (signal is null)
            {
                reading.Context.UnknownReference(node, $"signal for asset class '{assetClass.Id}':", node.Value, assetClass.Signals.Select(s => s.Name));
                reading.Ok = false;
                return;
            }
            if (!allowed.Contains(signal.Kind))
            {
                reading.Error(node.Location, $"signal '{node.Value}' of asset class '{assetClass.Id}' is a {signal.Kind.ToString().ToLowerInvariant()}; "
                                             + $"a {ruleKind} rule needs a {string.Join(" or ", allowed.Select(k => k.ToString().ToLowerInvariant()))} signal");
                return;
            }
        }
    }

    private static ImmutableDictionary<string, RuleOverride> ReadOverrides(RuleReading reading, RuleDefinition rule, Func<MappingReader, object?> readParameters)
    {
        var model = reading.Context.Get<EnterpriseModel>();
        var result = ImmutableDictionary.CreateBuilder<string, RuleOverride>(StringComparer.Ordinal);
        foreach (var item in reading.M.List("overrides"))
        {
            var o = reading.Context.ReadMapping(item, "rule override");
            if (o is null) continue;
            var asset = o.Text("asset", required: true);
            if (asset is not null) o.What = $"override of rule '{reading.Id}' for '{asset.Value}'";
            var enabled = o.Boolean("enabled") ?? true;
            var parameters = readParameters(o);
            o.Complete();
            if (asset is null) continue;
            if (model is not null && model.AssetCount > 0)
            {
                if (!model.TryGetAsset(asset.Value, out var equipment))
                {
                    reading.Context.UnknownReference(asset, "asset", asset.Value, model.Assets.Select(a => a.Id));
                    reading.Ok = false;
                    continue;
                }
                if (!reading.Classes.Any(c => c.Id == equipment.Class.Id))
                {
                    reading.Error(asset.Location, $"asset '{asset.Value}' is a '{equipment.Class.Id}', which rule '{reading.Id}' does not apply to "
                                                  + $"(classes: {string.Join(", ", reading.Classes.Select(c => c.Id))})");
                    continue;
                }
            }
            if (result.ContainsKey(asset.Value))
            {
                reading.Error(asset.Location, $"rule '{reading.Id}' already has an override for '{asset.Value}'");
                continue;
            }
            result.Add(asset.Value, new RuleOverride(asset.Value, enabled, parameters, o.Location));
        }
        return result.ToImmutable();
    }
}
