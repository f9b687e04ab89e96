using System.Collections.Frozen;
using System.Text.Json;
using Millrace.Core.Events;
using Millrace.Hub.Governance.Admission;

namespace Millrace.Hub.Governance.Rules;

/// <summary>The compiled business rules of every event type (the <c>business-rules:</c> section).</summary>
public sealed class BusinessRuleSet
{
    private readonly FrozenDictionary<string, BusinessRule[]> _byType;

    /// <summary>A rule set over <paramref name="rules"/>, kept in declaration order per type.</summary>
    public BusinessRuleSet(IEnumerable<BusinessRule> rules)
    {
        All = [.. rules];
        _byType = All.GroupBy(r => r.EventType, StringComparer.Ordinal).ToFrozenDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
    }

    /// <summary>No rules.</summary>
    public static BusinessRuleSet Empty { get; } = new([]);

    /// <summary>Every rule, in declaration order.</summary>
    public IReadOnlyList<BusinessRule> All { get; }

    /// <summary>The rules of one event type (empty when it has none).</summary>
    public IReadOnlyList<BusinessRule> For(string eventType) => _byType.TryGetValue(eventType, out var rules) ? rules : [];

    /// <summary>
    /// Evaluates every rule of the event's type against <paramref name="data"/> (already valid against the schema);
    /// returns one error per violated rule (empty when all hold). Rules never throw on data.
    /// </summary>
    public IReadOnlyList<(BusinessRule Rule, AdmissionError Error)> Violations(CloudEvent cloudEvent, JsonElement data)
    {
        if (!_byType.TryGetValue(cloudEvent.Type, out var rules)) return [];
        List<(BusinessRule, AdmissionError)>? violations = null;
        var context = new BusinessRuleContext(data, cloudEvent);
        foreach (var rule in rules)
        {
            if (rule.Holds(context)) continue;
            (violations ??= []).Add((rule, new AdmissionError("/data", "/business-rules/" + rule.Name, $"{rule.Name}: {rule.Explain(context)}")));
        }
        return violations is null ? [] : violations;
    }
}
