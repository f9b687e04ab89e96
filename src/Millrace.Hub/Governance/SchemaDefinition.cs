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
public sealed record SchemaDefinition(string Subject, CompatibilityMode Mode, string File, JsonElement Schema, string? Owner, string? Domain, SourceLocation Location);
