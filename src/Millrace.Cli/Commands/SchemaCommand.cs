using System.CommandLine;
using System.Text;
using System.Text.Json;
using Millrace.Hub.Governance;
using Millrace.Schema;
using Millrace.Schema.Compatibility;

namespace Millrace.Cli.Commands;

/// <summary>
/// <c>millrace schema validate|check|register</c>. <c>validate</c> prints the basic output and exits 0 when valid,
/// 1 when invalid. <c>check</c> and <c>register</c> work against a running hub (<c>--url</c>) or the registry file of
/// a data folder (<c>--data</c>, default <c>.millrace</c>); they exit 0 when compatible/registered, 1 when refused
/// (every problem printed as <c>pointer: reason</c>). Usage errors and unreadable files exit 2.
/// </summary>
internal static class SchemaCommand
{
    private const int Refused = 1;
    private const int UsageError = 2;

    public static Command Create() => new("schema", "Validate instances and govern schemas in the registry.")
    {
        CreateValidate(),
        CreateCheck(),
        CreateRegister(),
    };

    private static Command CreateValidate()
    {
        var schema = new Argument<string>("schema.json") { Description = "The JSON Schema (draft 2020-12)." };
        var instance = new Argument<string>("instance.json") { Description = "The JSON instance to validate." };
        var command = new Command("validate", "Validate a JSON instance against a schema; prints the basic output, exit 0 when valid, 1 when invalid.") { schema, instance };
        command.SetAction(parse =>
        {
            if (!TryRead(parse.GetValue(schema)!, out var schemaText) || !TryRead(parse.GetValue(instance)!, out var instanceText)) return UsageError;
            JsonSchemaValidator validator;
            try
            {
                validator = JsonSchema.Compile(schemaText, new JsonSchemaOptions { AssertFormats = true });
            }
            catch (JsonSchemaException ex)
            {
                Console.Error.WriteLine($"{parse.GetValue(schema)}: {ex.Message}");
                return UsageError;
            }
            ValidationResult result;
            try
            {
                result = validator.Validate(instanceText);
            }
            catch (JsonException ex)
            {
                Console.Error.WriteLine($"{parse.GetValue(instance)}: not valid JSON: {ex.Message}");
                return UsageError;
            }
            Console.Out.WriteLine(result.ToJson(indented: true));
            return result.IsValid ? 0 : Refused;
        });
        return command;
    }

    private static Command CreateCheck()
    {
        var (subject, file, url, data, mode) = CommonArguments();
        var command = new Command("check", "Check a schema against the latest version of a subject (its mode, or --compatibility); exit 0 when compatible.")
            { subject, file, url, data, mode };
        command.SetAction(async (parse, ct) =>
        {
            if (!TryRead(parse.GetValue(file)!, out var text) || !TryMode(parse.GetValue(mode), out var m)) return UsageError;
            string name = parse.GetValue(subject)!;
            if (parse.GetValue(url) is { } hub)
            {
                var (status, body) = await PostAsync(hub, $"/registry/compatibility/subjects/{Uri.EscapeDataString(name)}/versions/latest", text, m, null, null, ct);
                if (body is not { } json) return UsageError;
                if (status == 200 && json.GetProperty("isCompatible").GetBoolean()) return Compatible(name, json.GetProperty("compatibility").GetString()!);
                PrintProblems(json.TryGetProperty("incompatibilities", out var list) ? list : json.TryGetProperty("errors", out var errors) ? errors : default, json);
                return status is 200 or 409 or 422 ? Refused : UsageError;
            }
            using var registry = OpenLocal(parse.GetValue(data)!);
            var report = registry.CheckCompatibility(name, text, m);
            if (report.IsCompatible) return Compatible(name, report.Mode.ToName());
            foreach (var p in report.Problems) Console.Out.WriteLine(Format(p.Pointer, p.Detail, p.AgainstVersion));
            Console.Out.WriteLine($"incompatible with subject '{name}' ({report.Mode.ToName()}): {report.Problems.Count} problem(s)");
            return Refused;
        });
        return command;
    }

