using System.Text.Json;

namespace Millrace.Schema.Tests.Specs;

/// <summary>Parses JSON text into a detached element for concise specs.</summary>
internal static class Json
{
    public static JsonElement Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.Clone();
    }
}
