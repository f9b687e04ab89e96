using System.Collections.Concurrent;
using System.Text.Json;
using Millrace.Schema;
using Millrace.Schema.Compatibility;

namespace Millrace.Hub.Governance;

/// <summary>What a registration may set on a subject that does not exist yet.</summary>
/// <param name="Mode">Compatibility mode (default: the registry's <see cref="SchemaRegistry.DefaultMode"/>).</param>
/// <param name="Owner">Owning team or person.</param>
/// <param name="Domain">Business domain.</param>
public sealed record SubjectSettings(CompatibilityMode? Mode = null, string? Owner = null, string? Domain = null);

/// <summary>
/// The schema registry: subjects (event types, API payloads) with numbered versions (from 1) and a compatibility mode
/// each (default BACKWARD). A version that breaks its subject's mode is refused with every incompatibility listed by
/// JSON pointer; re-registering an identical schema (member order and whitespace aside) returns the existing version.
/// Stored in SQLite (<c>registry.db</c> in the hub's data directory by default). Thread-safe.
/// </summary>
public sealed class SchemaRegistry : IDisposable
{
    /// <summary>Where registry URIs start: <c>https://millrace.dev/schemas/{subject}/{version}</c>.</summary>
    public const string UriBase = "https://millrace.dev/schemas/";

    /// <summary>The file name used inside a data directory.</summary>
    public const string FileName = "registry.db";

    private readonly SchemaRegistryStore _store;
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<(string, int), JsonSchemaValidator> _validators = new();
    private readonly RegistryResolver _resolver;
    private long _generation;

    private SchemaRegistry(SchemaRegistryStore store, CompatibilityMode defaultMode, TimeProvider time)
    {
        _store = store;
        DefaultMode = defaultMode;
        _time = time;
        _resolver = new RegistryResolver(this);
    }

    /// <summary>Opens (creating if needed) the registry stored at <paramref name="path"/>.</summary>
    public static SchemaRegistry Open(string path, CompatibilityMode defaultMode = CompatibilityMode.Backward, TimeProvider? time = null)
        => new(SchemaRegistryStore.Open(path), defaultMode, time ?? TimeProvider.System);

    /// <summary>Opens <c>registry.db</c> in a hub data directory.</summary>
    public static SchemaRegistry OpenInDataDirectory(string dataDirectory) => Open(Path.Combine(dataDirectory, FileName));

    /// <summary>The mode of subjects created without one.</summary>
    public CompatibilityMode DefaultMode { get; }

    /// <summary>Grows whenever a version is registered: caches of "latest version" compare it to know they are stale.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    /// <summary>The registry URI of a version: the CloudEvents <c>dataschema</c> and the schema's expected <c>$id</c>.</summary>
    public static string SchemaUri(string subject, int version) => $"{UriBase}{subject}/{version}";

