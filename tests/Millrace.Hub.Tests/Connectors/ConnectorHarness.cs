using System.Text.Json;
using Millrace.Core.Config;
using Millrace.Hub.Connectors;
using Millrace.Hub.Connectors.Configuration;
using Millrace.Hub.Governance;
using Millrace.Sandbox;

namespace Millrace.Hub.Tests.Connectors;

/// <summary>A manual clock: time moves only when a test says so.</summary>
internal sealed class ManualTime(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}

/// <summary>Loads connector configuration from a real folder and builds connectors against a real sandbox.</summary>
internal static class ConnectorHarness
{
    public static readonly string Root = FindRoot();

    public static string AcmeConnectorsYaml => File.ReadAllText(Path.Combine(Root, "samples", "acme", "connectors.yaml"));

    /// <summary>Loads a folder holding <paramref name="yaml"/> as connectors.yaml with the hub's sections.</summary>
    public static ConfigLoadResult Load(string yaml)
    {
        var dir = Path.Combine(Path.GetTempPath(), "millrace-connectors", Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(dir);
        try
        {
            File.WriteAllText(Path.Combine(dir, "enterprise.yaml"), "enterprise:\n  id: acme\n  name: Acme\n");
            File.WriteAllText(Path.Combine(dir, "connectors.yaml"), yaml);
            return new ConfigLoader(GovernanceConfig.Sections()).LoadDirectory(dir);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    public static ConfigCatalog<ConnectorDefinition> Catalog(string yaml)
    {
        var result = Load(yaml);
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        return result.Config.Get<ConfigCatalog<ConnectorDefinition>>()!;
    }

    public static ConnectorSet Connectors(string yaml, RunningSandbox sandbox, TimeProvider? time = null)
        => ConnectorSet.Create(Catalog(yaml), new ConnectorEnvironment { SandboxAddress = sandbox.BaseAddress, Time = time ?? TimeProvider.System });

    public static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement;

    public static ConnectorCall Call(string operation, string input, string? key = null)
        => new(operation, Json(input), key ?? Guid.NewGuid().ToString("n"), "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");

    private static string FindRoot()
    {
        var dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "Millrace.slnx"))) dir = Path.GetDirectoryName(dir);
        return dir ?? throw new InvalidOperationException("repository root not found");
    }
}
