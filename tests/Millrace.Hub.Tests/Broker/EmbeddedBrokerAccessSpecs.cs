using System.Text;
using System.Threading.Channels;
using Millrace.Hub.Broker;
using Millrace.Hub.Hosting;
using Millrace.Hub.Processing.Telemetry;
using Millrace.Hub.Tests.Sources;
using Millrace.Mqtt;
using Millrace.Mqtt.Client;

namespace Millrace.Hub.Tests.Broker;

/// <summary>
/// Users and per-plant namespaces of the hub's embedded broker, configured in the <c>mqtt-broker:</c> section:
/// plant-01's gateway may publish and subscribe only under <c>acme/plant-01/</c>; clients without valid credentials
/// are refused.
/// </summary>
public sealed class EmbeddedBrokerAccessSpecs : IAsyncLifetime
{
    private const string Plant01Password = "lyon-gateway-test", Plant02Password = "turin-gateway-test";
    private readonly AcmeBrokerConfig _config = new($"""
        mqtt-broker:
          users:
            - user: plant-01-gateway
              secret: {AcmeBrokerConfig.Hash(Plant01Password)}
              topics: [acme/plant-01/#]
            - user: plant-02-gateway
              secret: {AcmeBrokerConfig.Hash(Plant02Password)}
              topics: [acme/plant-02/#]
        """);
    private readonly string _data = Path.Combine(Path.GetTempPath(), "millrace-broker-access", Guid.NewGuid().ToString("n"));
    private HubHost _hub = null!;
    private readonly Channel<string> _seen = Channel.CreateUnbounded<string>();

    public async Task InitializeAsync()
    {
        var loaded = _config.Load();
        Assert.False(loaded.HasErrors, string.Join("\n", loaded.Errors.Select(e => e.Format(_config.Directory))));
        var access = loaded.Config.Get<MqttBrokerAccess>();
        Assert.NotNull(access);
        _hub = await HubHost.StartAsync(new HubOptions
        {
            Url = "http://127.0.0.1:0", DataDirectory = _data, LogPartitions = 2, MqttPort = 0, MqttAccess = access,
            LogLevel = Microsoft.Extensions.Logging.LogLevel.Warning,
        }, TelemetryCatalog.From(loaded.Config.Model));
        // Everything that reaches the broker, in order (the hub's in-process readers are trusted and see all topics).
        _hub.Broker!.SubscribeInProcess("acme/#", (m, ct) => _seen.Writer.WriteAsync(m.Topic, ct));
    }

    [Fact]
    public async Task On_5_0_plant_01_publishing_into_plant_02s_namespace_gets_PUBACK_0x87_and_nothing_is_routed()
    {
        await using var plant01 = await ConnectAsync(MqttProtocolVersion.V500, "plant-01-gateway", Plant01Password);
        var refused = await plant01.PublishAsync("acme/plant-02/assembly-1/press-01/telemetry", "[]"u8.ToArray(), MqttQualityOfService.AtLeastOnce);
        Assert.Equal(MqttReasonCode.NotAuthorized, refused.ReasonCode);
        var allowed = await plant01.PublishAsync("acme/plant-01/pack-1/filler-01/telemetry", "[]"u8.ToArray(), MqttQualityOfService.AtLeastOnce);
        Assert.True(allowed.IsSuccess);
        Assert.Equal("acme/plant-01/pack-1/filler-01/telemetry", await NextSeenAsync()); // the refused one came first, and was not routed
        Assert.Equal(1, _hub.Broker!.Metrics.Dropped);
    }