    /// <summary>Whether a subject name is acceptable: 1-200 characters of letters, digits, '.', '_' and '-'.</summary>
    public static bool IsValidSubject(string? subject, out string why)
    {
        why = "";
        if (string.IsNullOrEmpty(subject)) why = "a subject name is required";
        else if (subject.Length > 200) why = $"subject name is {subject.Length} characters long; at most 200";
        else if (subject.FirstOrDefault(c => !(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')) is var bad and not '\0')
            why = $"subject '{subject}' contains '{bad}'; use letters, digits, '.', '_' and '-'";
        else if (!char.IsAsciiLetterOrDigit(subject[0])) why = $"subject '{subject}' must start with a letter or digit";
        return why.Length == 0;
    }

    /// <summary>Registers schema text under a subject (see <see cref="Register(string, JsonElement, SubjectSettings?)"/>).</summary>
    public SchemaRegistration Register(string subject, string schemaJson, SubjectSettings? settings = null)
    {
        var mode = ModeOf(subject, settings);
        if (!IsValidSubject(subject, out var why)) return new(RegistrationOutcome.Invalid, subject, null, mode, [new RegistryProblem("", why)]);
        var problems = SchemaText.Parse(schemaJson, out var schema);
        return problems.Count > 0 ? new(RegistrationOutcome.Invalid, subject, null, mode, problems) : Register(subject, schema, settings);
    }

    /// <summary>
    /// Registers a schema under a subject: refused when it is not a valid draft 2020-12 schema, when its <c>$id</c> is a
    /// registry URI naming another subject or version, or when it breaks the subject's mode; returns the existing
    /// version when an identical schema is registered; otherwise stores the next version. <paramref name="settings"/>
    /// applies only when the subject does not exist yet (change an existing subject with <see cref="SetSubject"/>).
    /// </summary>
    public SchemaRegistration Register(string subject, JsonElement schema, SubjectSettings? settings = null)
    {
        var mode = ModeOf(subject, settings);
        if (!IsValidSubject(subject, out var why)) return new(RegistrationOutcome.Invalid, subject, null, mode, [new RegistryProblem("", why)]);
        var invalid = SchemaText.Check(schema, _resolver);
        if (invalid.Count > 0) return new(RegistrationOutcome.Invalid, subject, null, mode, invalid);
        string fingerprint = SchemaText.Fingerprint(schema);
        lock (_gate)
        {
            var existing = _store.GetSubject(subject);
            mode = existing?.Mode ?? settings?.Mode ?? DefaultMode;
            var versions = _store.Versions(subject);
            if (versions.FirstOrDefault(v => v.Fingerprint == fingerprint) is { } same)
                return new(RegistrationOutcome.AlreadyRegistered, subject, same, mode, []);
            int next = versions.Count == 0 ? 1 : versions[^1].Version + 1;
            if (IdProblem(schema, subject, next) is { } idProblem)
                return new(RegistrationOutcome.Invalid, subject, null, mode, [idProblem]);
            var violations = Violations(mode, schema, versions);
            if (violations.Count > 0) return new(RegistrationOutcome.Incompatible, subject, null, mode, violations);
            long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
            _store.Insert(subject, mode, settings?.Owner, settings?.Domain, next, SchemaText.Minify(schema), fingerprint, now);
            Interlocked.Increment(ref _generation);
            return new(RegistrationOutcome.Registered, subject, _store.Version(subject, next), mode, []);
        }
    }

    /// <summary>
    /// Would <paramref name="schemaJson"/> be accepted as the next version? Checks validity and the subject's mode
    /// (or <paramref name="mode"/> when given) against the latest version, or every version for transitive modes;
    /// with <paramref name="againstVersion"/>, against that one version only. A subject without versions accepts any valid schema.
    /// </summary>
    public CompatibilityReport CheckCompatibility(string subject, string schemaJson, CompatibilityMode? mode = null, int? againstVersion = null)
    {
        var effective = mode ?? ModeOf(subject, null);
        if (!IsValidSubject(subject, out var why)) return new(false, effective, [new RegistryProblem("", why)]);
        var problems = SchemaText.Check(schemaJson, out var schema, _resolver);
        if (problems.Count > 0) return new(false, effective, problems);
        List<SchemaVersion> versions;
        lock (_gate) versions = _store.Versions(subject);
        if (againstVersion is { } only)
        {
            versions = versions.Where(v => v.Version == only).ToList();
            if (versions.Count == 0) return new(false, effective, [new RegistryProblem("", $"subject '{subject}' has no version {only}")]);
            if (effective.IsTransitive()) effective = (CompatibilityMode)((int)effective - 1); // one version: the plain mode
        }
        var violations = Violations(effective, schema, versions);
        return new(violations.Count == 0, effective, violations);
    }

    private static List<RegistryProblem> Violations(CompatibilityMode mode, JsonElement schema, List<SchemaVersion> versions) =>
        SchemaCompatibility.CheckAgainst(mode, schema, versions.Select(v => v.Schema).ToList())
            .Select(v => new RegistryProblem(v.Pointer, v.Reason, versions[v.AgainstIndex].Version, v.Direction == CompatibilityDirection.Backward ? "backward" : "forward"))
            .ToList();

    private static RegistryProblem? IdProblem(JsonElement schema, string subject, int version)
    {
        if (schema.ValueKind != JsonValueKind.Object || !schema.TryGetProperty("$id", out var id) || id.ValueKind != JsonValueKind.String) return null;
        string text = id.GetString()!.TrimEnd('#');
        if (!text.StartsWith(UriBase, StringComparison.Ordinal) || text == SchemaUri(subject, version)) return null;
        return new RegistryProblem("/$id", $"$id '{text}' does not name this registration; expected '{SchemaUri(subject, version)}'");
    }

    /// <summary>Creates a subject or changes its mode (and, when given, owner and domain).</summary>
    public SubjectInfo SetSubject(string subject, CompatibilityMode mode, string? owner = null, string? domain = null)
    {
        if (!IsValidSubject(subject, out var why)) throw new ArgumentException(why, nameof(subject));
        lock (_gate)
        {
            _store.UpsertSubject(subject, mode, owner, domain, _time.GetUtcNow().ToUnixTimeMilliseconds());
            return _store.GetSubject(subject)!;
        }
    }

    /// <summary>The subject, or null when unknown.</summary>
    public SubjectInfo? GetSubject(string subject)
    {
        lock (_gate) return _store.GetSubject(subject);
    }

    /// <summary>All subjects, by name.</summary>
    public IReadOnlyList<SubjectInfo> ListSubjects()
    {
        lock (_gate) return _store.ListSubjects();
    }

    /// <summary>The version numbers of a subject, oldest first (empty when unknown).</summary>
    public IReadOnlyList<int> ListVersions(string subject)
    {
        lock (_gate) return _store.Versions(subject).Select(v => v.Version).ToList();
    }

    /// <summary>One version, or null.</summary>
    public SchemaVersion? GetVersion(string subject, int version)
    {
        lock (_gate) return _store.Version(subject, version);
    }

    /// <summary>The latest version, or null when the subject has none.</summary>
    public SchemaVersion? GetLatest(string subject)
    {
        lock (_gate) return _store.Latest(subject);
    }

    /// <summary>
    /// The compiled validator of a version (formats asserted; <c>$ref</c>s to other registry URIs resolved from the
    /// registry), compiled once and cached; null when the version does not exist.
    /// </summary>
    public JsonSchemaValidator? GetValidator(string subject, int version)
    {
        if (_validators.TryGetValue((subject, version), out var cached)) return cached;
        var stored = GetVersion(subject, version);
        if (stored is null) return null;
        return _validators.GetOrAdd((subject, version), _ => SchemaText.Compile(stored.Schema, _resolver));
    }

    /// <summary>
    /// Applies the configured schemas (the <c>schemas:</c> section): sets each subject's mode, owner and domain, then
    /// registers its schema. Returns one result per definition, in order; refusals are returned, not thrown.
    /// </summary>
    public IReadOnlyList<SchemaRegistration> Apply(IEnumerable<SchemaDefinition> definitions)
    {
        var results = new List<SchemaRegistration>();
        foreach (var d in definitions)
        {
            SetSubject(d.Subject, d.Mode, d.Owner, d.Domain);
            results.Add(Register(d.Subject, d.Schema));
        }
        return results;
    }

    private CompatibilityMode ModeOf(string subject, SubjectSettings? settings)
    {
        if (!IsValidSubject(subject, out _)) return settings?.Mode ?? DefaultMode;
        return GetSubject(subject)?.Mode ?? settings?.Mode ?? DefaultMode;
    }

    /// <summary>Closes the store.</summary>
    public void Dispose()
    {
        lock (_gate) _store.Dispose();
    }

    /// <summary>Resolves registry URIs (<c>https://millrace.dev/schemas/{subject}/{version}</c>) for <c>$ref</c>s between schemas.</summary>
    private sealed class RegistryResolver(SchemaRegistry registry) : ISchemaResolver
    {
        public bool TryResolve(string uri, out JsonElement document)
        {
            document = default;
            if (!uri.StartsWith(UriBase, StringComparison.Ordinal)) return false;
            var rest = uri[UriBase.Length..].TrimEnd('/');
            int slash = rest.LastIndexOf('/');
            if (slash <= 0 || !int.TryParse(rest[(slash + 1)..], out int version)) return false;
            var stored = registry.GetVersion(rest[..slash], version);
            if (stored is null) return false;
            document = stored.Schema;
            return true;
        }
    }
}
