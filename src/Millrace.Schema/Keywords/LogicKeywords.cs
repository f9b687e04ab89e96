using System.Text.Json;
using Millrace.Schema.Internal;

namespace Millrace.Schema.Keywords;

/// <summary>allOf: every subschema applies in place.</summary>
internal sealed class AllOfKeyword(string absoluteLocation, SchemaNode[] schemas) : ApplicatorKeyword("allOf", absoluteLocation)
{
    public override bool Evaluate(JsonElement instance, EvaluationContext ctx, EvaluatedSet? evaluated)
    {
        int mark = ctx.Mark;
        bool valid = true;
        for (int i = 0; i < schemas.Length; i++)
        {
            if (Apply(schemas[i], instance, ctx, ctx.Collecting ? "allOf/" + i : "", evaluated)) continue;
            valid = false;
            if (!ctx.Collecting) return false;
        }
        if (!valid && ctx.Collecting) ctx.Fail(this, "The value does not match all subschemas of allOf.", mark);
        return valid;
    }
}

/// <summary>anyOf: at least one subschema; all are evaluated when annotations are needed.</summary>
internal sealed class AnyOfKeyword(string absoluteLocation, SchemaNode[] schemas) : ApplicatorKeyword("anyOf", absoluteLocation)
{
    public override bool Evaluate(JsonElement instance, EvaluationContext ctx, EvaluatedSet? evaluated)
    {
        int mark = ctx.Mark;
        bool any = false;
        for (int i = 0; i < schemas.Length; i++)
        {
            if (!Apply(schemas[i], instance, ctx, ctx.Collecting ? "anyOf/" + i : "", evaluated)) continue;
            any = true;
            if (evaluated is null) break;
        }
        if (any) ctx.Rollback(mark);
        else if (ctx.Collecting) ctx.Fail(this, "The value matches none of the subschemas of anyOf.", mark);
        return any;
    }
}

/// <summary>oneOf: exactly one subschema.</summary>
internal sealed class OneOfKeyword(string absoluteLocation, SchemaNode[] schemas) : ApplicatorKeyword("oneOf", absoluteLocation)
{
    public override bool Evaluate(JsonElement instance, EvaluationContext ctx, EvaluatedSet? evaluated)
    {
        int mark = ctx.Mark;
        int matches = 0;
        int first = -1, second = -1;
        for (int i = 0; i < schemas.Length; i++)
        {
            if (!Apply(schemas[i], instance, ctx, ctx.Collecting ? "oneOf/" + i : "", evaluated)) continue;
            matches++;
            if (first < 0) first = i; else { second = i; if (evaluated is null) break; }
        }
        if (matches == 1) { ctx.Rollback(mark); return true; }
        if (matches > 1)
        {
            ctx.Rollback(mark);
            if (ctx.Collecting) ctx.Fail(this, $"The value matches subschemas {first} and {second} of oneOf; it must match exactly one.");
        }
        else if (ctx.Collecting) ctx.Fail(this, "The value matches none of the subschemas of oneOf.", mark);
        return false;
    }
}

/// <summary>not: the subschema must fail; its annotations are always dropped.</summary>
internal sealed class NotKeyword(string absoluteLocation, SchemaNode schema) : ApplicatorKeyword("not", absoluteLocation)
{
    public override bool Evaluate(JsonElement instance, EvaluationContext ctx, EvaluatedSet? evaluated)
    {
        int mark = ctx.Mark;
        bool inner = Apply(schema, instance, ctx, "not", null);
        ctx.Rollback(mark);
        if (inner && ctx.Collecting) ctx.Fail(this, "The value must not match the schema of 'not'.");
        return !inner;
    }
}

/// <summary>if / then / else.</summary>
internal sealed class IfThenElseKeyword(string absoluteLocation, SchemaNode condition, SchemaNode? then, SchemaNode? otherwise)
    : ApplicatorKeyword("if", absoluteLocation)
{
    public override bool Evaluate(JsonElement instance, EvaluationContext ctx, EvaluatedSet? evaluated)
    {
        if (then is null && otherwise is null && evaluated is null) return true;
        int mark = ctx.Mark;
        bool holds = Apply(condition, instance, ctx, "if", evaluated);
        ctx.Rollback(mark);
        var branch = holds ? then : otherwise;
        if (branch is null) return true;
        string segment = holds ? "then" : "else";
        if (Apply(branch, instance, ctx, segment, evaluated)) return true;
        if (ctx.Collecting) ctx.FailAt(segment, AbsoluteLocation[..^2] + segment,
            holds ? "The value matches 'if' but not 'then'." : "The value does not match 'if' nor 'else'.", mark);
        return false;
    }
}
