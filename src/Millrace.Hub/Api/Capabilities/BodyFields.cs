using System.Text.Json;

namespace Millrace.Hub.Api.Capabilities;

/// <summary>Reads of command fields the APIs decide on before schema validation (which reports shape errors itself).</summary>
internal static class BodyFields
{
    /// <summary>A string member, or null when absent or not a string (the schema check then names it).</summary>
    public static string? Text(JsonElement body, string name) =>
        body.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>The plant of a hierarchical id (<c>plant-01/fg-store</c>, <c>plant-01/line-1/cnc-01</c>).</summary>
    public static string? PlantOf(string? path) => path is null ? null : path.IndexOf('/') is > 0 and var slash ? path[..slash] : path;
}
