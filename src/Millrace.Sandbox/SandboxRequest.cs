using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Millrace.Sandbox;

/// <summary>A request the sandbox refuses: answered as RFC 9457 problem details with this status.</summary>
internal sealed class SandboxRefusal(int status, string title, string detail) : Exception(detail)
{
    public int Status { get; } = status;
    public string Title { get; } = title;
}

/// <summary>An answer of a sandbox operation: status and JSON body.</summary>
internal sealed record SandboxAnswer(int Status, JsonObject Body)
{
    public static SandboxAnswer Ok(JsonObject body) => new(200, body);
    public static SandboxAnswer Created(JsonObject body) => new(201, body);
}

/// <summary>The input of one operation (a JSON object) with readers that refuse missing or mistyped members (400).</summary>
internal sealed class SandboxRequest(JsonObject input, string? idempotencyKey)
{
    public JsonObject Input { get; } = input;

    /// <summary>The <c>Idempotency-Key</c> header, if sent.</summary>
    public string? Key { get; } = idempotencyKey;

    public string Text(string name) => OptionalText(name) ?? throw Missing(name);

    public string? OptionalText(string name)
    {
        if (!Input.TryGetPropertyValue(name, out var node) || node is null) return null;
        if (node is JsonValue v && v.TryGetValue(out string? s) && s.Length > 0) return s;
        if (node is JsonValue n && n.GetValueKind() == JsonValueKind.Number) return n.ToJsonString();
        throw new SandboxRefusal(400, "Invalid input", $"'{name}' must be a non-empty string");
    }

    public double Number(string name) => OptionalNumber(name) ?? throw Missing(name);

    public double? OptionalNumber(string name)
    {
        if (!Input.TryGetPropertyValue(name, out var node) || node is null) return null;
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number) return v.GetValue<double>();
        if (node is JsonValue s && s.TryGetValue(out string? text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) return d;
        throw new SandboxRefusal(400, "Invalid input", $"'{name}' must be a number");
    }

    public bool? OptionalBoolean(string name)
    {
        if (!Input.TryGetPropertyValue(name, out var node) || node is null) return null;
        if (node is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False) return v.GetValue<bool>();
        throw new SandboxRefusal(400, "Invalid input", $"'{name}' must be true or false");
    }

    public JsonArray Array(string name)
        => Input.TryGetPropertyValue(name, out var node) && node is JsonArray a ? a : throw Missing(name, "a list");

    public JsonNode? Raw(string name) => Input.TryGetPropertyValue(name, out var node) ? node?.DeepClone() : null;

    private static SandboxRefusal Missing(string name, string what = "a value") => new(400, "Invalid input", $"'{name}' is required ({what})");

    public static SandboxRefusal NotFound(string what, string id) => new(404, "Not found", $"{what} '{id}' does not exist");

    public static SandboxRefusal Unprocessable(string detail) => new(422, "Unprocessable", detail);
}
