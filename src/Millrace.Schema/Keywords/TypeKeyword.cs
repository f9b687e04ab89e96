using System.Text.Json;
using Millrace.Schema.Internal;

namespace Millrace.Schema.Keywords;

/// <summary>The JSON Schema primitive types as flags.</summary>
[Flags]
internal enum JsonTypes
{
    None = 0,
    Null = 1,
    Boolean = 2,
    Object = 4,
    Array = 8,
    Number = 16,
    String = 32,
    Integer = 64,
}

/// <summary><c>type</c>: one type name or a set of them; "integer" accepts any number with an integral value.</summary>
internal sealed class TypeKeyword(string absoluteLocation, JsonTypes allowed, string display) : Keyword("type", absoluteLocation)
{
    /// <summary>The accepted types.</summary>
    public JsonTypes Allowed => allowed;

    public override bool Evaluate(JsonElement instance, EvaluationContext ctx, EvaluatedSet? evaluated)
    {
        bool valid = instance.ValueKind switch
        {
            JsonValueKind.Object => (allowed & JsonTypes.Object) != 0,
            JsonValueKind.Array => (allowed & JsonTypes.Array) != 0,
            JsonValueKind.String => (allowed & JsonTypes.String) != 0,
            JsonValueKind.True or JsonValueKind.False => (allowed & JsonTypes.Boolean) != 0,
            JsonValueKind.Null => (allowed & JsonTypes.Null) != 0,
            JsonValueKind.Number => (allowed & JsonTypes.Number) != 0
                || (allowed & JsonTypes.Integer) != 0 && JsonNumber.IsInteger(instance),
            _ => false,
        };
        if (!valid && ctx.Collecting) ctx.Fail(this, $"Value is {Describe(instance)} but should be {display}.");
        return valid;
    }

    internal static string Describe(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => JsonNumber.IsInteger(e) ? "an integer" : "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
