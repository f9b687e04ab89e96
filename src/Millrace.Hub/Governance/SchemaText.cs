using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Millrace.Schema;

namespace Millrace.Hub.Governance;

/// <summary>
/// Reading, checking and fingerprinting submitted schema text: JSON syntax, the draft 2020-12 metaschema (every
/// violation by pointer) and compilation by the validator; and a canonical form so that member order and whitespace
/// do not make two identical schemas look different.
/// </summary>
public static class SchemaText
{
    private static readonly Lazy<JsonSchemaValidator> Metaschema = new(() =>
        JsonSchema.Compile("""{"$ref":"https://json-schema.org/draft/2020-12/schema"}"""));

    /// <summary>Parses and checks a schema; returns the problems (empty when valid) and the detached element.</summary>
    public static IReadOnlyList<RegistryProblem> Check(string text, out JsonElement schema, ISchemaResolver? resolver = null)
    {
        var problems = Parse(text, out schema);
        return problems.Count > 0 ? problems : Check(schema, resolver);
    }

    /// <summary>Parses schema text (syntax only).</summary>
    public static IReadOnlyList<RegistryProblem> Parse(string text, out JsonElement schema)
    {
        schema = default;
        try
        {
            using var doc = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 256 });
            schema = doc.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            return [new RegistryProblem("", $"not valid JSON: {ex.Message}")];
        }
        return [];
    }

    /// <summary>Checks a parsed schema against the 2020-12 metaschema and compiles it.</summary>
    public static IReadOnlyList<RegistryProblem> Check(JsonElement schema, ISchemaResolver? resolver = null)
    {
        if (schema.ValueKind is not (JsonValueKind.Object or JsonValueKind.True or JsonValueKind.False))
            return [new RegistryProblem("", $"a JSON Schema is an object or a boolean, not {Describe(schema.ValueKind)}")];
        var result = Metaschema.Value.Validate(schema);
        if (!result.IsValid) return MetaschemaProblems(result);
        try
        {
            Compile(schema, resolver);
        }
        catch (JsonSchemaException ex)
        {
            int hash = ex.SchemaLocation.IndexOf('#');
            string pointer = hash < 0 ? "" : Uri.UnescapeDataString(ex.SchemaLocation[(hash + 1)..]);
            if (pointer.Length > 0 && pointer[0] != '/') pointer = "";
            if (ex.Keyword is not null) pointer += "/" + ex.Keyword;
            return [new RegistryProblem(pointer, ex.Reason)];
        }
        return [];
    }

    // The basic output lists every applicator on the way ($ref, allOf, anyOf ...). Keep what names the mistake: the
    // deepest instance locations, with the first non-applicator message at each.
    private static IReadOnlyList<RegistryProblem> MetaschemaProblems(ValidationResult result)
    {
        var errors = result.Errors;
        var deepest = errors.Select(e => e.InstanceLocation).Distinct()
            .Where(l => !errors.Any(o => o.InstanceLocation.Length > l.Length && o.InstanceLocation.StartsWith(l + "/", StringComparison.Ordinal)))
            .ToList();
        var problems = new List<RegistryProblem>();
        foreach (var location in deepest)
        {
            var at = errors.Where(e => e.InstanceLocation == location).ToList();
            var leaf = at.FirstOrDefault(e => !IsApplicator(e.KeywordLocation)) ?? at[^1];
            problems.Add(new RegistryProblem(location, $"not a valid draft 2020-12 schema: {leaf.Message}"));
        }
        return problems.Count > 0 ? problems : [new RegistryProblem("", "not a valid draft 2020-12 schema")];
    }

    private static bool IsApplicator(string keywordLocation) =>
        keywordLocation[(keywordLocation.LastIndexOf('/') + 1)..] is "$ref" or "$dynamicRef" or "allOf" or "anyOf" or "oneOf" or "not"
            or "properties" or "additionalProperties" or "patternProperties" or "items" or "prefixItems" or "$defs" or "dependentSchemas";

    /// <summary>Compiles a schema the way the hub validates events: formats asserted.</summary>
    public static JsonSchemaValidator Compile(JsonElement schema, ISchemaResolver? resolver = null) =>
        JsonSchema.Compile(schema, new JsonSchemaOptions { AssertFormats = true, Resolver = resolver });

    /// <summary>The schema minified, member order kept (what is stored and served).</summary>
    public static string Minify(JsonElement schema)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream)) schema.WriteTo(writer);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>SHA-256 (hex) of the canonical form: members sorted by name, no whitespace, numbers as written.</summary>
    public static string Fingerprint(JsonElement schema)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream)) WriteCanonical(schema, writer);
        return Convert.ToHexStringLower(SHA256.HashData(stream.ToArray()));
    }

    private static void WriteCanonical(JsonElement e, Utf8JsonWriter writer)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var p in e.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(p.Name);
                    WriteCanonical(p.Value, writer);
                }
                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in e.EnumerateArray()) WriteCanonical(item, writer);
                writer.WriteEndArray();
                break;
            default:
                e.WriteTo(writer);
                break;
        }
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.Null => "null",
        _ => kind.ToString(),
    };
}
