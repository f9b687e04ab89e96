using Millrace.Core.Config;

namespace Millrace.Hub.Processing.Rules;

/// <summary>Configuration sections contributed by the rules engine.</summary>
public static class RulesConfig
{
    /// <summary>Adds <c>rule-settings:</c> and <c>rules:</c>; register after <c>plants:</c> and <c>schemas:</c>, which rules check against.</summary>
    public static ConfigSectionRegistry AddTo(ConfigSectionRegistry registry) =>
        registry.Add(() => new RuleSettingsSection()).Add(() => new RulesSection());
}