    [Fact]
    public async Task On_3_1_1_plant_01_publishing_into_plant_02s_namespace_is_acknowledged_and_silently_dropped()
    {
        await using var plant01 = await ConnectAsync(MqttProtocolVersion.V311, "plant-01-gateway", Plant01Password);
        // 3.1.1 has no negative PUBACK [MQTT-3.3.5-2]: the broker acknowledges and discards.
        Assert.True((await plant01.PublishAsync("acme/plant-02/assembly-1/press-01/telemetry", "[]"u8.ToArray(), MqttQualityOfService.AtLeastOnce)).IsSuccess);
        Assert.True((await plant01.PublishAsync("acme/plant-01/pack-1/filler-01/telemetry", "[]"u8.ToArray(), MqttQualityOfService.AtLeastOnce)).IsSuccess);
        Assert.Equal("acme/plant-01/pack-1/filler-01/telemetry", await NextSeenAsync());
        Assert.Equal(1, _hub.Broker!.Metrics.Dropped);
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V500, MqttReasonCode.NotAuthorized)]
    [InlineData(MqttProtocolVersion.V311, MqttReasonCode.UnspecifiedError)] // 3.1.1 SUBACK has one failure code, 0x80
    public async Task Plant_01_cannot_subscribe_outside_its_namespace(MqttProtocolVersion version, MqttReasonCode failure)
    {
        await using var plant01 = await ConnectAsync(version, "plant-01-gateway", Plant01Password);
        Assert.Equal(failure, await plant01.SubscribeAsync("acme/plant-02/#", MqttQualityOfService.AtLeastOnce));
        Assert.Equal(failure, await plant01.SubscribeAsync("acme/#", MqttQualityOfService.AtLeastOnce));
        Assert.Equal(failure, await plant01.SubscribeAsync("acme/+/pack-1/#", MqttQualityOfService.AtLeastOnce));
        Assert.Equal(MqttReasonCode.GrantedQoS1, await plant01.SubscribeAsync("acme/plant-01/+/+/telemetry", MqttQualityOfService.AtLeastOnce));
    }

    [Fact]
    public async Task Plant_02s_messages_reach_plant_02_and_not_plant_01()
    {
        await using var plant01 = await ConnectAsync(MqttProtocolVersion.V500, "plant-01-gateway", Plant01Password);
        await using var plant02 = await ConnectAsync(MqttProtocolVersion.V500, "plant-02-gateway", Plant02Password);
        await plant01.SubscribeAsync("acme/plant-01/#", MqttQualityOfService.AtLeastOnce);
        await plant02.SubscribeAsync("acme/plant-02/#", MqttQualityOfService.AtLeastOnce);
        await plant02.PublishAsync("acme/plant-02/assembly-1/press-01/telemetry", "p2"u8.ToArray(), MqttQualityOfService.AtLeastOnce);
        await plant01.PublishAsync("acme/plant-01/pack-1/filler-01/telemetry", "p1"u8.ToArray(), MqttQualityOfService.AtLeastOnce);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        Assert.Equal("p2", (await plant02.ReceiveAsync(timeout.Token)).PayloadAsString());
        Assert.Equal("p1", (await plant01.ReceiveAsync(timeout.Token)).PayloadAsString()); // plant-01's first message is its own
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V500, null, null, MqttReasonCode.NotAuthorized)]
    [InlineData(MqttProtocolVersion.V500, "plant-01-gateway", "wrong", MqttReasonCode.BadUserNameOrPassword)]
    [InlineData(MqttProtocolVersion.V311, null, null, MqttReasonCode.NotAuthorized)]
    [InlineData(MqttProtocolVersion.V311, "nobody", "x", MqttReasonCode.BadUserNameOrPassword)]
    public async Task A_client_without_valid_credentials_is_refused(MqttProtocolVersion version, string? user, string? password, MqttReasonCode expected)
    {
        var e = await Assert.ThrowsAsync<MqttConnectException>(async () => { await using var c = await ConnectAsync(version, user, password); });
        Assert.Equal(expected, e.ReasonCode);
    }

    [Fact]
    public async Task Mosquitto_pub_with_plant_01_credentials_is_refused_outside_its_namespace_on_5_0()
    {
        int port = _hub.Broker!.Endpoint!.Port;
        var refused = await MosquittoCli.RunAsync("mosquitto_pub", port, 20,
            ["-V", "mqttv5", "-u", "plant-01-gateway", "-P", Plant01Password, "-q", "1", "-t", "acme/plant-02/x/y/telemetry", "-m", "[]"]);
        var allowed = await MosquittoCli.RunAsync("mosquitto_pub", port, 20,
            ["-V", "mqttv5", "-u", "plant-01-gateway", "-P", Plant01Password, "-q", "1", "-t", "acme/plant-01/x/y/telemetry", "-m", "[]"]);
        Assert.True(allowed.ExitCode == 0, allowed.Error);
        Assert.Equal("acme/plant-01/x/y/telemetry", await NextSeenAsync());
        Assert.Equal(1, _hub.Broker.Metrics.Dropped);
        _ = refused; // mosquitto_pub 2.0.11 reports the 0x87 PUBACK on stderr but exits 0; the broker's count is the proof
    }

    private async Task<MqttClient> ConnectAsync(MqttProtocolVersion version, string? user, string? password)
    {
        var client = new MqttClient(new MqttClientOptions
        {
            Port = _hub.Broker!.Endpoint!.Port, ClientId = "c-" + Guid.NewGuid().ToString("n")[..10], ProtocolVersion = version,
            UserName = user, Password = password is null ? (ReadOnlyMemory<byte>?)null : Encoding.UTF8.GetBytes(password),
            Reconnect = new MqttReconnectPolicy { Enabled = false },
        });
        try
        {
            await client.ConnectAsync();
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
        return client;
    }

    private async Task<string> NextSeenAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await _seen.Reader.ReadAsync(timeout.Token);
    }

    public async Task DisposeAsync()
    {
        await _hub.DisposeAsync();
        _config.Dispose();
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { }
    }
}
