namespace Millrace.Core.Config;

/// <summary>How serious a configuration problem is: errors make the configuration invalid, warnings do not.</summary>
public enum DiagnosticSeverity
{
    /// <summary>The configuration is invalid; <c>millrace validate</c> exits 1.</summary>
    Error,
    /// <summary>Suspicious but usable.</summary>
    Warning,
}

/// <summary>One problem found while loading configuration, with its exact position.</summary>
/// <param name="File">Path relative to the configuration directory ('/' separators); empty for problems with the directory itself.</param>
/// <param name="Line">1-based line (0 for problems about a whole file or the directory).</param>
/// <param name="Column">1-based column.</param>
/// <param name="Severity">Error or warning.</param>
/// <param name="Message">What is wrong and, where possible, how to fix it.</param>
public sealed record ConfigDiagnostic(string File, int Line, int Column, DiagnosticSeverity Severity, string Message)
{
    /// <summary>Creates a diagnostic at a location.</summary>
    public ConfigDiagnostic(SourceLocation at, DiagnosticSeverity severity, string message)
        : this(at.File, at.Line, at.Column, severity, message)
    {
    }

    /// <summary>The position as a <see cref="SourceLocation"/>.</summary>
    public SourceLocation Location => new(File, Line, Column);

    /// <summary>Whether this is an error.</summary>
    public bool IsError => Severity == DiagnosticSeverity.Error;

    /// <summary>
    /// <c>file:line:col: message</c> for errors, <c>file:line:col: warning: message</c> for warnings
    /// (the compiler convention editors and CI understand).
    /// </summary>
    public override string ToString() => Format(null);

    /// <summary>
    /// Like <see cref="ToString"/> but with the file prefixed by <paramref name="directory"/> (as the user typed it),
    /// so the path is clickable from where the command ran: <c>samples/acme/plants/plant-03.yaml:12:9: …</c>.
    /// </summary>
    public string Format(string? directory)
    {
        var file = string.IsNullOrEmpty(directory) ? File
            : string.IsNullOrEmpty(File) ? directory
            : directory.EndsWith('/') || directory.EndsWith('\\') ? directory + File : directory + "/" + File;
        var where = file.Length == 0 ? "" : Line > 0 ? $"{file}:{Line}:{Column}: " : $"{file}: ";
        return Severity == DiagnosticSeverity.Warning ? $"{where}warning: {Message}" : where + Message;
    }
}
