using System.Text;
using System.Text.Json;

namespace Millrace.Schema;

/// <summary>
/// Result of a full validation in the specification's "basic" output format: a validity flag and a flat list of
/// errors, serialisable as <c>{"valid": false, "errors": [...]}</c>.
/// </summary>
public sealed class ValidationResult
{
    private static readonly ValidationResult ValidResult = new(true, []);

    private ValidationResult(bool isValid, IReadOnlyList<ValidationError> errors)
    {
        IsValid = isValid;
        Errors = errors;
    }

    internal static ValidationResult From(bool valid, List<ValidationError> errors) =>
        valid ? ValidResult : new ValidationResult(false, errors.ToArray());

    /// <summary>True when the instance is valid.</summary>
    public bool IsValid { get; }

    /// <summary>The output units of the failed keywords (empty when valid).</summary>
    public IReadOnlyList<ValidationError> Errors { get; }

    /// <summary>Writes the "basic" output format.</summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteBoolean("valid", IsValid);
        if (!IsValid)
        {
            writer.WriteStartArray("errors");
            foreach (var e in Errors)
            {
                writer.WriteStartObject();
                writer.WriteString("keywordLocation", e.KeywordLocation);
                if (e.AbsoluteKeywordLocation is not null)
                    writer.WriteString("absoluteKeywordLocation", e.AbsoluteKeywordLocation);
                writer.WriteString("instanceLocation", e.InstanceLocation);
                writer.WriteString("error", e.Message);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }
        writer.WriteEndObject();
    }

    /// <summary>The "basic" output format as JSON text.</summary>
    public string ToJson(bool indented = false)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = indented }))
            WriteTo(writer);
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
