using Millrace.Core.Config;
using Millrace.Hub.Governance;

namespace Millrace.Hub.Tests.Governance;

/// <summary>The shipped samples/acme configuration's <c>schemas:</c> entries (read in place; nothing is written there).</summary>
internal static class AcmeCatalogue
{
    public static readonly string Root = FindRoot();

    public static IReadOnlyList<SchemaDefinition> Load()
    {
        var result = new ConfigLoader(GovernanceConfig.Sections()).LoadDirectory(Path.Combine(Root, "samples", "acme"));
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        return result.Config.Get<ConfigCatalog<SchemaDefinition>>()!.All;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Millrace.slnx"))) return dir.FullName;
        throw new InvalidOperationException("Millrace.slnx not found above " + AppContext.BaseDirectory);
    }
}
