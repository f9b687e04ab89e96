using Millrace.Core.Config;

namespace Millrace.Hub.Governance;

/// <summary>Configuration sections contributed by governance.</summary>
public static class GovernanceConfig
{
    /// <summary>The built-in sections plus <c>schemas:</c> and <c>business-rules:</c> (resolved last, in that order).</summary>
    public static ConfigSectionRegistry Sections() => AddTo(ConfigSectionRegistry.CreateDefault());

    /// <summary>Adds the <c>schemas:</c> and <c>business-rules:</c> sections to an existing registry.</summary>
    public static ConfigSectionRegistry AddTo(ConfigSectionRegistry registry) =>
        registry.Add(() => new SchemasSection()).Add(() => new Rules.BusinessRulesSection());
}
