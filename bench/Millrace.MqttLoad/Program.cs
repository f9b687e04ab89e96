using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using Millrace.Mqtt;
using Millrace.Mqtt.Broker;
using Millrace.MqttLoad;

// Millrace.MqttLoad: publishers→subscribers through an MQTT broker, 100-byte payloads, MQTT 3.1.1.
//   serve   --port N                         host the Millrace broker (child process of compare)
//   run     --port N --pairs P --qos Q --seconds S   one scenario against any broker
//   compare --seconds S [--max-queued N] [--millrace-dll path/millrace.dll]
//                                            Millrace broker and mosquitto, same scenarios, same run; with
//                                            --millrace-dll the Millrace side is `millrace broker` itself, run with
//                                            this process's environment (so DOTNET_* GC settings can be compared)
string mode = args.Length > 0 ? args[0] : "compare";
int Arg(string name, int fallback) => Array.IndexOf(args, "--" + name) is var i and >= 0 ? int.Parse(args[i + 1]) : fallback;

switch (mode)
{
    case "serve":
    {
        await using var broker = new MqttBroker(new MqttBrokerOptions
        {
            Endpoint = new IPEndPoint(IPAddress.Loopback, Arg("port", 1883)),
            MaximumQueuedMessages = Arg("max-queued", 10_000),
        });
        await broker.StartAsync();
        Console.WriteLine($"READY {broker.Endpoint!.Port}");
        await Console.In.ReadLineAsync(); // parent closes stdin to stop us
        return 0;
    }
    case "run":
    {
        var r = await Scenario.RunAsync(new IPEndPoint(IPAddress.Loopback, Arg("port", 1883)), Arg("pairs", 1), (MqttQualityOfService)Arg("qos", 0), Arg("seconds", 10));
        Console.WriteLine(r);
        return 0;
    }
    case "compare":
    {
        int seconds = Arg("seconds", 10);
        var scenarios = new (int Pairs, MqttQualityOfService QoS)[] { (1, 0), (64, 0), (1, MqttQualityOfService.AtLeastOnce), (64, MqttQualityOfService.AtLeastOnce) };
        var rows = new List<string>();
        foreach (var name in new[] { "millrace", "mosquitto" })
        {
            int port = FreePort();
            using var server = name == "millrace" ? StartSelf(port, StringArg("millrace-dll"), Arg("max-queued", 10_000)) : StartMosquitto(port, Arg("max-queued", 10_000));
            await WaitForPortAsync(port);
            foreach (var (pairs, qos) in scenarios)
            {
                var r = await Scenario.RunAsync(new IPEndPoint(IPAddress.Loopback, port), pairs, qos, seconds);
                rows.Add($"| {name} | {pairs}→{pairs} | {(int)qos} | {r.DeliveredPerSecond:N0} | {r.PublishedPerSecond:N0} | {PeakRssMb(server):F1} |");
                Console.Error.WriteLine(rows[^1]);
                await Task.Delay(1000); // let queues drain between scenarios
            }
            rows.Add($"| {name} | (after all) | | | | {PeakRssMb(server):F1} |");
            Stop(server);
        }
        Console.WriteLine("| broker | publishers→subscribers | QoS | delivered msg/s | published msg/s | peak RSS MiB |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- |");
        foreach (var row in rows) Console.WriteLine(row);
        return 0;
    }
    default:
        Console.Error.WriteLine("usage: Millrace.MqttLoad compare [--seconds S] | run --port N --pairs P --qos Q --seconds S | serve --port N");
        return 2;
}

static int FreePort()
{
    using var l = new TcpListener(IPAddress.Loopback, 0);
    l.Start();
    return ((IPEndPoint)l.LocalEndpoint).Port;
}

string? StringArg(string name) => Array.IndexOf(args, "--" + name) is var i and >= 0 ? args[i + 1] : null;

static Process StartSelf(int port, string? millraceDll, int maxQueued)
{
    if (millraceDll is not null)
    {
        // `millrace broker` as shipped (its runtimeconfig), plus whatever DOTNET_* variables this process was given.
        var cli = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { millraceDll, "broker", "--port", port.ToString(), "--data", Path.Combine(Path.GetTempPath(), "millrace-mqttload-" + port) })
            cli.ArgumentList.Add(a);
        return Process.Start(cli)!;
    }
    var host = Environment.ProcessPath!;
    var info = new ProcessStartInfo(host) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
    if (Path.GetFileNameWithoutExtension(host) == "dotnet") info.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
    foreach (var a in new[] { "serve", "--port", port.ToString(), "--max-queued", maxQueued.ToString() }) info.ArgumentList.Add(a);
    info.Environment["DOTNET_gcServer"] = "0";
    return Process.Start(info)!;
}

static Process StartMosquitto(int port, int maxQueued)
{
    // Same limits as the Millrace defaults: 256 in flight, 10,000 queued per client.
    var conf = Path.Combine(Path.GetTempPath(), $"millrace-mosquitto-{port}.conf");
    File.WriteAllText(conf, $"listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\nmax_inflight_messages 256\nmax_queued_messages {maxQueued}\nlog_type error\n");
    var info = new ProcessStartInfo(File.Exists("/usr/sbin/mosquitto") ? "/usr/sbin/mosquitto" : "mosquitto") { UseShellExecute = false, RedirectStandardInput = true };
    info.ArgumentList.Add("-c");
    info.ArgumentList.Add(conf);
    return Process.Start(info)!;
}

static void Stop(Process p)
{
    try { p.StandardInput.Close(); } catch (Exception) { }
    if (!p.WaitForExit(3000)) p.Kill(entireProcessTree: true);
}

static async Task WaitForPortAsync(int port)
{
    for (int i = 0; i < 100; i++)
    {
        try
        {
            using var c = new TcpClient();
            await c.ConnectAsync(IPAddress.Loopback, port);
            return;
        }
        catch (SocketException) { await Task.Delay(100); }
    }
    throw new InvalidOperationException($"no broker on port {port}");
}

static double PeakRssMb(Process p)
{
    // VmHWM: the peak resident set size of the broker process (Linux).
    foreach (var line in File.ReadLines($"/proc/{p.Id}/status"))
        if (line.StartsWith("VmHWM:")) return long.Parse(line[6..].Trim().Split(' ')[0]) / 1024.0;
    return double.NaN;
}
