using System.CommandLine;
using Millrace.Hub.Hosting;
using Millrace.Hub.Processing.Telemetry;

namespace Millrace.Cli.Commands;

/// <summary><c>millrace run</c>: the hub alone, for a real plant or for <c>millrace simulate</c> to feed.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = "Configuration folder. Default: samples/acme." };
        var data = new Option<string>("--data") { Description = "Folder for the embedded stores.", DefaultValueFactory = _ => ".millrace" };
        var url = new Option<string>("--url") { Description = "Address to listen on.", DefaultValueFactory = _ => "http://127.0.0.1:5080" };
        var mqttPort = new Option<int>("--mqtt-port")
        {
            Description = "Embedded MQTT broker port on 127.0.0.1 (0: a free port; -1: no embedded broker).",
            DefaultValueFactory = _ => 1883,
        };
        var command = new Command("run", "Run the hub until Ctrl-C.") { config, data, url, mqttPort };
        command.SetAction(async (parse, ct) =>
        {
            var loaded = ConfigLocator.Load(parse.GetValue(config) ?? ConfigLocator.DefaultDirectory(), Console.Error);
            if (loaded is null) return 1;
            int port = parse.GetValue(mqttPort);
            if (port is < -1 or > 65535) { Console.Error.WriteLine($"--mqtt-port: {port} is not a port (0-65535, or -1 for none)"); return 2; }
            var options = new HubOptions { Url = parse.GetValue(url)!, DataDirectory = parse.GetValue(data)!, MqttPort = port < 0 ? null : port };
            var started = await HubLauncher.StartAsync(options, loaded, ct);
            if (started is null) return 1;
            await using var hub = started;
            Console.Out.WriteLine($"Millrace hub: {loaded.Summary}; listening on {hub.BaseAddress}" +
                                  (hub.MqttAddress is { } mqtt ? $" and {mqtt}" : ""));
            try { await Task.Delay(Timeout.Infinite, ct); } catch (OperationCanceledException) { }
            Console.Out.WriteLine("stopping: draining telemetry and flushing the log");
            return 0;
        });
        return command;
    }
}
