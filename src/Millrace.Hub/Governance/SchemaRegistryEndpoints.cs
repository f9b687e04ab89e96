using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Millrace.Schema.Compatibility;

namespace Millrace.Hub.Governance;

/// <summary>
/// The registry over HTTP (minimal APIs). Refusals are RFC 9457 problems listing every problem by JSON pointer into
/// the submitted schema: 409 when the version breaks the subject's mode, 422 when it is not a valid schema, 400 when
/// the request itself is malformed, 404 for unknown subjects or versions.
/// </summary>
public static class SchemaRegistryEndpoints
{
    /// <summary>Largest request body accepted (a schema, not data).</summary>
    public const int MaxBodyBytes = 4 * 1024 * 1024;

    private const string ProblemBase = "https://millrace.dev/problems/";

    /// <summary>
    /// Maps <c>POST /registry/subjects/{subject}/versions</c>, <c>GET /registry/subjects[/{subject}[/versions[/{version|latest}]]]</c>,
    /// <c>POST /registry/compatibility/subjects/{subject}/versions/{version|latest}</c> and
    /// <c>GET|PUT /registry/config/{subject}</c>.
    /// </summary>
    public static IEndpointRouteBuilder MapSchemaRegistry(this IEndpointRouteBuilder endpoints, SchemaRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        endpoints.MapPost("/registry/subjects/{subject}/versions", (HttpContext http) => RegisterAsync(http, registry));
        endpoints.MapGet("/registry/subjects", (HttpContext http) =>
        {
            IReadOnlyList<SubjectBody> all = registry.ListSubjects().Select(s => ToBody(s, registry.ListVersions(s.Name))).ToList();
            return JsonAsync(http, 200, all, GovernanceJsonContext.Http.IReadOnlyListSubjectBody);
        });
        endpoints.MapGet("/registry/subjects/{subject}", (HttpContext http) =>
        {
            string subject = Route(http, "subject");
            return registry.GetSubject(subject) is { } s
                ? JsonAsync(http, 200, ToBody(s, registry.ListVersions(subject)), GovernanceJsonContext.Http.SubjectBody)
                : NotFoundAsync(http, $"subject '{subject}' is not registered");
        });
        endpoints.MapGet("/registry/subjects/{subject}/versions", (HttpContext http) =>
        {
            string subject = Route(http, "subject");
            var versions = registry.ListVersions(subject);
            return versions.Count > 0
                ? JsonAsync(http, 200, versions, GovernanceJsonContext.Http.IReadOnlyListInt32)
                : NotFoundAsync(http, $"subject '{subject}' has no versions");
        });
        endpoints.MapGet("/registry/subjects/{subject}/versions/{version}", (HttpContext http) => GetVersionAsync(http, registry));
        endpoints.MapPost("/registry/compatibility/subjects/{subject}/versions/{version}", (HttpContext http) => CheckAsync(http, registry));
        endpoints.MapGet("/registry/config/{subject}", (HttpContext http) =>
        {
            var subject = registry.GetSubject(Route(http, "subject"));
            return JsonAsync(http, 200, new SubjectConfigBody((subject?.Mode ?? registry.DefaultMode).ToName()), GovernanceJsonContext.Http.SubjectConfigBody);
        });
        endpoints.MapPut("/registry/config/{subject}", (HttpContext http) => SetConfigAsync(http, registry));
        return endpoints;
    }

