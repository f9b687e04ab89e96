namespace Millrace.Schema;

/// <summary>
/// Thrown when a schema cannot be compiled (or, rarely, evaluated): names the keyword, where it is and why.
/// </summary>
public sealed class JsonSchemaException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="keyword">The offending keyword, or null when the problem is not tied to one keyword.</param>
    /// <param name="schemaLocation">Absolute location (URI with JSON pointer fragment) of the schema object.</param>
    /// <param name="reason">Why the schema is rejected.</param>
    public JsonSchemaException(string? keyword, string schemaLocation, string reason)
        : base(keyword is null ? $"Invalid schema at '{schemaLocation}': {reason}"
                               : $"Invalid schema keyword '{keyword}' at '{schemaLocation}': {reason}")
    {
        Keyword = keyword;
        SchemaLocation = schemaLocation;
        Reason = reason;
    }

    /// <summary>The offending keyword, when there is one.</summary>
    public string? Keyword { get; }

    /// <summary>Absolute location of the schema object that holds the problem.</summary>
    public string SchemaLocation { get; }

    /// <summary>Why the schema was rejected.</summary>
    public string Reason { get; }
}
