using Millrace.Core.Config;

namespace Millrace.Cli.Commands;

/// <summary>Finds and loads the configuration folder, printing every diagnostic as <c>file:line:col: message</c>.</summary>
internal static class ConfigLocator
{
    /// <summary>The demo enterprise: <c>samples/acme</c> under the working folder, else the copy shipped beside the binary.</summary>
    public static string DefaultDirectory()
    {
        string local = Path.Combine(Environment.CurrentDirectory, "samples", "acme");
        if (Directory.Exists(local)) return local;
        return Path.Combine(AppContext.BaseDirectory, "samples", "acme");
    }

    /// <summary>Loads <paramref name="directory"/>; null (after printing why) when it is missing or invalid.</summary>
    public static ConfigLoadResult? Load(string directory, TextWriter errors)
    {
        if (!Directory.Exists(directory))
        {
            errors.WriteLine($"{directory}: error: no such configuration folder");
            return null;
        }
        var result = new ConfigLoader(Millrace.Hub.Governance.GovernanceConfig.Sections()).LoadDirectory(directory);
        foreach (var diagnostic in result.Diagnostics) errors.WriteLine(diagnostic.Format(directory));
        if (result.HasErrors)
        {
            errors.WriteLine($"{result.Errors.Count()} error(s) in {directory}");
            return null;
        }
        return result;
    }
}
