using System.Text.Json;
using Millrace.Schema.Internal;

namespace Millrace.Schema;

/// <summary>Entry point: compiles a JSON Schema (draft 2020-12) into a reusable <see cref="JsonSchemaValidator"/>.</summary>
public static class JsonSchema
{
    /// <summary>Compiles a schema. The element is cloned, so its document may be disposed afterwards.</summary>
    /// <exception cref="JsonSchemaException">The schema is malformed or references something unknown.</exception>
    public static JsonSchemaValidator Compile(JsonElement schema, JsonSchemaOptions? options = null)
    {
        options ??= JsonSchemaOptions.Default;
        if (schema.ValueKind == JsonValueKind.Undefined)
            throw new JsonSchemaException(null, options.DefaultBaseUri, "the schema element is undefined (default JsonElement)");
        var root = schema.Clone();
        var registry = new SchemaRegistry(options);
        var location = registry.Load(options.DefaultBaseUri, root);
        var compiler = new SchemaCompiler(registry, options);
        var node = compiler.CompileRoot(location);
        bool hasId = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("$id", out _);
        return new JsonSchemaValidator(node, hasId, compiler.UsesDynamicScope);
    }

    /// <summary>Parses and compiles a schema given as JSON text.</summary>
    /// <exception cref="JsonSchemaException">The text is not JSON, or the schema is malformed.</exception>
    public static JsonSchemaValidator Compile(string schemaJson, JsonSchemaOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(schemaJson);
        JsonDocument doc;
        try { doc = JsonDocument.Parse(schemaJson); }
        catch (JsonException e)
        {
            throw new JsonSchemaException(null, (options ?? JsonSchemaOptions.Default).DefaultBaseUri,
                $"the schema is not valid JSON: {e.Message}");
        }
        using (doc) return Compile(doc.RootElement, options);
    }
}
