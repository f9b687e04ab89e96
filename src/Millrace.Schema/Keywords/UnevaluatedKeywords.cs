using System.Text.Json;
using Millrace.Schema.Internal;

namespace Millrace.Schema.Keywords;

/// <summary>
/// unevaluatedProperties: applies to members that no adjacent keyword (nor a successful in-place subschema)
/// evaluated. Runs after all sibling keywords.
/// </summary>
internal sealed class UnevaluatedPropertiesKeyword(string absoluteLocation, SchemaNode schema)
    : ApplicatorKeyword("unevaluatedProperties", absoluteLocation)
{
    public override int Phase => 1;

    public override bool Evaluate(JsonElement instance, EvaluationContext ctx, EvaluatedSet? evaluated)
    {
        if (instance.ValueKind != JsonValueKind.Object || evaluated is null) return true;
        bool valid = true;
        int index = -1;
        foreach (var property in instance.EnumerateObject())
        {
            index++;
            if (evaluated.IsMarked(index)) continue;
            ctx.PushInstance(property);
            bool ok;
            if (schema.BooleanValue == false)
            {
                ok = false;
                if (ctx.Collecting) ctx.Fail(this, $"Property '{property.Name}' is not allowed: it is not evaluated by any other keyword.");
            }
            else ok = Apply(schema, property.Value, ctx, "unevaluatedProperties", null);
            ctx.PopInstance();
            if (!ok)
            {
                valid = false;
                if (!ctx.Collecting) return false;
            }
        }
        // Marked only after the loop: this keyword's own evaluation must not hide members from itself.
        if (valid) evaluated.MarkRange(0, index + 1);
        return valid;
    }
}

/// <summary>unevaluatedItems: applies to items no adjacent keyword (nor successful in-place subschema) evaluated.</summary>
internal sealed class UnevaluatedItemsKeyword(string absoluteLocation, SchemaNode schema)
    : ApplicatorKeyword("unevaluatedItems", absoluteLocation)
{
    public override int Phase => 1;

    public override bool Evaluate(JsonElement instance, EvaluationContext ctx, EvaluatedSet? evaluated)
    {
        if (instance.ValueKind != JsonValueKind.Array || evaluated is null) return true;
        bool valid = true;
        int index = -1;
        foreach (var item in instance.EnumerateArray())
        {
            index++;
            if (evaluated.IsMarked(index)) continue;
            ctx.PushInstance(index);
            bool ok;
            if (schema.BooleanValue == false)
            {
                ok = false;
                if (ctx.Collecting) ctx.Fail(this, $"Item {index} is not allowed: it is not evaluated by any other keyword.");
            }
            else ok = Apply(schema, item, ctx, "unevaluatedItems", null);
            ctx.PopInstance();
            if (!ok)
            {
                valid = false;
                if (!ctx.Collecting) return false;
            }
        }
        if (valid) evaluated.MarkRange(0, index + 1);
        return valid;
    }
}
