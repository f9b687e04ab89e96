using Millrace.Core.Config;

namespace Millrace.Hub.Governance.Rules;

/// <summary>
/// A business rule beyond shape, declared per event type in <c>business-rules:</c>: a named predicate in the
/// expression language over the event (<see cref="BusinessRuleContext"/>) that must hold, and the message (a template
/// with expression holes) an operator reads when it does not.
/// </summary>
/// <param name="EventType">The CloudEvents type (registry subject) the rule applies to.</param>
/// <param name="Name">The rule's name, unique within its type.</param>
/// <param name="Check">The predicate text, e.g. <c>data.scrap &lt;= (data.good + data.scrap) * 0.2</c>.</param>
/// <param name="Message">The message template text.</param>
/// <param name="Location">Where the rule is declared.</param>
public sealed record BusinessRule(string EventType, string Name, string Check, string Message, SourceLocation Location)
{
    /// <summary>The compiled predicate: true when the event satisfies the rule.</summary>
    public required Func<BusinessRuleContext, bool> Holds { get; init; }

    /// <summary>The compiled message template.</summary>
    public required Func<BusinessRuleContext, string> Explain { get; init; }
}
