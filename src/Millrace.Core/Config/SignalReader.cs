using System.Collections.Immutable;
using Millrace.Core.Model;
using Millrace.Core.Units;

namespace Millrace.Core.Config;

/// <summary>
/// Reads a signal definition (<c>name</c>, <c>kind</c>, <c>unit</c>, <c>range</c>, <c>states</c>,
/// <c>description</c>), either new (in an asset class, or added by an asset) or as an override of an inherited one.
/// </summary>
internal static class SignalReader
{
    private static readonly string[] Kinds = ["gauge", "counter", "state"];

    // Dimensions whose values can accumulate: a temperature or a speed cannot be a cumulative counter.
    private static readonly HashSet<Dimension> CumulativeDimensions =
    [
        Dimension.Count, Dimension.Energy, Dimension.Mass, Dimension.Volume, Dimension.Length, Dimension.Time,
        Dimension.Dimensionless,
    ];

    /// <summary>
    /// Reads one signal; <paramref name="inherited"/> finds the definition it overrides by name. Overrides of a
    /// signal in <paramref name="broken"/> (its class definition had errors, already reported) are skipped silently.
    /// </summary>
    public static SignalDefinition? Read(ConfigContext context, ConfigNode node, Func<string, SignalDefinition?> inherited, string owner,
        IReadOnlySet<string>? broken = null)
    {
        var m = context.ReadMapping(node, $"signal of {owner}");
        if (m is null) return null;
        var nameNode = m.Id("name");
        if (nameNode is not null && broken is not null && broken.Contains(nameNode.Value)) return null;
        var baseline = nameNode is null ? null : inherited(nameNode.Value);
        if (nameNode is not null) m.What = $"signal '{nameNode.Value}' of {owner}";
        var kindNode = m.Text("kind", required: baseline is null && nameNode is not null);
        var unitNode = m.Text("unit");
        var range = ReadRange(context, m);
        var statesNode = m.Value("states");
        var states = m.TextList("states");
        var description = m.String("description");
        m.Complete();
        if (nameNode is null) return null;

        SignalKind? kind = baseline?.Kind;
        if (kindNode is not null)
        {
            kind = kindNode.Value switch
            {
                "gauge" => SignalKind.Gauge,
                "counter" => SignalKind.Counter,
                "state" => SignalKind.State,
                _ => null,
            };
            if (kind is null)
            {
                var suggestion = Units.NameSuggester.Suggest(kindNode.Value, Kinds);
                context.Error(kindNode, $"unknown signal kind '{kindNode.Value}' (expected gauge, counter or state)"
                                        + (suggestion is null ? "" : $"; did you mean '{suggestion}'?"));
                return null;
            }
        }
        if (kind is not { } k) return null;

        Unit? unit = null;
        var ok = true;
        if (k == SignalKind.State)
        {
            if (unitNode is not null)
            {
                context.Error(unitNode, $"state signal '{nameNode.Value}' has no unit (list its 'states' instead)");
                ok = false;
            }
        }
        else if (unitNode is not null)
        {
            if (!context.Units.TryParse(unitNode.Value, out unit, out var error))
            {
                context.Error(unitNode, error);
                return null;
            }
            if (baseline?.Unit is { } old && old.Dimension != unit.Dimension)
            {
                context.Error(unitNode, $"unit '{unit.Symbol}' ({unit.Dimension}) cannot replace '{old.Symbol}' ({old.Dimension}) of signal '{nameNode.Value}'");
                return null;
            }
        }
        else
        {
            unit = baseline?.Unit ?? (k == SignalKind.Counter ? context.Units.Parse("count") : null);
            if (unit is null)
            {
                if (m.Node.IsComplete && !m.WasMisspelt("unit")) context.Error(m.Location, $"missing required key 'unit' in {m.What} (gauges need a unit)");
                return null;
            }
        }
        if (k == SignalKind.Counter && unit is not null && !CumulativeDimensions.Contains(unit.Dimension))
        {
            context.Error(unitNode ?? (ConfigNode)nameNode,
                $"counter '{nameNode.Value}' cannot be in '{unit.Symbol}' ({unit.Dimension}); counters accumulate counts, energy, mass, volume, length or time");
            ok = false;
        }
        if (k != SignalKind.State && statesNode is not null)
        {
            context.Error(statesNode, $"'states' applies only to state signals; '{nameNode.Value}' is a {k.ToString().ToLowerInvariant()}");
            ok = false;
        }
        if (!ok) return null;

        // An inherited range follows a unit override (a class range in °C becomes °F for an asset reporting °F).
        var effectiveRange = range ?? baseline?.Range;
        if (range is null && baseline?.Range is { } r && baseline.Unit is { } from && unit is not null && !ReferenceEquals(from, unit))
        {
            var c = from.ConverterTo(unit);
            effectiveRange = new ValueRange(r.Min is { } lo ? c.Convert(lo) : null, r.Max is { } hi ? c.Convert(hi) : null);
        }
        return new SignalDefinition(nameNode.Value, k, k == SignalKind.State ? null : unit)
        {
            Range = k == SignalKind.State ? null : effectiveRange,
            Description = description ?? baseline?.Description,
            States = statesNode is not null ? [.. states.Select(s => s.Value)] : k == SignalKind.State ? baseline?.States ?? [] : [],
        };
    }

    /// <summary>
    /// Reads a list of signals, reporting duplicate names; <paramref name="inherited"/> and <paramref name="broken"/>
    /// as in <see cref="Read"/>. Names of signals that could not be read are added to <paramref name="failed"/>.
    /// </summary>
    public static List<(SignalDefinition Signal, ConfigNode Node)> ReadList(
        ConfigContext context, IReadOnlyList<ConfigNode> items, Func<string, SignalDefinition?> inherited, string owner,
        IReadOnlySet<string>? broken = null, ISet<string>? failed = null)
    {
        var result = new List<(SignalDefinition, ConfigNode)>();
        var seen = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            var signal = Read(context, item, inherited, owner, broken);
            var nameNode = item is ConfigMapping map && map.TryGet("name", out var e) ? e.Value.Value : null;
            if (signal is null)
            {
                if (nameNode is ConfigScalar { IsNull: false } n) failed?.Add(n.Value);
                continue;
            }
            var nameLocation = nameNode?.Location ?? item.Location;
            if (!seen.TryAdd(signal.Name, nameLocation))
            {
                context.Error(nameLocation, $"duplicate signal '{signal.Name}' in {owner} (first defined at {seen[signal.Name]})");
                continue;
            }
            result.Add((signal, item));
        }
        return result;
    }

    private static ValueRange? ReadRange(ConfigContext context, MappingReader owner)
    {
        var m = owner.Mapping("range", "range");
        if (m is null) return null;
        var min = m.Number("min");
        var max = m.Number("max");
        m.Complete();
        if (min is null && max is null)
        {
            if (!m.Node.Entries.Any()) context.Error(m.Location, "a range needs 'min', 'max' or both");
            return null;
        }
        if (min > max)
        {
            context.Error(m.Location, $"range min {min} is above max {max}");
            return null;
        }
        return new ValueRange(min, max);
    }

    public static ImmutableArray<SignalDefinition> Merge(ImmutableArray<SignalDefinition> inherited, IEnumerable<SignalDefinition> overrides)
    {
        var list = inherited.ToList();
        foreach (var o in overrides)
        {
            var i = list.FindIndex(s => s.Name == o.Name);
            if (i >= 0) list[i] = o;
            else list.Add(o);
        }
        return [.. list];
    }
}
