using System.Text.Json;

namespace Millrace.Hub.Governance;

/// <summary>An event type with the schema its messages carry (the registry's latest version, else the configured file).</summary>
/// <param name="Type">The catalogue entry.</param>
/// <param name="Version">The registered version; null when the schema comes from the configuration only.</param>
/// <param name="Schema">The JSON Schema (draft 2020-12) of the CloudEvent <c>data</c>.</param>
public sealed record CatalogMessage(EventType Type, int? Version, JsonElement Schema)
{
    /// <summary>
    /// The catalogue as published: every configured type with its latest registered schema, plus subjects that
    /// were registered over HTTP without being declared (active, no owner), by domain then subject.
    /// </summary>
    public static IReadOnlyList<CatalogMessage> Collect(IEnumerable<SchemaDefinition> definitions, SchemaRegistry? registry)
    {
        var result = new List<CatalogMessage>();
        var declared = new HashSet<string>(StringComparer.Ordinal);
        foreach (var d in definitions)
        {
            if (!declared.Add(d.Subject)) continue;
            var latest = registry?.GetLatest(d.Subject);
            result.Add(new CatalogMessage(EventType.From(d), latest?.Version, latest?.Schema ?? d.Schema));
        }
        foreach (var subject in registry?.ListSubjects() ?? [])
        {
            if (declared.Contains(subject.Name) || registry!.GetLatest(subject.Name) is not { } latest) continue;
            var type = new EventType(subject.Name, subject.Owner, subject.Domain, EventLifecycle.Active, null, null, [], [],
                Description(latest.Schema), subject.Mode, Declared: false);
            result.Add(new CatalogMessage(type, latest.Version, latest.Schema));
        }
        return result.OrderBy(m => m.Type.Domain ?? "~", StringComparer.Ordinal).ThenBy(m => m.Type.Subject, StringComparer.Ordinal).ToList();
    }

    private static string? Description(JsonElement schema) =>
        schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("description", out var d) && d.ValueKind == JsonValueKind.String
            ? d.GetString() : null;
}
