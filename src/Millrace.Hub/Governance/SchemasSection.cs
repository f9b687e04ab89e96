using System.Text.Json;
using Millrace.Core.Config;
using Millrace.Schema.Compatibility;

namespace Millrace.Hub.Governance;

/// <summary>
/// <c>schemas:</c> — the event catalogue: the subjects to register, each with <c>subject</c>, <c>compatibility</c>
/// (default BACKWARD), <c>file</c> (a JSON Schema file, relative to the YAML file), <c>owner</c>, <c>domain</c>
/// (production, inventory, maintenance, quality, logistics), <c>lifecycle</c> (draft, active, deprecated, retired;
/// default active), <c>sunset</c> (a date, required when deprecated), <c>replaced-by</c>, <c>producers</c>,
/// <c>consumers</c> and <c>description</c>. Every file is read and checked now (exists, is JSON, is a valid draft
/// 2020-12 schema, its <c>$id</c> if a registry URI names this subject), so a broken schema is reported as
/// <c>file:line:col</c> before anything runs. Publishes <see cref="ConfigCatalog{SchemaDefinition}"/>.
/// </summary>
public sealed class SchemasSection : ConfigSection
{
    /// <summary>Schema files larger than this are refused.</summary>
    public const long MaxSchemaBytes = 4 * 1024 * 1024;

    private readonly List<SchemaDefinition> _definitions = [];
    private readonly List<(ConfigScalar Node, string Subject)> _replacements = [];

    /// <inheritdoc />
    public override string Key => "schemas";

    /// <inheritdoc />
    public override void Read(ConfigNode value, ConfigContext context)
    {
        foreach (var item in context.ReadList(value, "schemas"))
            if (ReadEntry(item, context) is { } definition) _definitions.Add(definition);
    }

    /// <inheritdoc />
    public override void Resolve(ConfigContext context)
    {
        foreach (var (node, subject) in _replacements)
        {
            if (node.Value == subject) context.Error(node, $"schema '{subject}' cannot be replaced by itself");
            else if (!context.TryGetDeclaration("schema subject", node.Value, out _))
                context.UnknownReference(node, "schema subject", node.Value, context.Declared("schema subject"));
        }
        context.Set(new ConfigCatalog<SchemaDefinition>(_definitions, d => d.Subject));
    }

    private SchemaDefinition? ReadEntry(ConfigNode node, ConfigContext context)
    {
        var m = context.ReadMapping(node, "schema");
        if (m is null) return null;
        var subject = m.Text("subject", required: true);
        if (subject is not null) m.What = $"schema '{subject.Value}'";
        var modeNode = m.Text("compatibility");
        var file = m.Text("file", required: true);
        var owner = m.String("owner");
        var domain = m.Text("domain");
        var lifecycleNode = m.Text("lifecycle");
        var sunsetNode = m.Text("sunset");
        var replacedBy = m.Text("replaced-by");
        var producers = m.TextList("producers");
        var consumers = m.TextList("consumers");
        var description = m.String("description");
        m.Complete();
        var catalogue = CatalogueFields.Read(m, context, domain, lifecycleNode, sunsetNode, replacedBy, producers, consumers);

        bool ok = subject is not null && file is not null;
        if (subject is not null && !SchemaRegistry.IsValidSubject(subject.Value, out var why))
        {
            context.Error(subject, why);
            ok = false;
        }
        var mode = CompatibilityMode.Backward;
        if (modeNode is not null && !CompatibilityModes.TryParse(modeNode.Value, out mode))
        {
            var suggestion = Closest(modeNode.Value.Trim().Replace('-', '_').ToUpperInvariant(), CompatibilityModes.Names);
            context.Error(modeNode, $"unknown compatibility mode '{modeNode.Value}' (known: {string.Join(", ", CompatibilityModes.Names)})"
                                    + (suggestion is null ? "" : $"; did you mean '{suggestion}'?"));
            ok = false;
        }
        if (file is null) return null;
        var schema = ReadSchemaFile(file, subject?.Value, context, out var path);
        if (!ok || schema is null || path is null) return null;
        if (!context.Declare("schema subject", subject!.Value, subject.Location, "schema subject")) return null;
        if (catalogue is null) return null;
        if (replacedBy is not null) _replacements.Add((replacedBy, subject.Value));
        return new SchemaDefinition(subject.Value, mode, path, schema.Value, owner, domain?.Value, m.Location)
        {
            Lifecycle = catalogue.Value.Lifecycle,
            Sunset = catalogue.Value.Sunset,
            ReplacedBy = replacedBy?.Value,
            Producers = producers.Select(p => p.Value).ToList(),
            Consumers = consumers.Select(c => c.Value).ToList(),
            Description = description ?? (schema.Value.ValueKind == JsonValueKind.Object
                && schema.Value.TryGetProperty("description", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null),
        };
    }

    private static JsonElement? ReadSchemaFile(ConfigScalar file, string? subject, ConfigContext context, out string? path)
    {
        path = null;
        if (context.Directory is null)
        {
            context.Error(file, "schema files can only be read from a configuration directory");
            return null;
        }
        string yamlFolder = Path.GetDirectoryName(Path.Combine(context.Directory, file.Location.File)) ?? context.Directory;
        string full;
        try
        {
            full = Path.GetFullPath(Path.Combine(yamlFolder, file.Value));
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            context.Error(file, $"invalid schema file path '{file.Value}': {ex.Message}");
            return null;
        }
        if (!File.Exists(full))
        {
            context.Error(file, Directory.Exists(full) ? $"'{file.Value}' is a folder; name a .json schema file" : $"schema file '{file.Value}' does not exist");
            return null;
        }
        string text;
        try
        {
            if (new FileInfo(full).Length > MaxSchemaBytes)
            {
                context.Error(file, $"schema file '{file.Value}' is larger than {MaxSchemaBytes / (1024 * 1024)} MiB");
                return null;
            }
            text = File.ReadAllText(full);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            context.Error(file, $"cannot read schema file '{file.Value}': {ex.Message}");
            return null;
        }
        var problems = SchemaText.Check(text, out var schema);
        if (problems.Count == 0 && subject is not null && schema.ValueKind == JsonValueKind.Object
            && schema.TryGetProperty("$id", out var id) && id.ValueKind == JsonValueKind.String
            && id.GetString()!.StartsWith(SchemaRegistry.UriBase, StringComparison.Ordinal)
            && !id.GetString()!.StartsWith(SchemaRegistry.UriBase + subject + "/", StringComparison.Ordinal))
            problems = [new RegistryProblem("/$id", $"$id '{id.GetString()}' names another subject; expected '{SchemaRegistry.UriBase}{subject}/<version>'")];
        foreach (var p in problems.Take(10))
            context.Error(file, $"{file.Value}{(p.Pointer.Length == 0 ? "" : " at " + p.Pointer)}: {p.Detail}");
        if (problems.Count > 10) context.Error(file, $"{file.Value}: and {problems.Count - 10} more problems");
        if (problems.Count > 0) return null;
        path = full;
        return schema;
    }

    internal static string? Closest(string text, IReadOnlyList<string> known)
    {
        string? best = null;
        int bestDistance = 4; // more edits than this is not a typo
        foreach (var k in known)
        {
            int d = Distance(text, k);
            if (d < bestDistance) (best, bestDistance) = (k, d);
        }
        return best;
    }

    private static int Distance(string a, string b)
    {
        var row = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) row[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            int diagonal = row[0];
            row[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int above = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                diagonal = above;
            }
        }
        return row[b.Length];
    }
}
