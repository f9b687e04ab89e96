using System.Text.Json;
using Millrace.Core.Events;
using Millrace.Core.Expressions;

namespace Millrace.Hub.Governance.Rules;

/// <summary>
/// What a business rule sees of one event: <c>data</c> (the parsed data, json) and the envelope attributes
/// <c>id</c>, <c>type</c>, <c>source</c>, <c>subject</c>, <c>plant</c> (strings) and <c>time</c> (timestamp).
/// </summary>
public readonly struct BusinessRuleContext(JsonElement data, CloudEvent cloudEvent)
{
    /// <summary>The event's data.</summary>
    public readonly JsonElement Data = data;

    /// <summary>The event.</summary>
    public readonly CloudEvent Event = cloudEvent;

    /// <summary>The fields a business rule may read, declared once.</summary>
    public static ExpressionScope<BusinessRuleContext> Scope { get; } = ExpressionScope.For<BusinessRuleContext>()
        .Field("data", c => c.Data)
        .Field("id", c => c.Event.Id)
        .Field("type", c => c.Event.Type)
        .Field("source", c => c.Event.Source)
        .Field("subject", c => c.Event.Subject)
        .Field("plant", c => c.Event.Plant)
        .Field("time", c => c.Event.Time);
}
