using System.CommandLine;
using Millrace.Core.Config;
using Millrace.Hub.Simulation;
using Millrace.Mqtt.Client;

namespace Millrace.Cli.Commands;

/// <summary>
/// <c>millrace simulate</c>: the Acme plants' telemetry sent to a running hub over HTTP ingest, or published to an MQTT
/// broker (<c>--transport mqtt --url mqtt://127.0.0.1:1883</c>) on the configuration's MQTT topic template.
/// </summary>
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
        var transport = new Option<string?>("--transport") { Description = "http or mqtt. Default: from the --url scheme." };
        transport.AcceptOnlyFromAmong("http", "mqtt");
        var topicTemplate = new Option<string?>("--topic-template") { Description = "MQTT topic per asset. Default: the configuration's first MQTT source template, else acme/{plant}/{line}/{asset}/telemetry." };
        var command = new Command("simulate", "Send realistic plant telemetry to a hub.") { url, config, rate, batch, duration, faults, transport, topicTemplate };
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
            bool overMqtt = (parse.GetValue(transport) ?? (hub.Scheme is "mqtt" or "mqtts" ? "mqtt" : "http")) == "mqtt";
            if (overMqtt)
            {
                if (hub.Scheme != "mqtt") { Console.Error.WriteLine($"--url: MQTT needs mqtt://host:port, got '{hub}'"); return 2; }
                string template = parse.GetValue(topicTemplate)
                    ?? loaded.Config.Sources.All.OfType<MqttSourceDefinition>().FirstOrDefault(s => s.TopicTemplate is not null)?.TopicTemplate!.Text
                    ?? "acme/{plant}/{line}/{asset}/telemetry";
                if (!MqttSimulationRunner.IsUsableTemplate(template, out var problem)) { Console.Error.WriteLine("--topic-template: " + problem); return 2; }
                await using var client = new MqttClient(new MqttClientOptions
                {
                    Host = hub.Host,
                    Port = hub.IsDefaultPort || hub.Port < 0 ? 1883 : hub.Port,
                    ClientId = "millrace-simulate-" + Environment.ProcessId,
                });
                try { await client.ConnectAsync(stop.Token); }
                catch (MqttClientException ex) { Console.Error.WriteLine($"cannot connect to {hub}: {ex.Message}"); return 1; }
                await MqttSimulationRunner.RunAsync(client, template, new PlantSimulator(loaded.Config.Model, options), options, progress, cancellationToken: stop.Token);
                await client.DisconnectAsync(CancellationToken.None);
            }
            else if (hub.Scheme is not ("http" or "https")) { Console.Error.WriteLine($"--url: HTTP needs http(s)://host:port, got '{hub}'"); return 2; }
            else await SimulationRunner.RunAsync(hub, new PlantSimulator(loaded.Config.Model, options), options, progress, cancellationToken: stop.Token);
            double seconds = Math.Max(0.001, (DateTime.UtcNow - started).TotalSeconds);
            Console.Out.WriteLine($"sent {progress.SamplesSent:N0} samples ({progress.SamplesSent / seconds:N0}/s), {progress.EventsSent} events; " +
                                  $"{progress.RequestsRefused} refused, {progress.RequestsFailed} failed requests");
            return progress.RequestsFailed > 0 && progress.SamplesSent == 0 ? 1 : 0;
        });
        return command;
    }
}
