using Millrace.Core.Config;
using Millrace.Hub.Connectors.Configuration;
using Millrace.Sandbox;

namespace Millrace.Cli.Commands;

/// <summary>
/// The demo's enterprise: when connectors point at <c>sandbox://…</c> and no sandbox is named by
/// <see cref="ConnectorEnvironment.SandboxUrlVariable"/>, the sandbox systems start in this process on a free port and
/// the variable is set to it, so every connector the hub creates (<see cref="ConnectorEnvironment.ResolveUrl"/>) reaches
/// them — the demo needs nothing installed.
/// </summary>
internal static class DemoSandbox
{
    /// <summary>The started sandbox, or null when none is needed (or one is already named).</summary>
    public static async Task<RunningSandbox?> StartIfNeededAsync(MillraceConfig config, CancellationToken cancellationToken)
    {
        var connectors = config.Get<ConfigCatalog<ConnectorDefinition>>();
        if (connectors is null || !connectors.All.Any(c => c.Url.StartsWith("sandbox://", StringComparison.Ordinal))) return null;
        if (Environment.GetEnvironmentVariable(ConnectorEnvironment.SandboxUrlVariable) is { Length: > 0 }) return null;
        var sandbox = await SandboxSystems.StartAsync(new SandboxOptions(), cancellationToken).ConfigureAwait(false);
        Environment.SetEnvironmentVariable(ConnectorEnvironment.SandboxUrlVariable, sandbox.BaseAddress.ToString());
        return sandbox;
    }
}
