using Millrace.Core.Config;
using Millrace.Core.Expressions;
using Millrace.Core.Model;

namespace Millrace.Hub.Governance.Rules;

/// <summary>
/// <c>business-rules:</c> — rules beyond shape, per event type:
/// <code>
/// business-rules:
///   - type: com.acme.production.completed.v1
///     rules:
///       - name: scrap-plausible
///         check: data.scrap &lt;= (data.good + data.scrap) * 0.2
///         message: "scrap {data.scrap} is more than 20% of {data.good + data.scrap}"
/// </code>
/// Every type must be a subject of the <c>schemas:</c> section (resolved before this one); every <c>check</c> is
/// parsed and type-checked against <see cref="BusinessRuleContext.Scope"/> and must be boolean; every <c>message</c>
/// template compiles. Errors point at the offending character: <c>file:line:col</c>. Publishes
/// <see cref="BusinessRuleSet"/>.
/// </summary>
public sealed class BusinessRulesSection : ConfigSection
{
    private readonly List<ConfigNode> _items = [];

    /// <inheritdoc />
    public override string Key => "business-rules";

    /// <inheritdoc />
    public override void Read(ConfigNode value, ConfigContext context) => _items.AddRange(context.ReadList(value, "business rules per event type"));

    /// <inheritdoc />
    public override void Resolve(ConfigContext context)
    {
        var subjects = context.Get<ConfigCatalog<SchemaDefinition>>();
        var rules = new List<BusinessRule>();
        foreach (var item in _items) ReadType(item, subjects, context, rules);
        context.Set(new BusinessRuleSet(rules));
    }

    private static void ReadType(ConfigNode node, ConfigCatalog<SchemaDefinition>? subjects, ConfigContext context, List<BusinessRule> into)
    {
        var m = context.ReadMapping(node, "business rules of an event type");
        if (m is null) return;
        var type = m.Text("type", required: true);
        if (type is not null) m.What = $"business rules of '{type.Value}'";
        var list = m.List("rules", required: true);
        m.Complete();
        if (type is null) return;
        bool known = subjects is not null && subjects.TryGet(type.Value, out _);
        if (!known)
        {
            if (subjects is null || subjects.Count == 0)
                context.Error(type, $"unknown event type '{type.Value}': no 'schemas:' entry declares it");
            else
                context.UnknownReference(type, "event type", type.Value, subjects.Ids);
            return;
        }
        if (!context.Declare("business-rules type", type.Value, type.Location, "business-rules type")) return;
        if (m.Has("rules") && list.Count == 0) context.Error(m.LocationOf("rules"), $"'rules' of '{type.Value}' needs at least one rule");
        foreach (var ruleNode in list)
            if (ReadRule(ruleNode, type.Value, context) is { } rule) into.Add(rule);
    }

    private static BusinessRule? ReadRule(ConfigNode node, string type, ConfigContext context)
    {
        var m = context.ReadMapping(node, $"business rule of '{type}'");
        if (m is null) return null;
        var name = m.Text("name", required: true);
        if (name is not null) m.What = $"business rule '{name.Value}'";
        var check = m.Text("check", required: true);
        var message = m.Text("message");
        m.Complete();
        if (name is null || check is null) return null;
        bool ok = true;
        if (!ModelId.IsValidLocal(name.Value))
        {
            context.Error(name, ModelId.ExplainInvalidLocal(name.Value));
            ok = false;
        }
        else if (!context.Declare("business rule of " + type, name.Value, name.Location, "business rule"))
        {
            ok = false;
        }
        var scope = BusinessRuleContext.Scope;
        Func<BusinessRuleContext, bool>? holds = null;
        try
        {
            var parsed = ExpressionCompiler.Parse(check.Value);
            var resultType = ExpressionCompiler.Check(parsed, scope);
            if (resultType is not (ExpressionValueType.Boolean or ExpressionValueType.Json))
                context.Error(check, $"'check' of business rule '{name.Value}' must be a condition (boolean), but it is a {resultType.ToString().ToLowerInvariant()}");
            else
                holds = ExpressionCompiler.CompilePredicate(parsed, scope);
        }
        catch (ExpressionException e)
        {
            context.Error(check.LocationOf(e.Column - 1), $"'check' of business rule '{name.Value}': {e.Reason}");
        }
        string messageText = message?.Value ?? $"business rule '{name.Value}' does not hold ({check.Value})";
        Func<BusinessRuleContext, string>? explain = null;
        try
        {
            explain = ExpressionCompiler.CompileTemplate(messageText, scope);
        }
        catch (ExpressionException e)
        {
            context.Error(message is null ? check.Location : message.LocationOf(e.Column - 1), $"'message' of business rule '{name.Value}': {e.Reason}");
        }
        if (!ok || holds is null || explain is null) return null;
        return new BusinessRule(type, name.Value, check.Value, messageText, name.Location) { Holds = holds, Explain = explain };
    }
}
