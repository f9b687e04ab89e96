using System.Text.Json;

namespace Millrace.Schema.Compatibility;

/// <summary>The JSON types a schema admits, as flags. <c>number</c> is <see cref="Fraction"/> plus <see cref="Integer"/>.</summary>
[Flags]
internal enum JsonTypes
{
    None = 0,
    Null = 1,
    Boolean = 2,
    Object = 4,
    Array = 8,
    String = 16,
    /// <summary>Numbers that are not integers.</summary>
    Fraction = 32,
    Integer = 64,
    Number = Fraction | Integer,
    All = Null | Boolean | Object | Array | String | Number,
}

internal static class JsonTypeNames
{
    /// <summary>The types named by a <c>type</c> keyword value; <see cref="JsonTypes.All"/> when it is malformed.</summary>
    public static JsonTypes Parse(JsonElement type)
    {
        if (type.ValueKind == JsonValueKind.String) return Of(type.GetString());
        if (type.ValueKind != JsonValueKind.Array) return JsonTypes.All;
        var result = JsonTypes.None;
        foreach (var t in type.EnumerateArray())
            result |= t.ValueKind == JsonValueKind.String ? Of(t.GetString()) : JsonTypes.All;
        return result;
    }

    private static JsonTypes Of(string? name) => name switch
    {
        "null" => JsonTypes.Null,
        "boolean" => JsonTypes.Boolean,
        "object" => JsonTypes.Object,
        "array" => JsonTypes.Array,
        "string" => JsonTypes.String,
        "number" => JsonTypes.Number,
        "integer" => JsonTypes.Integer,
        _ => JsonTypes.All,
    };

    /// <summary>The type of one JSON value (integers are <see cref="JsonTypes.Integer"/>).</summary>
    public static JsonTypes OfValue(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null => JsonTypes.Null,
        JsonValueKind.True or JsonValueKind.False => JsonTypes.Boolean,
        JsonValueKind.Object => JsonTypes.Object,
        JsonValueKind.Array => JsonTypes.Array,
        JsonValueKind.String => JsonTypes.String,
        JsonValueKind.Number => value.TryGetDecimal(out var d) && decimal.Truncate(d) == d ? JsonTypes.Integer : JsonTypes.Fraction,
        _ => JsonTypes.None,
    };

    /// <summary>Readable list: "string or null"; integer and fraction together read "number".</summary>
    public static string Describe(JsonTypes types)
    {
        var names = new List<string>();
        if (types.HasFlag(JsonTypes.Null)) names.Add("null");
        if (types.HasFlag(JsonTypes.Boolean)) names.Add("boolean");
        if (types.HasFlag(JsonTypes.Object)) names.Add("object");
        if (types.HasFlag(JsonTypes.Array)) names.Add("array");
        if (types.HasFlag(JsonTypes.String)) names.Add("string");
        if ((types & JsonTypes.Number) == JsonTypes.Number) names.Add("number");
        else if (types.HasFlag(JsonTypes.Integer)) names.Add("integer");
        else if (types.HasFlag(JsonTypes.Fraction)) names.Add("non-integer number");
        return names.Count == 0 ? "nothing" : string.Join(" or ", names);
    }
}
