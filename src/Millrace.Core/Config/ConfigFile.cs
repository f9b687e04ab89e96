namespace Millrace.Core.Config;

/// <summary>One configuration file given in memory (for validating uploads or tests).</summary>
/// <param name="Path">Path relative to the configuration root, '/' separators; used in diagnostics.</param>
/// <param name="Text">The YAML text.</param>
public sealed record ConfigFile(string Path, string Text);
