using Millrace.Mqtt.Tests.Peers;

namespace Millrace.Mqtt.Tests.Client;

/// <summary>One mosquitto shared by the tests of a class (each test uses its own topics and client ids).</summary>
public sealed class MosquittoFixture : IAsyncLifetime
{
    internal MosquittoBroker Broker { get; private set; } = null!;

    public async Task InitializeAsync() => Broker = await MosquittoBroker.StartAsync();

    public async Task DisposeAsync() => await Broker.DisposeAsync();
}