    private static async Task RegisterAsync(HttpContext http, SchemaRegistry registry)
    {
        string subject = Route(http, "subject");
        var request = await ReadRequestAsync(http);
        if (request.Error is not null) { await ProblemAsync(http, 400, "malformed-request", "Malformed request", request.Error, null); return; }
        if (request.Mode is null && request.ModeText is not null)
        {
            await ProblemAsync(http, 400, "malformed-request", "Malformed request", $"unknown compatibility '{request.ModeText}' (known: {string.Join(", ", CompatibilityModes.Names)})", null);
            return;
        }
        var result = registry.Register(subject, request.SchemaText!, new SubjectSettings(request.Mode, request.Owner, request.Domain));
        switch (result.Outcome)
        {
            case RegistrationOutcome.Registered or RegistrationOutcome.AlreadyRegistered:
                var v = result.Version!;
                bool created = result.Outcome == RegistrationOutcome.Registered;
                if (created) http.Response.Headers.Location = $"/registry/subjects/{Uri.EscapeDataString(subject)}/versions/{v.Version}";
                await JsonAsync(http, created ? 201 : 200, new RegisteredBody(subject, v.Version, v.Uri, result.Mode.ToName(), created), GovernanceJsonContext.Http.RegisteredBody);
                break;
            case RegistrationOutcome.Incompatible:
                await ProblemAsync(http, 409, "schema-incompatible", "Schema is incompatible",
                    $"the schema breaks subject '{subject}' compatibility {result.Mode.ToName()}: {result.Problems.Count} incompatibilit{(result.Problems.Count == 1 ? "y" : "ies")}", result.Problems);
                break;
            default:
                await ProblemAsync(http, 422, "schema-invalid", "Invalid schema", $"the schema for subject '{subject}' is not acceptable: {result.Problems.Count} problem(s)", result.Problems);
                break;
        }
    }

    private static async Task GetVersionAsync(HttpContext http, SchemaRegistry registry)
    {
        string subject = Route(http, "subject");
        string text = Route(http, "version");
        if (!TryParseVersion(text, out int? number))
        {
            await ProblemAsync(http, 400, "malformed-request", "Malformed request", $"version '{text}' is neither a positive number nor 'latest'", null);
            return;
        }
        var version = number is { } n ? registry.GetVersion(subject, n) : registry.GetLatest(subject);
        if (version is null) { await NotFoundAsync(http, $"subject '{subject}' has no version {text}"); return; }
        var mode = registry.GetSubject(subject)?.Mode ?? registry.DefaultMode;
        await JsonAsync(http, 200, new VersionBody(subject, version.Version, version.Uri, mode.ToName(), version.Fingerprint, version.RegisteredAt, version.Schema),
            GovernanceJsonContext.Http.VersionBody);
    }

    private static async Task CheckAsync(HttpContext http, SchemaRegistry registry)
    {
        string subject = Route(http, "subject");
        string text = Route(http, "version");
        if (!TryParseVersion(text, out int? number))
        {
            await ProblemAsync(http, 400, "malformed-request", "Malformed request", $"version '{text}' is neither a positive number nor 'latest'", null);
            return;
        }
        var request = await ReadRequestAsync(http);
        if (request.Error is not null) { await ProblemAsync(http, 400, "malformed-request", "Malformed request", request.Error, null); return; }
        if (number is { } n && registry.GetVersion(subject, n) is null) { await NotFoundAsync(http, $"subject '{subject}' has no version {n}"); return; }
        var report = registry.CheckCompatibility(subject, request.SchemaText!, request.Mode, number);
        if (!report.IsCompatible && report.Problems.All(p => p.AgainstVersion is null))
        {
            await ProblemAsync(http, 422, "schema-invalid", "Invalid schema", $"the schema is not acceptable: {report.Problems.Count} problem(s)", report.Problems);
            return;
        }
        await JsonAsync(http, 200, new CompatibilityBody(subject, report.IsCompatible, report.Mode.ToName(), report.Problems), GovernanceJsonContext.Http.CompatibilityBody);
    }

