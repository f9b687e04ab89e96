using System.Text;
using System.Threading.Channels;
using Millrace.Mqtt.Broker;

namespace Millrace.Mqtt.Tests.Broker;

/// <summary>The Eclipse Mosquitto command-line clients (apt package mosquitto-clients) against our broker.</summary>
public sealed class MosquittoInteropTests
{
    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        foreach (var v in new[] { "mqttv311", "mqttv5" })
            for (int q = 0; q <= 2; q++) data.Add(v, q);
        return data;
    }

    private static string[] Common(MqttBroker broker, string version) => ["-h", "127.0.0.1", "-p", broker.Endpoint!.Port.ToString(), "-V", version];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task mosquitto_pub_reaches_mosquitto_sub_through_our_broker(string version, int qos)
    {
        await using var broker = await TestBroker.StartAsync();
        await using var sub = PeerProcess.Start("mosquitto_sub", [.. Common(broker, version), "-t", "acme/+/temp", "-q", qos.ToString(), "-C", "1", "-v", "-i", "msub"]);
        // Publish until the subscriber got one (it may not have subscribed yet); bounded.
        for (int i = 0; i < 50 && !sub.HasExited; i++)
        {
            var (code, _, errors) = await PeerProcess.RunAsync("mosquitto_pub", [.. Common(broker, version), "-t", "acme/plant-03/temp", "-m", "21.5", "-q", qos.ToString()]);
            Assert.True(code == 0, $"mosquitto_pub failed: {errors}");
            await Task.Delay(100);
        }
        Assert.Equal(0, await sub.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal("acme/plant-03/temp 21.5", sub.Output.Trim());
    }

    [Theory]
    [InlineData("mqttv311")]
    [InlineData("mqttv5")]
    public async Task A_retained_message_from_mosquitto_pub_reaches_a_later_mosquitto_sub(string version)
    {
        await using var broker = await TestBroker.StartAsync();
        var (code, _, errors) = await PeerProcess.RunAsync("mosquitto_pub", [.. Common(broker, version), "-t", "line/state", "-m", "running", "-r", "-q", "1"]);
        Assert.True(code == 0, errors);
        var (subCode, output, subErrors) = await PeerProcess.RunAsync("mosquitto_sub", [.. Common(broker, version), "-t", "line/#", "-C", "1", "-v", "-W", "10"]);
        Assert.True(subCode == 0, subErrors);
        Assert.Equal("line/state running", output.Trim());
    }

    [Theory]
    [InlineData("mqttv311")]
    [InlineData("mqttv5")]
    public async Task The_will_of_a_killed_mosquitto_sub_is_published(string version)
    {
        await using var broker = await TestBroker.StartAsync();
        var wills = Channel.CreateUnbounded<string>();
        await using var watch = broker.SubscribeInProcess("status/#", (m, _) => wills.Writer.WriteAsync($"{m.Topic} {Encoding.UTF8.GetString(m.Payload.Span)} {m.QoS}"));
        await using (var doomed = PeerProcess.Start("mosquitto_sub", [.. Common(broker, version), "-t", "x", "-i", "doomed", "-k", "60",
            "--will-topic", "status/doomed", "--will-payload", "lost", "--will-qos", "1"]))
        {
            await TestBroker.EventuallyAsync(() => broker.HasSession("doomed"), "mosquitto_sub connected");
            doomed.Kill();
        }
        using var cts = new CancellationTokenSource(RawMqttClient.Wait);
        Assert.Equal("status/doomed lost AtLeastOnce", await wills.Reader.ReadAsync(cts.Token));
    }

    [Theory]
    [InlineData("mqttv311")]
    [InlineData("mqttv5")]
    public async Task A_mosquitto_sub_persistent_session_resumes_across_a_broker_restart(string version)
    {
        var store = new MqttInMemorySessionStore();
        string[] session = ["-t", "orders/#", "-q", "1", "-c", "-i", "mosq-line-7", .. version == "mqttv5" ? new[] { "-x", "3600" } : []];
        await using (var broker = await TestBroker.StartAsync(new MqttBrokerOptions { SessionStore = store }))
        {
            var (code, _, errors) = await PeerProcess.RunAsync("mosquitto_sub", [.. Common(broker, version), .. session, "-E"]); // subscribe, then leave
            Assert.True(code == 0, errors);
            await TestBroker.EventuallyAsync(() => broker.Metrics.Connections == 0, "mosquitto_sub left");
            broker.PublishInProcess("orders/1", "queued while offline"u8, MqttQualityOfService.AtLeastOnce);
        }
        await using var restarted = await TestBroker.StartAsync(new MqttBrokerOptions { SessionStore = store });
        var (subCode, output, subErrors) = await PeerProcess.RunAsync("mosquitto_sub", [.. Common(restarted, version), .. session, "-C", "1", "-v", "-W", "10"]);
        Assert.True(subCode == 0, subErrors + output);
        Assert.Equal("orders/1 queued while offline", output.Trim());
    }
}
