using System.Text;
using System.Text.Json;

namespace Millrace.Schema.Compatibility;

/// <summary>
/// Asks the real validator whether a subschema of a document accepts a concrete value (used for the values of a
/// writer's <c>enum</c>/<c>const</c>, which makes that part of the check exact). Compiled validators are cached per
/// pointer. Formats are asserted, as the hub validates events with formats asserted.
/// </summary>
internal sealed class ValueProbe
{
    private const string SyntheticUri = "urn:millrace:compatibility:schema";
    private readonly SchemaDocument _document;
    private readonly Dictionary<string, JsonSchemaValidator?> _validators = new(StringComparer.Ordinal);
    private DictionarySchemaResolver? _resolver;

    public ValueProbe(SchemaDocument document) => _document = document;

    /// <summary>The validator's verdict and, when rejected, its first message; null when the subschema cannot be compiled.</summary>
    public (bool Accepted, string? Why)? Evaluate(string pointer, JsonElement value)
    {
        if (TrySimple(pointer, value) is { } simple) return simple;
        var validator = Get(pointer);
        if (validator is null) return null;
        if (validator.IsValid(value)) return (true, null);
        var errors = validator.Validate(value).Errors;
        return (false, errors.Count == 0 ? null : errors[^1].Message);
    }

    // Fast path for the common leaf {"type":..., "enum"|"const": ...} (plus annotations): decided here without
    // compiling a validator, which is what makes a 50-property comparison cheap.
    private (bool, string?)? TrySimple(string pointer, JsonElement value)
    {
        var tokens = Internal.JsonPointer.Parse(pointer);
        if (tokens is null || !Internal.JsonPointer.TryNavigate(_document.Root, tokens, out var node) || node.ValueKind != JsonValueKind.Object) return null;
        JsonElement? list = null, constant = null;
        var types = JsonTypes.All;
        foreach (var p in node.EnumerateObject())
        {
            switch (p.Name)
            {
                case "enum" when p.Value.ValueKind == JsonValueKind.Array: list = p.Value; break;
                case "const": constant = p.Value; break;
                case "type": types = JsonTypeNames.Parse(p.Value); break;
                case "title" or "description" or "default" or "examples" or "$comment" or "deprecated": break;
                default: return null;
            }
        }
        var kind = JsonTypeNames.OfValue(value);
        if ((kind & types) == 0) return (false, $"{JsonTypeNames.Describe(kind)} is not {JsonTypeNames.Describe(types)}");
        if (constant is { } c && !Internal.JsonValueEquality.Equal(c, value)) return (false, $"value must be {c.GetRawText()}");
        if (list is { } l && !l.EnumerateArray().Any(v => Internal.JsonValueEquality.Equal(v, value)))
            return (false, "value is not one of the enumerated values");
        return (true, null);
    }

    private JsonSchemaValidator? Get(string pointer)
    {
        if (_validators.TryGetValue(pointer, out var cached)) return cached;
        JsonSchemaValidator? validator;
        try
        {
            string uri = _document.Id is { } id && Uri.TryCreate(id, UriKind.Absolute, out _) ? id : SyntheticUri;
            _resolver ??= new DictionarySchemaResolver([new(uri, _document.Root)]);
            string wrapper = "{\"$ref\":" + JsonSerializer.Serialize(uri + "#" + EncodeFragment(pointer)) + "}";
            validator = JsonSchema.Compile(wrapper, new JsonSchemaOptions { Resolver = _resolver, AssertFormats = true });
        }
        catch (JsonSchemaException)
        {
            validator = null;
        }
        _validators[pointer] = validator;
        return validator;
    }

    private static string EncodeFragment(string pointer)
    {
        if (pointer.Length == 0) return "";
        var sb = new StringBuilder(pointer.Length + 8);
        foreach (var token in pointer[1..].Split('/')) sb.Append('/').Append(Uri.EscapeDataString(token));
        return sb.ToString();
    }
}
