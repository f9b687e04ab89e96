using System.Text.Json;
using Millrace.Schema.Internal;

namespace Millrace.Schema.Keywords;

/// <summary><c>$ref</c>: applies the statically resolved target in place.</summary>
internal sealed class RefKeyword(string absoluteLocation, string reference) : Keyword("$ref", absoluteLocation)
{
    /// <summary>Set after compilation of the target (which may be this keyword's own ancestor).</summary>
    public SchemaNode Target { get; set; } = null!;

    public override bool Evaluate(JsonElement instance, EvaluationContext ctx, EvaluatedSet? evaluated)
    {
        int mark = ctx.Mark;
        ctx.PushKeyword("$ref");
        ctx.EnterRef();
        bool valid = Target.Evaluate(instance, ctx, evaluated);
        ctx.ExitRef();
        ctx.PopKeyword();
        if (!valid && ctx.Collecting) ctx.Fail(this, $"The value does not match the referenced schema '{reference}'.", mark);
        return valid;
    }
}

/// <summary>
/// <c>$dynamicRef</c>: resolved statically, then (when the target is a <c>$dynamicAnchor</c> of that name)
/// re-targeted at validation time to the outermost resource in the dynamic scope declaring the same anchor.
/// </summary>
internal sealed class DynamicRefKeyword(string absoluteLocation, string reference, SchemaNode initial, string? anchor)
    : Keyword("$dynamicRef", absoluteLocation)
{
    public override bool Evaluate(JsonElement instance, EvaluationContext ctx, EvaluatedSet? evaluated)
    {
        var target = anchor is null ? initial : ctx.FindDynamicAnchor(anchor) ?? initial;
        int mark = ctx.Mark;
        ctx.PushKeyword("$dynamicRef");
        ctx.EnterRef();
        bool valid = target.Evaluate(instance, ctx, evaluated);
        ctx.ExitRef();
        ctx.PopKeyword();
        if (!valid && ctx.Collecting) ctx.Fail(this, $"The value does not match the dynamically referenced schema '{reference}'.", mark);
        return valid;
    }
}
