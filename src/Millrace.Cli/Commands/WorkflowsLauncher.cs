using Millrace.Core.Config;
using Millrace.Hub.Connectors;
using Millrace.Hub.Connectors.Configuration;
using Millrace.Hub.Hosting;
using Millrace.Hub.Workflows.Definitions;

namespace Millrace.Cli.Commands;

/// <summary>The workflows of a configuration with the connectors of its <c>connectors:</c> section, for the hub.</summary>
internal static class WorkflowsLauncher
{
    /// <summary>
    /// The <c>workflows:</c> section with its connectors, or null when there are none — or when the connectors cannot
    /// be created (a <c>sandbox://</c> URL with no sandbox running: <c>millrace run</c> without MILLRACE_SANDBOX_URL),
    /// which is said on stderr and leaves the hub running without workflows.
    /// </summary>
    public static HubWorkflows? From(ConfigLoadResult config, Uri? sandbox)
    {
        if (config.Config.Get<WorkflowCatalog>() is not { Definitions.Count: > 0 } workflows) return null;
        if (config.Config.Get<ConfigCatalog<ConnectorDefinition>>() is not { } catalog)
        {
            Console.Error.WriteLine("workflows are configured but no connectors: the hub runs without workflows");
            return null;
        }
        var environment = new ConnectorEnvironment { SandboxAddress = sandbox };
        try
        {
            // created once here to say now (not from inside the hub) when they cannot be; the hub creates them again
            // with its meter scope, so the connectors' meters are in its /metrics
            ConnectorSet.Create(catalog, environment).DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        catch (InvalidOperationException e)
        {
            Console.Error.WriteLine($"workflows not started: {e.Message}");
            return null;
        }
        return new HubWorkflows(workflows.Definitions, new Dictionary<string, IConnector>())
        {
            CreateConnectors = scope => ConnectorSet.Create(catalog, environment with { MeterScope = scope }),
        };
    }
}
