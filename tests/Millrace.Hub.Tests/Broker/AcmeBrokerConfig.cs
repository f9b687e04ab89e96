using Millrace.Core.Config;
using Millrace.Hub.Governance;
using Millrace.Mqtt.Broker;

namespace Millrace.Hub.Tests.Broker;

/// <summary>A copy of samples/acme in a temporary folder whose <c>mqtt-broker.yaml</c> the test writes.</summary>
internal sealed class AcmeBrokerConfig : IDisposable
{
    /// <summary>Cheap hashes for tests (production hashes use 600,000 iterations).</summary>
    public static string Hash(string password) => MqttSecretHash.Create(password, 1000);

    public AcmeBrokerConfig(string mqttBrokerYaml)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Millrace.slnx"))) dir = dir.Parent;
        var source = Path.Combine(dir!.FullName, "samples", "acme");
        foreach (var file in System.IO.Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var to = Path.Combine(Directory, Path.GetRelativePath(source, file));
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }
        File.WriteAllText(Path.Combine(Directory, "mqtt-broker.yaml"), mqttBrokerYaml);
    }

    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "millrace-broker-config", Guid.NewGuid().ToString("n"));

    public ConfigLoadResult Load() => new ConfigLoader(GovernanceConfig.Sections()).LoadDirectory(Directory);

    public void Dispose()
    {
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}