    private static async Task SetConfigAsync(HttpContext http, SchemaRegistry registry)
    {
        string subject = Route(http, "subject");
        var request = await ReadRequestAsync(http, schemaRequired: false);
        if (request.Error is null && request.Mode is null)
            request = request with { Error = request.ModeText is null ? "'compatibility' is required" : $"unknown compatibility '{request.ModeText}' (known: {string.Join(", ", CompatibilityModes.Names)})" };
        if (!SchemaRegistry.IsValidSubject(subject, out var why)) request = request with { Error = why };
        if (request.Error is not null) { await ProblemAsync(http, 400, "malformed-request", "Malformed request", request.Error, null); return; }
        var info = registry.SetSubject(subject, request.Mode!.Value, request.Owner, request.Domain);
        await JsonAsync(http, 200, new SubjectConfigBody(info.Mode.ToName()), GovernanceJsonContext.Http.SubjectConfigBody);
    }

    private sealed record RegistryRequest(string? SchemaText, CompatibilityMode? Mode, string? ModeText, string? Owner, string? Domain, string? Error);

    /// <summary>Reads <c>{"schema": &lt;schema object or JSON text&gt;, "compatibility"?, "owner"?, "domain"?}</c>.</summary>
    private static async Task<RegistryRequest> ReadRequestAsync(HttpContext http, bool schemaRequired = true)
    {
        if (http.Request.ContentLength > MaxBodyBytes) return Fail($"the body is larger than {MaxBodyBytes / (1024 * 1024)} MiB");
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await http.Request.Body.ReadAsync(chunk, http.RequestAborted)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes) return Fail($"the body is larger than {MaxBodyBytes / (1024 * 1024)} MiB");
            buffer.Write(chunk, 0, read);
        }
        JsonDocument doc;
        try { doc = JsonDocument.Parse(buffer.ToArray()); }
        catch (JsonException ex) { return Fail($"the body is not JSON: {ex.Message}"); }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return Fail("the body must be a JSON object such as {\"schema\": {...}}");
            string? schemaText = null;
            if (root.TryGetProperty("schema", out var schema))
            {
                schemaText = schema.ValueKind switch
                {
                    JsonValueKind.String => schema.GetString(),
                    JsonValueKind.Object or JsonValueKind.True or JsonValueKind.False => schema.GetRawText(),
                    _ => null,
                };
                if (schemaText is null) return Fail("/schema must be a schema object or its JSON text");
            }
            else if (schemaRequired) return Fail("the body has no 'schema' member");
            string? modeText = Text(root, "compatibility");
            CompatibilityMode? mode = CompatibilityModes.TryParse(modeText, out var m) ? m : null;
            return new RegistryRequest(schemaText, mode, modeText, Text(root, "owner"), Text(root, "domain"), null);
        }

        static RegistryRequest Fail(string error) => new(null, null, null, null, null, error);
        static string? Text(JsonElement root, string name) =>
            root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
    }

    private static bool TryParseVersion(string text, out int? version)
    {
        version = null;
        if (text == "latest") return true;
        if (int.TryParse(text, System.Globalization.NumberStyles.None, null, out int n) && n > 0) { version = n; return true; }
        return false;
    }

    private static string Route(HttpContext http, string name) => http.Request.RouteValues[name]?.ToString() ?? "";

    private static SubjectBody ToBody(SubjectInfo s, IReadOnlyList<int> versions) => new(s.Name, s.Mode.ToName(), s.Owner, s.Domain, versions);

    private static Task NotFoundAsync(HttpContext http, string detail) => ProblemAsync(http, 404, "not-found", "Not found", detail, null);

    private static Task JsonAsync<T>(HttpContext http, int status, T value, JsonTypeInfo<T> type)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(http.Response.Body, value, type, http.RequestAborted);
    }

    private static Task ProblemAsync(HttpContext http, int status, string slug, string title, string detail, IReadOnlyList<RegistryProblem>? errors)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/problem+json";
        var body = new RegistryProblemBody(ProblemBase + slug, title, status, detail, http.Request.Path, errors, Activity.Current?.TraceId.ToString());
        return JsonSerializer.SerializeAsync(http.Response.Body, body, GovernanceJsonContext.Http.RegistryProblemBody, http.RequestAborted);
    }
}
