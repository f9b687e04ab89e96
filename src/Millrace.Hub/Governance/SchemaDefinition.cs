using System.Text.Json;
using Millrace.Core.Config;
using Millrace.Schema.Compatibility;

namespace Millrace.Hub.Governance;

/// <summary>One entry of the <c>schemas:</c> section: a subject, its mode, its schema (read from a .json file) and who owns it.</summary>
/// <param name="Subject">The subject, e.g. <c>com.acme.production.completed.v1</c>.</param>
/// <param name="Mode">Compatibility mode of the subject.</param>
/// <param name="File">The schema file, absolute.</param>
/// <param name="Schema">The parsed, checked schema.</param>
/// <param name="Owner">Owning team or person.</param>
/// <param name="Domain">Business domain (production, maintenance, quality, ...).</param>
/// <param name="Location">Where the entry is in the configuration.</param>
public sealed record SchemaDefinition(string Subject, CompatibilityMode Mode, string File, JsonElement Schema, string? Owner, string? Domain, SourceLocation Location)
{
    /// <summary>Lifecycle state (<c>lifecycle</c>); active unless written otherwise.</summary>
    public EventLifecycle Lifecycle { get; init; } = EventLifecycle.Active;

    /// <summary>
    /// <c>sunset</c>: for a deprecated type the date after which it will be retired (required); for a retired type,
    /// optionally the date it was retired.
    /// </summary>
    public DateOnly? Sunset { get; init; }

    /// <summary><c>replaced-by</c>: the subject producers should move to (deprecated and retired types).</summary>
    public string? ReplacedBy { get; init; }

    /// <summary><c>producers</c>: the systems, sources or rules that emit this type.</summary>
    public IReadOnlyList<string> Producers { get; init; } = [];

    /// <summary><c>consumers</c>: the systems, workflows or connectors that read this type.</summary>
    public IReadOnlyList<string> Consumers { get; init; } = [];

    /// <summary><c>description</c>, else the schema's own <c>description</c>.</summary>
    public string? Description { get; init; }
}
