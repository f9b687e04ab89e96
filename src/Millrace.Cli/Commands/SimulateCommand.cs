using System.CommandLine;
using Millrace.Hub.Simulation;

namespace Millrace.Cli.Commands;

/// <summary><c>millrace simulate</c>: the Acme plants' telemetry sent to a running hub over HTTP ingest.</summary>
internal static class SimulateCommand
{
    public static Command Create()
    {
        var url = new Option<string>("--url") { Description = "Hub to send to.", DefaultValueFactory = _ => "http://127.0.0.1:5080" };
        var config = new Option<string?>("--config") { Description = "Configuration folder. Default: samples/acme." };
        var rate = new Option<int>("--rate") { Description = "Samples per second.", DefaultValueFactory = _ => 20_000 };
        var batch = new Option<int>("--batch") { Description = "Samples per request.", DefaultValueFactory = _ => 500 };
        var duration = new Option<string?>("--duration") { Description = "Stop after this long (30s, 2m). Default: until Ctrl-C." };
        var faults = new Option<double>("--fault-rate") { Description = "Share of batches carrying one sample of an unknown asset.", DefaultValueFactory = _ => 0.002 };
        var command = new Command("simulate", "Send realistic plant telemetry to a hub.") { url, config, rate, batch, duration, faults };
        command.SetAction(async (parse, ct) =>
        {
            if (!Uri.TryCreate(parse.GetValue(url), UriKind.Absolute, out var hub)) { Console.Error.WriteLine("--url: not an absolute URL"); return 2; }
            var options = new SimulatorOptions { Rate = parse.GetValue(rate), BatchSize = parse.GetValue(batch), FaultRate = parse.GetValue(faults) };
            try { options.Validate(); } catch (ArgumentException ex) { Console.Error.WriteLine(ex.Message); return 2; }
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            if (parse.GetValue(duration) is { } text)
            {
                if (!CliDuration.TryParse(text, out var d)) { Console.Error.WriteLine($"--duration: '{text}' is not a duration"); return 2; }
                stop.CancelAfter(d);
            }
            var loaded = ConfigLocator.Load(parse.GetValue(config) ?? ConfigLocator.DefaultDirectory(), Console.Error);
            if (loaded is null) return 1;
            var progress = new SimulationProgress();
            var started = DateTime.UtcNow;
            await SimulationRunner.RunAsync(hub, new PlantSimulator(loaded.Config.Model, options), options, progress, cancellationToken: stop.Token);
            double seconds = Math.Max(0.001, (DateTime.UtcNow - started).TotalSeconds);
            Console.Out.WriteLine($"sent {progress.SamplesSent:N0} samples ({progress.SamplesSent / seconds:N0}/s), {progress.EventsSent} events; " +
                                  $"{progress.RequestsRefused} refused, {progress.RequestsFailed} failed requests");
            return progress.RequestsFailed > 0 && progress.SamplesSent == 0 ? 1 : 0;
        });
        return command;
    }
}
