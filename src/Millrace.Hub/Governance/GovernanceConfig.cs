using Millrace.Core.Config;

namespace Millrace.Hub.Governance;

/// <summary>Configuration sections contributed by governance.</summary>
public static class GovernanceConfig
{
    /// <summary>The built-in sections plus <c>schemas:</c>, then <c>rule-settings:</c> and <c>rules:</c> (resolved last, so rules see the event catalogue).</summary>
    public static ConfigSectionRegistry Sections() => Processing.Rules.RulesConfig.AddTo(AddTo(ConfigSectionRegistry.CreateDefault()));

    /// <summary>Adds the <c>schemas:</c> section to an existing registry.</summary>
    public static ConfigSectionRegistry AddTo(ConfigSectionRegistry registry) => registry.Add(() => new SchemasSection());
}
