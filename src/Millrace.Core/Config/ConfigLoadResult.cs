using System.Collections.Immutable;

namespace Millrace.Core.Config;

/// <summary>What <see cref="ConfigLoader"/> found: the typed configuration and every problem, sorted by position.</summary>
public sealed class ConfigLoadResult
{
    internal ConfigLoadResult(MillraceConfig config, ImmutableArray<ConfigDiagnostic> diagnostics)
    {
        Config = config;
        Diagnostics = diagnostics;
    }

    /// <summary>The configuration (only its valid part when <see cref="HasErrors"/>).</summary>
    public MillraceConfig Config { get; }

    /// <summary>All errors and warnings, ordered by file, line and column.</summary>
    public ImmutableArray<ConfigDiagnostic> Diagnostics { get; }

    /// <summary>The errors.</summary>
    public IEnumerable<ConfigDiagnostic> Errors => Diagnostics.Where(d => d.IsError);

    /// <summary>The warnings.</summary>
    public IEnumerable<ConfigDiagnostic> Warnings => Diagnostics.Where(d => !d.IsError);

    /// <summary>Whether any error was found (exit code 1 for <c>millrace validate</c>).</summary>
    public bool HasErrors => Diagnostics.Any(d => d.IsError);

    /// <summary>The one-line summary of the configuration.</summary>
    public ConfigSummary Summary => Config.Summary;
}
