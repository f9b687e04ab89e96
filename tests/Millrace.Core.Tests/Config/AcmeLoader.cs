using Millrace.Core.Config;

namespace Millrace.Core.Tests.Config;

/// <summary>
/// Loads samples/acme as Core sees it. The sample also holds sections that higher layers own and validate
/// (<c>schemas:</c>, <c>business-rules:</c>, <c>mqtt-broker:</c>, <c>rule-settings:</c> and <c>rules:</c>, checked by the hub and its tests); Core accepts them unread, as the CLI's
/// loader would with the governance sections registered.
/// </summary>
internal static class AcmeLoader
{
    private static readonly string[] HigherLayerSections = ["schemas", "business-rules", "mqtt-broker", "rule-settings", "rules", "connectors", "workflows", "api-identity", "api-clients", "apis"];

    public static ConfigLoadResult Load(string directory)
    {
        var sections = ConfigSectionRegistry.CreateDefault();
        foreach (var key in HigherLayerSections) sections.Add(() => new OwnedElsewhere(key));
        return new ConfigLoader(sections).LoadDirectory(directory);
    }

    private sealed class OwnedElsewhere(string key) : ConfigSection
    {
        public override string Key => key;

        public override void Read(ConfigNode value, ConfigContext context)
        {
        }
    }
}
