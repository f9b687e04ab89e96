using System.Collections.Immutable;
using Millrace.Core.Units;

namespace Millrace.Core.Config;

/// <summary>
/// Loads configuration-as-code: every <c>*.yaml</c> / <c>*.yml</c> file under a directory (recursively, hidden
/// files and folders skipped) in ordinal order of their relative paths. Each file holds top-level sections
/// handled by the <see cref="ConfigSectionRegistry"/>. Loading never throws for bad input and never stops at the
/// first problem: every problem becomes a <see cref="ConfigDiagnostic"/> with file, line and column.
/// </summary>
public sealed class ConfigLoader
{
    /// <summary>Files larger than this are refused (configuration, not data).</summary>
    public const long MaxFileBytes = 16 * 1024 * 1024;

    private readonly ConfigSectionRegistry _sections;
    private readonly UnitCatalog _units;

    /// <summary>A loader for the given sections (default: <see cref="ConfigSectionRegistry.CreateDefault"/>).</summary>
    public ConfigLoader(ConfigSectionRegistry? sections = null, UnitCatalog? units = null)
    {
        _sections = sections ?? ConfigSectionRegistry.CreateDefault();
        _units = units ?? UnitCatalog.Default;
    }

    /// <summary>Loads <paramref name="directory"/> with the built-in sections.</summary>
    public static ConfigLoadResult Load(string directory) => new ConfigLoader().LoadDirectory(directory);

    /// <summary>Loads every YAML file under <paramref name="directory"/>.</summary>
    public ConfigLoadResult LoadDirectory(string directory)
    {
        var diagnostics = new List<ConfigDiagnostic>();
        string root;
        try
        {
            root = Path.GetFullPath(directory);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return Fail(directory, $"invalid configuration directory '{directory}': {ex.Message}");
        }
        if (!System.IO.Directory.Exists(root))
            return Fail(directory, File.Exists(root)
                ? $"'{directory}' is a file; give the configuration directory"
                : $"configuration directory '{directory}' does not exist");

        var files = new List<ConfigFile>();
        List<string> paths;
        try
        {
            paths = EnumerateYaml(root).ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Fail(directory, $"cannot list '{directory}': {ex.Message}");
        }
        foreach (var relative in paths)
        {
            try
            {
                var full = Path.Combine(root, relative);
                if (new FileInfo(full).Length > MaxFileBytes)
                {
                    diagnostics.Add(new ConfigDiagnostic(relative, 0, 0, DiagnosticSeverity.Error, $"file is larger than {MaxFileBytes / (1024 * 1024)} MiB"));
                    continue;
                }
                files.Add(new ConfigFile(relative, File.ReadAllText(full)));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                diagnostics.Add(new ConfigDiagnostic(relative, 0, 0, DiagnosticSeverity.Error, $"cannot read file: {ex.Message}"));
            }
        }
        if (paths.Count == 0)
            diagnostics.Add(new ConfigDiagnostic("", 0, 0, DiagnosticSeverity.Error, $"no *.yaml or *.yml files in '{directory}'"));
        return Load(files, diagnostics, root);
    }

    /// <summary>Loads in-memory files (paths as they should appear in diagnostics).</summary>
    public ConfigLoadResult LoadFiles(IEnumerable<ConfigFile> files) => Load([.. files.OrderBy(f => f.Path, StringComparer.Ordinal)], [], null);

    private ConfigLoadResult Load(List<ConfigFile> files, List<ConfigDiagnostic> diagnostics, string? root)
    {
        var context = new ConfigContext(_units, diagnostics, files.Select(f => f.Path).ToList(), root);
        var sections = _sections.Instantiate();
        var byKey = sections.ToDictionary(s => s.Key, StringComparer.Ordinal);

        foreach (var file in files)
        {
            foreach (var document in YamlTreeReader.Read(file.Path, file.Text, diagnostics))
            {
                if (document is ConfigScalar { IsNull: true }) continue; // empty document
                if (document is not ConfigMapping top)
                {
                    context.Error(document, $"expected a mapping of top-level sections ({string.Join(", ", byKey.Keys.Select(k => k + ":"))}), got {document.Describe()}");
                    continue;
                }
                foreach (var entry in top.Entries)
                {
                    if (!byKey.TryGetValue(entry.Key.Value, out var section))
                    {
                        var suggestion = NameSuggester.Suggest(entry.Key.Value, byKey.Keys);
                        context.Error(entry.Key, suggestion is null
                            ? $"unknown top-level section '{entry.Key.Value}' (known: {string.Join(", ", byKey.Keys)})"
                            : $"unknown top-level section '{entry.Key.Value}'; did you mean '{suggestion}'?");
                        continue;
                    }
                    Guard(context, entry.Key.Location, section.Key, () => section.Read(entry.Value, context));
                }
            }
        }
        foreach (var section in sections)
            Guard(context, SourceLocation.StartOf(files.FirstOrDefault()?.Path ?? ""), section.Key, () => section.Resolve(context));

        // Distinct: a node reached twice through an alias is checked twice but is one mistake.
        var sorted = diagnostics
            .Distinct()
            .Select((d, i) => (d, i))
            .OrderBy(x => x.d.File, StringComparer.Ordinal).ThenBy(x => x.d.Line).ThenBy(x => x.d.Column).ThenBy(x => x.i)
            .Select(x => x.d)
            .ToImmutableArray();
        return new ConfigLoadResult(new MillraceConfig(root, context.Results), sorted);
    }

    // A defect in a section must not take the validator down with it: report it where it happened.
    private static void Guard(ConfigContext context, SourceLocation at, string key, Action action)
    {
        try
        {
            action();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            context.Error(at, $"internal error in section '{key}': {ex.GetType().Name}: {ex.Message}");
        }
    }

    private ConfigLoadResult Fail(string directory, string message)
    {
        var diagnostics = new List<ConfigDiagnostic> { new("", 0, 0, DiagnosticSeverity.Error, message) };
        return Load([], diagnostics, null);
    }

    private static IEnumerable<string> EnumerateYaml(string root)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.Hidden, IgnoreInaccessible = false };
        return System.IO.Directory.EnumerateFiles(root, "*", options)
            .Where(p => p.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || p.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
            .Select(p => Path.GetRelativePath(root, p).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(rel => !rel.Split('/').Any(segment => segment.StartsWith('.')))
            .OrderBy(rel => rel, StringComparer.Ordinal);
    }
}
