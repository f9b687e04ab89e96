namespace Millrace.Schema;

/// <summary>Compile-time options of a schema.</summary>
public sealed class JsonSchemaOptions
{
    /// <summary>Shared default options: no external documents, formats as annotations only.</summary>
    public static JsonSchemaOptions Default { get; } = new();

    /// <summary>
    /// Resolver for external documents referenced by <c>$ref</c>, <c>$dynamicRef</c> or <c>$schema</c>.
    /// The draft 2020-12 metaschemas are always available without it; nothing is ever fetched from the network.
    /// </summary>
    public ISchemaResolver? Resolver { get; init; }

    /// <summary>
    /// When true, <c>format</c> is an assertion for the formats this library knows (date-time, date, time,
    /// duration, uuid, uri, uri-reference, email, ipv4, ipv6, hostname). When false (default, as draft 2020-12
    /// specifies) it asserts only if the schema's metaschema lists the format-assertion vocabulary.
    /// </summary>
    public bool AssertFormats { get; init; }

    /// <summary>Base URI for a root schema that has no <c>$id</c>.</summary>
    public string DefaultBaseUri { get; init; } = "https://millrace.invalid/schema";
}
