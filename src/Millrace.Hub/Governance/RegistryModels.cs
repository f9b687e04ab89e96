using System.Text.Json;
using Millrace.Schema.Compatibility;

namespace Millrace.Hub.Governance;

/// <summary>One problem with a submitted schema or version: a JSON pointer (into the submitted schema) and why.</summary>
/// <param name="Pointer">JSON pointer into the submitted schema ("" is the root).</param>
/// <param name="Detail">What is wrong.</param>
/// <param name="AgainstVersion">For incompatibilities: the registered version it breaks.</param>
/// <param name="Direction">For incompatibilities: <c>backward</c> or <c>forward</c>.</param>
public sealed record RegistryProblem(string Pointer, string Detail, int? AgainstVersion = null, string? Direction = null);

/// <summary>A subject: its compatibility mode and governance metadata.</summary>
/// <param name="Name">The subject (an event type such as <c>com.acme.production.completed.v1</c>, or an API payload).</param>
/// <param name="Mode">Its compatibility mode.</param>
/// <param name="Owner">The owning team or person, if declared.</param>
/// <param name="Domain">The business domain, if declared.</param>
public sealed record SubjectInfo(string Name, CompatibilityMode Mode, string? Owner, string? Domain);

/// <summary>One registered version of a subject.</summary>
/// <param name="Subject">The subject.</param>
/// <param name="Version">Version number, from 1.</param>
/// <param name="Uri">The registry URI of this version (CloudEvents <c>dataschema</c>).</param>
/// <param name="Schema">The schema as registered.</param>
/// <param name="Fingerprint">SHA-256 of the canonical form (member order and whitespace do not matter).</param>
/// <param name="RegisteredAt">When it was registered.</param>
public sealed record SchemaVersion(string Subject, int Version, string Uri, JsonElement Schema, string Fingerprint, DateTimeOffset RegisteredAt);

/// <summary>How a registration ended.</summary>
public enum RegistrationOutcome
{
    /// <summary>A new version was stored.</summary>
    Registered,
    /// <summary>An identical schema was already registered: its version is returned, nothing stored.</summary>
    AlreadyRegistered,
    /// <summary>Refused: the schema breaks the subject's compatibility mode (see the problems).</summary>
    Incompatible,
    /// <summary>Refused: the text is not a valid JSON Schema, or the subject name is invalid.</summary>
    Invalid,
}

/// <summary>The answer to a registration.</summary>
/// <param name="Outcome">What happened.</param>
/// <param name="Subject">The subject.</param>
/// <param name="Version">The version stored or found; null when refused.</param>
/// <param name="Mode">The subject's compatibility mode.</param>
/// <param name="Problems">Why it was refused (every incompatibility, by pointer); empty otherwise.</param>
public sealed record SchemaRegistration(RegistrationOutcome Outcome, string Subject, SchemaVersion? Version, CompatibilityMode Mode, IReadOnlyList<RegistryProblem> Problems)
{
    /// <summary>Whether the schema is (now) registered.</summary>
    public bool Succeeded => Outcome is RegistrationOutcome.Registered or RegistrationOutcome.AlreadyRegistered;
}

/// <summary>The answer to a compatibility check of a candidate schema.</summary>
/// <param name="IsCompatible">True when the candidate may be registered.</param>
/// <param name="Mode">The mode checked.</param>
/// <param name="Problems">Every incompatibility (or validity problem), by pointer into the candidate.</param>
public sealed record CompatibilityReport(bool IsCompatible, CompatibilityMode Mode, IReadOnlyList<RegistryProblem> Problems);
