using Millrace.Schema.Compatibility;

namespace Millrace.Hub.Governance;

/// <summary>One event type of the catalogue: a CloudEvents <c>type</c>, which is also its registry subject.</summary>
/// <param name="Subject">The type / subject, e.g. <c>com.acme.production.completed.v1</c>.</param>
/// <param name="Owner">Owning team.</param>
/// <param name="Domain">Business domain (production, inventory, maintenance, quality, logistics).</param>
/// <param name="Lifecycle">Lifecycle state.</param>
/// <param name="Sunset">Sunset date of a deprecated type (retirement date of a retired one, when known).</param>
/// <param name="ReplacedBy">The successor type, for deprecated and retired types.</param>
/// <param name="Producers">Who emits it.</param>
/// <param name="Consumers">Who reads it.</param>
/// <param name="Description">What it means.</param>
/// <param name="Mode">Compatibility mode of its subject.</param>
/// <param name="Declared">False for a subject registered over HTTP but not declared in the configuration.</param>
public sealed record EventType(string Subject, string? Owner, string? Domain, EventLifecycle Lifecycle, DateOnly? Sunset,
    string? ReplacedBy, IReadOnlyList<string> Producers, IReadOnlyList<string> Consumers, string? Description,
    CompatibilityMode Mode, bool Declared = true)
{
    /// <summary>The catalogue entry of a <c>schemas:</c> definition.</summary>
    public static EventType From(SchemaDefinition d) => new(d.Subject, d.Owner, d.Domain, d.Lifecycle, d.Sunset, d.ReplacedBy,
        d.Producers, d.Consumers, d.Description, d.Mode);
}
