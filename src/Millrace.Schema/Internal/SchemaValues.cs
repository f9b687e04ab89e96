using System.Text.Json;

namespace Millrace.Schema.Internal;

/// <summary>Reads keyword values of a schema object, rejecting malformed ones with a precise message.</summary>
internal readonly struct SchemaValues(SchemaLocation location)
{
    public JsonElement Element => location.Element;

    public bool Has(string keyword, out JsonElement value) => location.Element.TryGetProperty(keyword, out value);

    public JsonSchemaException Error(string keyword, string reason) => new(keyword, location.AbsoluteUri, reason);

    public string String(string keyword, JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : throw Error(keyword, "must be a string");

    public long NonNegativeInteger(string keyword, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Number || !JsonNumber.IsInteger(value))
            throw Error(keyword, $"must be a non-negative integer, not {value.GetRawText()}");
        if (value.TryGetInt64(out long l)) return l >= 0 ? l : throw Error(keyword, "must not be negative");
        double d = value.GetDouble();
        return d < 0 ? throw Error(keyword, "must not be negative") : d >= long.MaxValue ? long.MaxValue : (long)d;
    }

    public SchemaNumber Number(string keyword, JsonElement value) =>
        value.ValueKind == JsonValueKind.Number ? new SchemaNumber(value) : throw Error(keyword, "must be a number");

    public string[] StringArray(string keyword, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array) throw Error(keyword, "must be an array of strings");
        var result = new List<string>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String) throw Error(keyword, "must contain only strings");
            var s = item.GetString()!;
            if (result.Contains(s)) throw Error(keyword, $"lists '{s}' twice");
            result.Add(s);
        }
        return result.ToArray();
    }

    public void ExpectObject(string keyword, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object) throw Error(keyword, "must be an object");
    }

    public int NonEmptyArray(string keyword, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0)
            throw Error(keyword, "must be a non-empty array of schemas");
        return value.GetArrayLength();
    }
}
