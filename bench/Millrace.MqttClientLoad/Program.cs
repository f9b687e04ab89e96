// Receive rate of the Millrace MQTT client from mosquitto, with mosquitto_sub as the reference in the same run.
//
// Both consumers drain the same backlog: each has a persistent session subscribed to the topic, the messages are
// published while both are offline (mosquitto queues them for each session), then each consumer connects alone and
// the time until it has received every message is measured. The publisher's speed therefore does not enter the result.
//
// dotnet run -c Release --project bench/Millrace.MqttClientLoad -- [--messages 200000] [--payload 64] [--runs 3]
using System.Diagnostics;
using Millrace.Mqtt;
using Millrace.Mqtt.Client;
using Millrace.MqttClientLoad;

int messages = Arg("--messages", 200_000), payloadSize = Arg("--payload", 64), runs = Arg("--runs", 3);
const string Topic = "bench/line-1/telemetry";

Console.WriteLine($"mosquitto {await VersionAsync()}, .NET {Environment.Version}, {Environment.ProcessorCount} cores");
Console.WriteLine($"{messages:N0} messages of {payloadSize} B per drain, {runs} runs per case");
await using var broker = await MosquittoProcess.StartAsync();

foreach (var version in new[] { MqttProtocolVersion.V311, MqttProtocolVersion.V500 })
foreach (var qos in new[] { MqttQualityOfService.AtMostOnce, MqttQualityOfService.AtLeastOnce })
{
    var reference = new List<double>();
    var ours = new List<double>();
    for (int run = 0; run < runs; run++)
    {
        string refId = $"ref-{version}-{qos}-{run}", ourId = $"ours-{version}-{qos}-{run}";
        await CreateSessionAsync(refId, version, qos);
        await CreateSessionAsync(ourId, version, qos);
        await PublishBacklogAsync(version);
        // Alternate who drains first, so neither always meets a warmer broker.
        if (run % 2 == 0)
        {
            reference.Add(await DrainWithMosquittoSubAsync(refId, version, qos));
            ours.Add(await DrainWithMillraceAsync(ourId, version));
        }
        else
        {
            ours.Add(await DrainWithMillraceAsync(ourId, version));
            reference.Add(await DrainWithMosquittoSubAsync(refId, version, qos));
        }
    }
    double refMedian = Median(reference), ourMedian = Median(ours);
    Console.WriteLine($"{(version == MqttProtocolVersion.V500 ? "5.0" : "3.1.1"),-5} QoS {(int)qos}: mosquitto_sub {refMedian,10:N0} msg/s  " +
        $"millrace {ourMedian,10:N0} msg/s  ratio {ourMedian / refMedian:P0}   " +
        $"(runs ref [{string.Join(", ", reference.Select(r => r.ToString("N0")))}], ours [{string.Join(", ", ours.Select(r => r.ToString("N0")))}])");
}

async Task CreateSessionAsync(string clientId, MqttProtocolVersion version, MqttQualityOfService qos)
{
    await using var client = new MqttClient(Options(clientId, version));
    await client.ConnectAsync();
    await client.SubscribeAsync(Topic, qos);
}

async Task PublishBacklogAsync(MqttProtocolVersion version)
{
    await using var publisher = new MqttClient(Options("publisher", version) with { CleanStart = true, SessionExpiryInterval = 0 });
    await publisher.ConnectAsync();
    var payload = new byte[payloadSize];
    var pending = new List<Task>(1024);
    for (int i = 0; i < messages; i++)
    {
        pending.Add(publisher.PublishAsync(Topic, payload, MqttQualityOfService.AtLeastOnce));
        if (pending.Count == 1024)
        {
            await Task.WhenAll(pending);
            pending.Clear();
        }
    }
    await Task.WhenAll(pending);
}

async Task<double> DrainWithMosquittoSubAsync(string clientId, MqttProtocolVersion version, MqttQualityOfService qos)
{
    string v = version == MqttProtocolVersion.V500 ? "mqttv5" : "mqttv311";
    var watch = Stopwatch.StartNew();
    using var sub = Process.Start(new ProcessStartInfo("/bin/sh")
    {
        ArgumentList = { "-c", $"exec /usr/bin/mosquitto_sub -h 127.0.0.1 -p {broker.Port} -V {v} -i {clientId} -c -q {(int)qos} -t {Topic} -C {messages} -W 300 > /dev/null" },
        UseShellExecute = false,
    })!;
    await sub.WaitForExitAsync();
    watch.Stop();
    if (sub.ExitCode != 0) throw new InvalidOperationException($"mosquitto_sub exited with {sub.ExitCode}");
    return messages / watch.Elapsed.TotalSeconds;
}

async Task<double> DrainWithMillraceAsync(string clientId, MqttProtocolVersion version)
{
    var watch = Stopwatch.StartNew();
    await using var client = new MqttClient(Options(clientId, version));
    var connect = await client.ConnectAsync();
    if (!connect.SessionPresent) throw new InvalidOperationException("the session with the backlog was not found");
    long bytes = 0;
    int count = 0;
    await foreach (var message in client.Messages)
    {
        bytes += message.Payload.Length;
        if (++count == messages) break;
    }
    watch.Stop();
    return messages / watch.Elapsed.TotalSeconds;
}

MqttClientOptions Options(string clientId, MqttProtocolVersion version) => new()
{
    Port = broker.Port, ClientId = clientId, ProtocolVersion = version, CleanStart = false,
    SessionExpiryInterval = version == MqttProtocolVersion.V500 ? 3600u : 0u,
    ReceiveMaximum = 20, // what mosquitto_sub (libmosquitto) announces
};

int Arg(string name, int fallback)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out int v) ? v : fallback;
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

static async Task<string> VersionAsync()
{
    using var p = Process.Start(new ProcessStartInfo("/usr/sbin/mosquitto", "-h") { RedirectStandardOutput = true, UseShellExecute = false })!;
    string first = (await p.StandardOutput.ReadLineAsync()) ?? "";
    await p.WaitForExitAsync();
    return first.Replace("mosquitto version ", "");
}
