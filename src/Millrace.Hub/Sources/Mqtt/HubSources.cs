using Millrace.Core.Config;
using Millrace.Core.Model;

namespace Millrace.Hub.Sources.Mqtt;

/// <summary>
/// The configured sources a hub starts (<c>sources:</c>), with what they need beyond the telemetry catalogue: the
/// enterprise model (to check a source's <c>plants</c>/<c>lines</c> scope with <see cref="SourceDefinition.Accepts"/>)
/// and the configuration folder (relative <c>credentials: file:path</c> references are resolved against it).
/// </summary>
/// <param name="Definitions">Every source definition; disabled ones and kinds the hub does not run are skipped.</param>
/// <param name="Model">The enterprise model the catalogue was built from.</param>
/// <param name="ConfigDirectory">The configuration folder, or null.</param>
public sealed record HubSources(IReadOnlyList<SourceDefinition> Definitions, EnterpriseModel Model, string? ConfigDirectory = null)
{
    /// <summary>The <c>url</c> host of a <c>kind: mqtt</c> source that reads the hub's embedded broker in process
    /// (<c>mqtt://embedded</c>).</summary>
    public const string EmbeddedBrokerHost = "embedded";

    /// <summary>The sources of a loaded configuration.</summary>
    public static HubSources From(MillraceConfig config) => new([.. config.Sources.All], config.Model, config.Directory);
}
