using Millrace.Hub.Hosting;
using Millrace.Pipeline.CrashHost;

// Usage: Millrace.Pipeline.CrashHost <data-dir>
// Starts a hub on a free loopback port whose shards run the counter-to-quantity test engine with frequent checkpoints,
// prints "url <base address>" once listening, and runs until killed (or 120 s pass, so an orphan cannot run forever).
// A line "stop" on stdin shuts it down cleanly (drain, last checkpoints, flush) and prints "stopped".
if (args.Length < 1)
{
    Console.Error.WriteLine("usage: Millrace.Pipeline.CrashHost <data-dir>");
    return 2;
}
await using var hub = await CrashHostSetup.StartHubAsync(args[0], CrashHostSetup.Processing());
Console.Out.WriteLine($"url {hub.BaseAddress}");
Console.Out.Flush();
var stop = Task.Run(() => { while (Console.In.ReadLine() is { } line) if (line == "stop") return; });
await Task.WhenAny(stop, Task.Delay(TimeSpan.FromSeconds(120)));
await hub.DisposeAsync();
Console.Out.WriteLine("stopped");
Console.Out.Flush();
return 0;
