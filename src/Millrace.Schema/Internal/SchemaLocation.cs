using System.Text.Json;

namespace Millrace.Schema.Internal;

/// <summary>A loaded schema document (the unit a resolver returns).</summary>
internal sealed class SchemaDocument(int id, string uri, JsonElement root)
{
    public int Id { get; } = id;

    public string Uri { get; } = uri;

    public JsonElement Root { get; } = root;
}

/// <summary>Where a subschema sits: its document, pointer from the document root, and its resource.</summary>
/// <param name="Document">The document holding the subschema.</param>
/// <param name="Pointer">Escaped JSON pointer from the document root.</param>
/// <param name="Element">The subschema itself.</param>
/// <param name="BaseUri">Base URI of the nearest enclosing resource (the subschema's own <c>$id</c> included).</param>
/// <param name="ResourcePointer">Escaped pointer of that resource's root within the document.</param>
/// <param name="Dialect">Active vocabularies.</param>
internal sealed record SchemaLocation(
    SchemaDocument Document, string Pointer, JsonElement Element, string BaseUri, string ResourcePointer, Dialect Dialect)
{
    /// <summary>Key identifying the JSON value regardless of how it was reached.</summary>
    public string Key => Document.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) + ":" + Pointer;

    /// <summary>Absolute URI of the subschema: base URI with the pointer relative to the resource root.</summary>
    public string AbsoluteUri => BaseUri + "#" + Pointer[ResourcePointer.Length..];
}
