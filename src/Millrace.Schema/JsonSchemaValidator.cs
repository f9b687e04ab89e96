using System.Text.Json;
using Millrace.Schema.Internal;

namespace Millrace.Schema;

/// <summary>
/// A compiled schema. Immutable and thread-safe: compile once, validate from any number of threads.
/// </summary>
public sealed class JsonSchemaValidator
{
    private readonly SchemaNode _root;
    private readonly bool _reportAbsolute;
    private readonly bool _tracksScope;

    internal JsonSchemaValidator(SchemaNode root, bool reportAbsolute, bool tracksScope)
    {
        _root = root;
        _reportAbsolute = reportAbsolute;
        _tracksScope = tracksScope;
    }

    /// <summary>Absolute URI of the root schema (its <c>$id</c>, or the default base URI).</summary>
    public string SchemaUri => _root.Resource.BaseUri;

    /// <summary>
    /// Fast path: true when the instance is valid. Stops at the first failure and, for the common keywords,
    /// allocates nothing.
    /// </summary>
    public bool IsValid(JsonElement instance)
    {
        CheckDefined(instance);
        var ctx = EvaluationContext.Rent(collecting: false, _reportAbsolute, _tracksScope);
        try { return _root.Evaluate(instance, ctx, null); }
        finally { EvaluationContext.Return(ctx); }
    }

    /// <summary>Full path: validates and reports every failed keyword in the "basic" output format.</summary>
    public ValidationResult Validate(JsonElement instance)
    {
        CheckDefined(instance);
        var ctx = EvaluationContext.Rent(collecting: true, _reportAbsolute, _tracksScope);
        try
        {
            bool valid = _root.Evaluate(instance, ctx, null);
            return ValidationResult.From(valid, ctx.Errors);
        }
        finally { EvaluationContext.Return(ctx); }
    }

    /// <summary>Parses JSON text and validates it (full path).</summary>
    /// <exception cref="JsonException">The text is not JSON.</exception>
    public ValidationResult Validate(string instanceJson)
    {
        using var doc = JsonDocument.Parse(instanceJson);
        return Validate(doc.RootElement);
    }

    private static void CheckDefined(JsonElement instance)
    {
        if (instance.ValueKind == JsonValueKind.Undefined)
            throw new ArgumentException("The instance is an undefined (default) JsonElement.", nameof(instance));
    }
}
