using System.Text.Json;
using System.Text.Json.Serialization;

namespace Millrace.Hub.Governance;

/// <summary>Answer to a registration: the version (new or existing) and its registry URI.</summary>
public sealed record RegisteredBody(string Subject, int Version, string Id, string Compatibility, bool Created);

/// <summary>A stored version as the API shows it.</summary>
public sealed record VersionBody(string Subject, int Version, string Id, string Compatibility, string Fingerprint, DateTimeOffset RegisteredAt, JsonElement Schema);

/// <summary>Answer to a compatibility check.</summary>
public sealed record CompatibilityBody(string Subject, bool IsCompatible, string Compatibility, IReadOnlyList<RegistryProblem> Incompatibilities);

/// <summary>A subject as the API shows it.</summary>
public sealed record SubjectBody(string Subject, string Compatibility, string? Owner, string? Domain, IReadOnlyList<int> Versions);

/// <summary>A subject's mode, read or set.</summary>
public sealed record SubjectConfigBody(string Compatibility);

/// <summary>RFC 9457 problem details of the registry, with every problem by JSON pointer.</summary>
public sealed record RegistryProblemBody(string Type, string Title, int Status, string Detail, string Instance, IReadOnlyList<RegistryProblem>? Errors, string? TraceId);

/// <summary>System.Text.Json source generation for the registry's HTTP bodies.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RegisteredBody))]
[JsonSerializable(typeof(VersionBody))]
[JsonSerializable(typeof(CompatibilityBody))]
[JsonSerializable(typeof(SubjectBody))]
[JsonSerializable(typeof(IReadOnlyList<SubjectBody>))]
[JsonSerializable(typeof(IReadOnlyList<int>))]
[JsonSerializable(typeof(SubjectConfigBody))]
[JsonSerializable(typeof(RegistryProblemBody))]
public sealed partial class GovernanceJsonContext : JsonSerializerContext
{
    /// <summary>The context the registry writes with: relaxed escaping, so reasons read as written.</summary>
    public static GovernanceJsonContext Http { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
