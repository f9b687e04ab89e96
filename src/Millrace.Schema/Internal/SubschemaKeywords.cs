namespace Millrace.Schema.Internal;

/// <summary>Where draft 2020-12 keywords hold subschemas; used to index identifiers and to walk documents.</summary>
internal static class SubschemaKeywords
{
    /// <summary>Keywords whose value is one subschema.</summary>
    public static readonly string[] Single =
    [
        "additionalProperties", "items", "contains", "propertyNames", "if", "then", "else", "not",
        "unevaluatedItems", "unevaluatedProperties", "contentSchema",
    ];

    /// <summary>Keywords whose value is an object of subschemas.</summary>
    public static readonly string[] Map = ["properties", "patternProperties", "$defs", "dependentSchemas", "definitions"];

    /// <summary>Keywords whose value is an array of subschemas.</summary>
    public static readonly string[] List = ["prefixItems", "allOf", "anyOf", "oneOf"];
}
