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
        var command = new Command("run", "Run the hub until Ctrl-C.") { config, data, url };
        command.SetAction(async (parse, ct) =>
        {
            var loaded = ConfigLocator.Load(parse.GetValue(config) ?? ConfigLocator.DefaultDirectory(), Console.Error);
            if (loaded is null) return 1;
            var started = await HubLauncher.StartAsync(new HubOptions { Url = parse.GetValue(url)!, DataDirectory = parse.GetValue(data)! }, loaded, ct);
            if (started is null) return 1;
            await using var hub = started;
            Console.Out.WriteLine($"Millrace hub: {loaded.Summary}; listening on {hub.BaseAddress}");
            try { await Task.Delay(Timeout.Infinite, ct); } catch (OperationCanceledException) { }
            Console.Out.WriteLine("stopping: draining telemetry and flushing the log");
            return 0;
        });
        return command;
    }
}
