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
        var validator = Get(pointer);
        if (validator is null) return null;
        if (validator.IsValid(value)) return (true, null);
        var errors = validator.Validate(value).Errors;
        return (false, errors.Count == 0 ? null : errors[^1].Message);
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
