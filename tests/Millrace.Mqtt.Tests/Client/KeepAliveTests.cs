using System.Net;
using System.Net.Sockets;
using Millrace.Mqtt.Client;
using static Millrace.Mqtt.Tests.Client.ClientTestSupport;

namespace Millrace.Mqtt.Tests.Client;

/// <summary>Keep-alive: PINGREQ when idle, and a silent server is detected.</summary>
public sealed class KeepAliveTests(MosquittoFixture fixture) : IClassFixture<MosquittoFixture>
{
    [Fact]
    public async Task An_idle_connection_is_kept_alive_with_pings()
    {
        await using var client = await ConnectAsync(Options(fixture.Broker, MqttProtocolVersion.V500) with { KeepAlive = TimeSpan.FromSeconds(1) });
        await EventuallyAsync(() => client.PingResponseCount >= 2, "two PINGRESP");
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task A_server_that_stops_answering_is_declared_dead_by_the_ping_timeout()
    {
        // A fake server: accepts CONNECT, answers CONNACK, then reads and ignores everything (no PINGRESP).
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var stop = new CancellationTokenSource(Bound);
        var server = Task.Run(async () =>
        {
            using var socket = await listener.AcceptSocketAsync(stop.Token);
            var buffer = new byte[1024];
            await socket.ReceiveAsync(buffer, stop.Token);                   // CONNECT
            await socket.SendAsync(new byte[] { 0x20, 0x02, 0x00, 0x00 }, stop.Token); // CONNACK accepted (3.1.1)
            try { while (await socket.ReceiveAsync(buffer, stop.Token) > 0) { } } catch (OperationCanceledException) { }
        });

        var lost = new TaskCompletionSource<MqttDisconnectedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var client = new MqttClient(new MqttClientOptions
        {
            Port = port, ClientId = "silent", ProtocolVersion = MqttProtocolVersion.V311,
            KeepAlive = TimeSpan.FromSeconds(1), PingTimeout = TimeSpan.FromSeconds(1), Reconnect = MqttReconnectPolicy.Disabled,
        });
        client.Disconnected += (_, e) => lost.TrySetResult(e);
        await client.ConnectAsync();

        var disconnected = await lost.Task.WaitAsync(Bound);
        Assert.Contains("Keep-alive timeout", disconnected.Exception?.Message);
        Assert.False(client.IsConnected);
        stop.Cancel();
        await server.WaitAsync(Bound).ContinueWith(_ => { });
    }
}
