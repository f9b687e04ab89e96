using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Millrace.Hub.Connectors.Tryton;

/// <summary>Tryton's JSON encodings, read and written (Many2One ids, 0/1 booleans from SQLite, Decimal objects, like patterns).</summary>
internal static class TrytonValues
{
    /// <summary>A Many2One value: the id, or 0 when empty.</summary>
    public static int Id(JsonElement record, string field)
        => record.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : 0;

    /// <summary>The ids of a One2Many / Many2Many value.</summary>
    public static int[] Ids(JsonElement record, string field)
        => record.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.Array
            ? v.EnumerateArray().Select(e => e.GetInt32()).ToArray() : [];

    public static string? Str(JsonElement record, string field)
        => record.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>A Float or Numeric value (Numeric comes as <c>{"__class__":"Decimal","decimal":"…"}</c>).</summary>
    public static double Number(JsonElement record, string field)
    {
        if (!record.TryGetProperty(field, out var v))
            return 0;
        return v.ValueKind switch
        {
            JsonValueKind.Number => v.GetDouble(),
            JsonValueKind.Object when v.TryGetProperty("decimal", out var d) => double.Parse(d.GetString()!, CultureInfo.InvariantCulture),
            _ => 0,
        };
    }

    /// <summary>A Boolean (SQLite answers 0/1, PostgreSQL true/false).</summary>
    public static bool Bool(JsonElement record, string field)
        => record.TryGetProperty(field, out var v) && (v.ValueKind == JsonValueKind.True || (v.ValueKind == JsonValueKind.Number && v.GetInt32() != 0));

    public static JsonObject Decimal(double value)
        => new() { ["__class__"] = "Decimal", ["decimal"] = value.ToString("0.############", CultureInfo.InvariantCulture) };

    public static JsonObject Decimal(JsonElement record, string field)
        => record.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.Object ? (JsonObject)JsonNode.Parse(v.GetRawText())! : Decimal(0);

    /// <summary>A domain clause <c>[field, operator, value]</c>.</summary>
    public static JsonArray Clause(string field, string op, JsonNode? value) => new(field, op, value);

    /// <summary>Fields to read.</summary>
    public static JsonArray Fields(params string[] names) => new(names.Select(n => (JsonNode?)n).ToArray());

    /// <summary>
    /// The canonical unit for a Tryton unit-of-measure symbol and back: Tryton's unit is <c>u</c>, the hub's <c>ea</c>
    /// (samples also say <c>count</c>); others are the same symbol.
    /// </summary>
    public static string CanonicalUnit(string trytonSymbol) => trytonSymbol == "u" ? "ea" : trytonSymbol;

    public static string TrytonUnit(string canonical)
        => canonical is "ea" or "count" or "pcs" or "unit" or "u" ? "u" : canonical;

    public static double Round(double value, int digits) => Math.Round(value, Math.Clamp(digits, 0, 12), MidpointRounding.AwayFromZero);
}
