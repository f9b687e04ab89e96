using Millrace.Core.Config;

namespace Millrace.Hub.Governance;

/// <summary>Configuration sections contributed by governance.</summary>
public static class GovernanceConfig
{
    /// <summary>The built-in sections plus <c>schemas:</c> (resolved last).</summary>
    public static ConfigSectionRegistry Sections() => AddTo(ConfigSectionRegistry.CreateDefault());

    /// <summary>Adds the <c>schemas:</c> section to an existing registry.</summary>
    public static ConfigSectionRegistry AddTo(ConfigSectionRegistry registry) => registry.Add(() => new SchemasSection());
}