    private static Command CreateRegister()
    {
        var (subject, file, url, data, mode) = CommonArguments();
        mode.Description = "Mode of the subject if it is new (default BACKWARD).";
        var owner = new Option<string?>("--owner") { Description = "Owning team, for a new subject." };
        var domain = new Option<string?>("--domain") { Description = "Business domain, for a new subject." };
        var command = new Command("register", "Register a schema as the next version of a subject; refused (exit 1) when it breaks the subject's mode.")
            { subject, file, url, data, mode, owner, domain };
        command.SetAction(async (parse, ct) =>
        {
            if (!TryRead(parse.GetValue(file)!, out var text) || !TryMode(parse.GetValue(mode), out var m)) return UsageError;
            string name = parse.GetValue(subject)!;
            if (parse.GetValue(url) is { } hub)
            {
                var (status, body) = await PostAsync(hub, $"/registry/subjects/{Uri.EscapeDataString(name)}/versions", text, m, parse.GetValue(owner), parse.GetValue(domain), ct);
                if (body is not { } json) return UsageError;
                if (status is 200 or 201)
                {
                    Console.Out.WriteLine($"{(status == 201 ? "registered" : "already registered")}: {name} version {json.GetProperty("version").GetInt32()} ({json.GetProperty("id").GetString()})");
                    return 0;
                }
                PrintProblems(json.TryGetProperty("errors", out var errors) ? errors : default, json);
                return status is 409 or 422 ? Refused : UsageError;
            }
            using var registry = OpenLocal(parse.GetValue(data)!);
            var result = registry.Register(name, text, new SubjectSettings(m, parse.GetValue(owner), parse.GetValue(domain)));
            if (result.Succeeded)
            {
                Console.Out.WriteLine($"{(result.Outcome == RegistrationOutcome.Registered ? "registered" : "already registered")}: {name} version {result.Version!.Version} ({result.Version.Uri})");
                return 0;
            }
            foreach (var p in result.Problems) Console.Out.WriteLine(Format(p.Pointer, p.Detail, p.AgainstVersion));
            Console.Out.WriteLine(result.Outcome == RegistrationOutcome.Incompatible
                ? $"refused: the schema breaks subject '{name}' compatibility {result.Mode.ToName()} ({result.Problems.Count} incompatibilities)"
                : $"refused: the schema is not acceptable ({result.Problems.Count} problem(s))");
            return Refused;
        });
        return command;
    }

    private static (Argument<string>, Argument<string>, Option<string?>, Option<string>, Option<string?>) CommonArguments() => (
        new Argument<string>("subject") { Description = "The subject, e.g. com.acme.production.completed.v1." },
        new Argument<string>("schema.json") { Description = "The candidate JSON Schema." },
        new Option<string?>("--url") { Description = "A running hub, e.g. http://127.0.0.1:5080. Default: the registry file under --data." },
        new Option<string>("--data") { Description = "Data folder holding registry.db (used without --url).", DefaultValueFactory = _ => ".millrace" },
        new Option<string?>("--compatibility") { Description = "Mode to check with instead of the subject's (NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE)." });

    private static int Compatible(string subject, string mode)
    {
        Console.Out.WriteLine($"compatible with subject '{subject}' ({mode})");
        return 0;
    }

    private static SchemaRegistry OpenLocal(string dataDirectory) => SchemaRegistry.OpenInDataDirectory(dataDirectory);

    private static bool TryRead(string path, out string text)
    {
        text = "";
        try
        {
            text = File.ReadAllText(path);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            Console.Error.WriteLine($"{path}: cannot read: {(ex is FileNotFoundException or DirectoryNotFoundException ? "no such file" : ex.Message)}");
            return false;
        }
    }

    private static bool TryMode(string? text, out CompatibilityMode? mode)
    {
        mode = null;
        if (text is null) return true;
        if (CompatibilityModes.TryParse(text, out var m)) { mode = m; return true; }
        Console.Error.WriteLine($"--compatibility: unknown mode '{text}' (known: {string.Join(", ", CompatibilityModes.Names)})");
        return false;
    }

    private static string Format(string pointer, string detail, int? version) =>
        $"{(pointer.Length == 0 ? "/" : pointer)}: {detail}{(version is { } v ? $" (against version {v})" : "")}";

    private static void PrintProblems(JsonElement list, JsonElement body)
    {
        if (list.ValueKind == JsonValueKind.Array)
            foreach (var p in list.EnumerateArray())
                Console.Out.WriteLine(Format(p.GetProperty("pointer").GetString() ?? "", p.GetProperty("detail").GetString() ?? "",
                    p.TryGetProperty("againstVersion", out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : null));
        if (body.TryGetProperty("detail", out var detail)) Console.Out.WriteLine($"refused: {detail.GetString()}");
        else if (body.TryGetProperty("isCompatible", out _)) Console.Out.WriteLine("incompatible");
    }

    /// <summary>Posts the registry envelope to a hub; null body (after printing why) when the hub cannot be reached or answers non-JSON.</summary>
    private static async Task<(int Status, JsonElement? Body)> PostAsync(string hub, string path, string schemaText, CompatibilityMode? mode,
        string? owner, string? domain, CancellationToken ct)
    {
        if (!Uri.TryCreate(hub, UriKind.Absolute, out var baseUri)) { Console.Error.WriteLine($"--url: '{hub}' is not an absolute URL"); return (0, null); }
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteString("schema", schemaText);
            if (mode is { } m) writer.WriteString("compatibility", m.ToName());
            if (owner is not null) writer.WriteString("owner", owner);
            if (domain is not null) writer.WriteString("domain", domain);
            writer.WriteEndObject();
        }
        using var http = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            using var response = await http.PostAsync(path, new StringContent(Encoding.UTF8.GetString(stream.ToArray()), Encoding.UTF8, "application/json"), ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            try
            {
                using var doc = JsonDocument.Parse(text);
                return ((int)response.StatusCode, doc.RootElement.Clone());
            }
            catch (JsonException)
            {
                Console.Error.WriteLine($"{hub}: answered {(int)response.StatusCode} without JSON: {text[..Math.Min(200, text.Length)]}");
                return ((int)response.StatusCode, null);
            }
        }
        catch (HttpRequestException ex)
        {
            Console.Error.WriteLine($"{hub}: cannot reach the hub: {ex.Message}");
            return (0, null);
        }
    }
}
