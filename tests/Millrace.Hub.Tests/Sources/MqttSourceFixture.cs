using System.Collections.Immutable;
using System.Text;
using Millrace.Core.Config;
using Millrace.Core.Model;
using Millrace.Hub.Hosting;
using Millrace.Hub.Processing.Telemetry;
using Millrace.Hub.Sources.Mqtt;
using Millrace.Mqtt;
using Millrace.Mqtt.Client;

namespace Millrace.Hub.Tests.Sources;

/// <summary>
/// A real hub with the Acme model (samples/acme), the embedded broker on a free loopback port, and the given
/// <c>kind: mqtt</c> sources; plus a publishing <see cref="MqttClient"/> connected to that broker over TCP.
/// </summary>
public sealed class MqttSourceFixture : IAsyncDisposable
{
    public const string Template = "acme/{plant}/{line}/{asset}/telemetry";
    private static readonly Lazy<EnterpriseModel> AcmeModel = new(LoadAcme);

    private MqttSourceFixture(HubHost hub, MqttClient publisher, string dir)
    {
        Hub = hub;
        Publisher = publisher;
        Directory = dir;
    }

    public HubHost Hub { get; }
    public MqttClient Publisher { get; }
    public string Directory { get; }
    public static EnterpriseModel Model => AcmeModel.Value;

    /// <summary>An embedded-broker source reading <c>acme/#</c> with the Acme template, optionally scoped to plants.</summary>
    public static MqttSourceDefinition Source(string id, string url = "mqtt://embedded", params string[] plants)
    {
        Assert.True(TopicTemplate.TryParse(Template, requirePlant: true, out var template, out var error, out _), error);
        return new MqttSourceDefinition(id, new Uri(url), ["acme/#"], template) { Plants = [.. plants] };
    }

    public static Task<MqttSourceFixture> StartAsync(params MqttSourceDefinition[] sources) => StartAsync(null, sources);

    public static async Task<MqttSourceFixture> StartAsync(string? configDirectory, params MqttSourceDefinition[] sources)
    {
        string dir = Path.Combine(Path.GetTempPath(), "millrace-hub-tests", Guid.NewGuid().ToString("n"));
        var hub = await HubHost.StartAsync(new HubOptions
        {
            Url = "http://127.0.0.1:0",
            DataDirectory = dir,
            LogPartitions = 4,
            MqttPort = 0,
            LogLevel = Microsoft.Extensions.Logging.LogLevel.Warning,
        }, TelemetryCatalog.From(Model), sources: new HubSources(sources, Model, configDirectory),
            schemas: HubFixture.AcmeGovernance.Schemas, businessRules: HubFixture.AcmeGovernance.Rules);
        var publisher = new MqttClient(new MqttClientOptions { Port = hub.Broker!.Endpoint!.Port, ClientId = "test-publisher" });
        await publisher.ConnectAsync();
        return new MqttSourceFixture(hub, publisher, dir);
    }

    /// <summary>A numeric signal of the first asset of <paramref name="plant"/> that has one.</summary>
    public static AssetSignal NumericSignal(string plant)
        => Model.Signals.First(s => s.Asset.SiteId == plant && s.Definition.Kind != SignalKind.State && s.Asset.LineId is not null);

    public static string TopicOf(Equipment asset) => "acme/" + asset.Id + "/telemetry";

    public Task PublishAsync(string topic, string json)
        => Publisher.PublishAsync(topic, Encoding.UTF8.GetBytes(json), MqttQualityOfService.AtLeastOnce);

    /// <summary>
    /// Publishes retained: a subscriber whose SUBSCRIBE arrives later still gets it, so a test need not guess when
    /// another client's subscription has reached the broker.
    /// </summary>
    public Task PublishRetainedAsync(string topic, string json)
        => Publisher.PublishAsync(topic, Encoding.UTF8.GetBytes(json), MqttQualityOfService.AtLeastOnce, retain: true);

    /// <summary>Waits (bounded) until the pipeline has processed at least <paramref name="count"/> samples.</summary>
    public async Task WaitProcessedAsync(long count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Hub.Pipeline.Processed < count && DateTime.UtcNow < deadline) await Task.Delay(10);
        Assert.True(Hub.Pipeline.Processed >= count, $"processed {Hub.Pipeline.Processed} of {count} samples");
    }

    /// <summary>Waits (bounded) until <paramref name="source"/> has at least <paramref name="count"/> dead letters.</summary>
    public async Task<IReadOnlyList<Millrace.Hub.DeadLetters.DeadLetter>> WaitDeadLettersAsync(string source, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            var letters = await Hub.DeadLetters.ListAsync(100, source);
            if (letters.Count >= count) return letters;
            await Task.Delay(20);
        }
        var last = await Hub.DeadLetters.ListAsync(100, source);
        Assert.Fail($"source {source} has {last.Count} of {count} dead letters");
        return last;
    }

    public async ValueTask DisposeAsync()
    {
        await Publisher.DisposeAsync();
        await Hub.DisposeAsync();
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }

    private static EnterpriseModel LoadAcme()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Millrace.slnx"))) dir = dir.Parent;
        if (dir is null) throw new InvalidOperationException("Millrace.slnx not found above " + AppContext.BaseDirectory);
        var loaded = ConfigLoader.Load(Path.Combine(dir.FullName, "samples", "acme"));
        return loaded.Config.Model;
    }
}
