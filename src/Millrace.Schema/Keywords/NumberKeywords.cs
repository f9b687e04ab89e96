using System.Text.Json;
using Millrace.Schema.Internal;

namespace Millrace.Schema.Keywords;

/// <summary>minimum, maximum, exclusiveMinimum, exclusiveMaximum: exact comparison where the values allow it.</summary>
internal sealed class NumberBoundKeyword(string name, string absoluteLocation, SchemaNumber limit)
    : Keyword(name, absoluteLocation)
{
    // 0 minimum, 1 maximum, 2 exclusiveMinimum, 3 exclusiveMaximum: an int switch keeps the hot path cheap.
    private readonly int _kind = name switch { "minimum" => 0, "maximum" => 1, "exclusiveMinimum" => 2, _ => 3 };

    public override bool Evaluate(JsonElement instance, EvaluationContext ctx, EvaluatedSet? evaluated)
    {
        if (instance.ValueKind != JsonValueKind.Number) return true;
        int c = JsonNumber.Compare(instance, limit);
        bool valid = _kind switch
        {
            0 => c >= 0,
            1 => c <= 0,
            2 => c > 0,
            _ => c < 0,
        };
        if (!valid && ctx.Collecting) ctx.Fail(this, $"{instance.GetRawText()} is {Relation()} {limit}.");
        return valid;
    }

    private string Relation() => Name switch
    {
        "minimum" => "less than the minimum",
        "maximum" => "greater than the maximum",
        "exclusiveMinimum" => "not greater than the exclusive minimum",
        _ => "not less than the exclusive maximum",
    };
}

/// <summary>multipleOf: decimal arithmetic first (so 0.3 is a multiple of 0.1), binary floating point after.</summary>
internal sealed class MultipleOfKeyword(string absoluteLocation, SchemaNumber divisor) : Keyword("multipleOf", absoluteLocation)
{
    public override bool Evaluate(JsonElement instance, EvaluationContext ctx, EvaluatedSet? evaluated)
    {
        if (instance.ValueKind != JsonValueKind.Number) return true;
        bool valid = JsonNumber.IsMultipleOf(instance, divisor);
        if (!valid && ctx.Collecting) ctx.Fail(this, $"{instance.GetRawText()} is not a multiple of {divisor}.");
        return valid;
    }
}
