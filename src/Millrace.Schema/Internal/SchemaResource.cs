namespace Millrace.Schema.Internal;

/// <summary>A schema resource (a subschema with its own base URI): the unit of the dynamic scope.</summary>
internal sealed class SchemaResource(string baseUri, Dialect dialect)
{
    public string BaseUri { get; } = baseUri;

    public Dialect Dialect { get; } = dialect;

    /// <summary>Compiled targets of the resource's <c>$dynamicAnchor</c>s, filled before validation starts.</summary>
    public Dictionary<string, SchemaNode> DynamicAnchors { get; } = new(StringComparer.Ordinal);
}

/// <summary>The active vocabularies of a resource, as declared by its metaschema's <c>$vocabulary</c>.</summary>
internal sealed record Dialect(bool HasApplicator, bool HasUnevaluated, bool HasValidation, bool AssertsFormat)
{
    public const string Core = "https://json-schema.org/draft/2020-12/vocab/core";
    public const string Applicator = "https://json-schema.org/draft/2020-12/vocab/applicator";
    public const string Unevaluated = "https://json-schema.org/draft/2020-12/vocab/unevaluated";
    public const string Validation = "https://json-schema.org/draft/2020-12/vocab/validation";
    public const string MetaData = "https://json-schema.org/draft/2020-12/vocab/meta-data";
    public const string FormatAnnotation = "https://json-schema.org/draft/2020-12/vocab/format-annotation";
    public const string FormatAssertion = "https://json-schema.org/draft/2020-12/vocab/format-assertion";
    public const string Content = "https://json-schema.org/draft/2020-12/vocab/content";

    public static readonly HashSet<string> Known =
        [Core, Applicator, Unevaluated, Validation, MetaData, FormatAnnotation, FormatAssertion, Content];

    /// <summary>The standard 2020-12 dialect: everything but format assertion.</summary>
    public static readonly Dialect Default = new(true, true, true, false);
}
