using System.CommandLine;
using System.Security.Cryptography;
using Millrace.Core.Config;
using Millrace.Hub.Broker;
using Millrace.Mqtt.Broker;
using Millrace.Hub.Hosting;
using Millrace.Hub.Processing.Telemetry;
using Millrace.Hub.Simulation;
using Millrace.Hub.Sources.Mqtt;
using Millrace.Mqtt.Client;

namespace Millrace.Cli.Commands;

/// <summary>
/// <c>millrace demo</c>: the hub on embedded defaults, the plant simulator for samples/acme, and a live summary.
/// The embedded MQTT broker listens on 127.0.0.1:<c>--mqtt-port</c> (1883); with <c>--transport mqtt</c> (default) the
/// simulator publishes there as an MQTT client and the configuration's embedded-broker source reads it in process;
/// <c>--transport http</c> posts to the HTTP ingest instead. <c>--duration</c> stops by itself with exit code 0; Ctrl-C stops cleanly, flushing the log.
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var duration = new Option<string?>("--duration") { Description = "Stop after this long (30s, 2m, 1h). Default: until Ctrl-C." };
        var config = new Option<string?>("--config") { Description = "Configuration folder. Default: samples/acme." };
        var data = new Option<string>("--data") { Description = "Folder for the embedded stores.", DefaultValueFactory = _ => ".millrace" };
        var port = new Option<int>("--port") { Description = "HTTP port on 127.0.0.1.", DefaultValueFactory = _ => 5080 };
        var rate = new Option<int>("--rate") { Description = "Simulated samples per second.", DefaultValueFactory = _ => 20_000 };
        var mqttPort = new Option<int>("--mqtt-port") { Description = "Embedded MQTT broker port on 127.0.0.1.", DefaultValueFactory = _ => 1883 };
        var transport = new Option<string>("--transport") { Description = "How the simulator sends telemetry: mqtt or http.", DefaultValueFactory = _ => "mqtt" };
        transport.AcceptOnlyFromAmong("mqtt", "http");
        var command = new Command("demo", "Run the hub with the simulated Acme enterprise and show what flows.") { duration, config, data, port, rate, mqttPort, transport };
        command.SetAction(async (parse, ct) =>
        {
            TimeSpan? limit = null;
            if (parse.GetValue(duration) is { } text)
            {
                if (!CliDuration.TryParse(text, out var d)) return Usage($"--duration: '{text}' is not a duration (try 30s, 2m, 1h)");
                limit = d;
            }
            var loaded = ConfigLocator.Load(parse.GetValue(config) ?? ConfigLocator.DefaultDirectory(), Console.Error);
            if (loaded is null) return 1;
            var model = loaded.Config.Model;
            var simOptions = new SimulatorOptions { Rate = parse.GetValue(rate) };
            try { simOptions.Validate(); } catch (ArgumentException ex) { return Usage("--rate: " + ex.Message); }
            bool overMqtt = parse.GetValue(transport) == "mqtt";
            string? template = null;
            MqttSourceDefinition? mqttSource = null;
            if (overMqtt)
            {
                // Publish where the configuration's embedded-broker source listens.
                var source = mqttSource = loaded.Config.Sources.All.OfType<MqttSourceDefinition>()
                    .FirstOrDefault(s => s.Enabled && s.TopicTemplate is not null && s.Url.Host == HubSources.EmbeddedBrokerHost && s.Plants.IsEmpty && s.Lines.IsEmpty);
                if (source is null)
                {
                    Console.Error.WriteLine("--transport mqtt: the configuration has no enabled 'kind: mqtt' source with 'url: mqtt://embedded' for all plants; add one or use --transport http");
                    return 1;
                }
                template = source.TopicTemplate!.Text;
                if (!MqttSimulationRunner.IsUsableTemplate(template, out var problem)) return Usage("--transport mqtt: " + problem);
            }

            // With users configured (mqtt-broker:), the simulator authenticates too: a one-run account confined to the
            // source's topics, whose random password exists only in this process (nothing to install or to leak).
            var access = loaded.Config.Get<MqttBrokerAccess>();
            (string User, byte[] Password)? simulatorLogin = null;
            if (overMqtt && access is { IsRestricted: true })
            {
                var password = RandomNumberGenerator.GetBytes(32);
                simulatorLogin = ("millrace-demo-simulator", password);
                access = access.With(new MqttUserAccount(simulatorLogin.Value.User, MqttSecretHash.Create(Convert.ToBase64String(password), 1000),
                    [.. mqttSource!.Topics]));
            }
            // The enterprise systems the workflows call (samples/acme/connectors.yaml: sandbox://erp, …), in process.
            await using var sandbox = await Millrace.Sandbox.SandboxSystems.StartAsync(cancellationToken: ct);
            var started = await HubLauncher.StartAsync(new HubOptions
            {
                Url = $"http://127.0.0.1:{parse.GetValue(port)}",
                DataDirectory = parse.GetValue(data)!,
                LogLevel = Microsoft.Extensions.Logging.LogLevel.Warning,
                MqttPort = parse.GetValue(mqttPort),
                MqttAccess = access,
            }, loaded, ct, sandbox.BaseAddress);
            if (started is null) return 1;
            await using var hub = started;
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            if (limit is { } l) stop.CancelAfter(l);
            var progress = new SimulationProgress();
            await using var publisher = overMqtt ? new MqttClient(new MqttClientOptions
            {
                Port = hub.Broker!.Endpoint!.Port, ClientId = "millrace-demo-simulator",
                UserName = simulatorLogin?.User,
                Password = simulatorLogin is { } login ? System.Text.Encoding.UTF8.GetBytes(Convert.ToBase64String(login.Password)) : null,
            }) : null;
            if (publisher is not null) await publisher.ConnectAsync(ct);
            var simulation = publisher is not null
                ? MqttSimulationRunner.RunAsync(publisher, template!, new PlantSimulator(model, simOptions), simOptions, progress, hub.BaseAddress, cancellationToken: stop.Token)
                : SimulationRunner.RunAsync(hub.BaseAddress, new PlantSimulator(model, simOptions), simOptions, progress, cancellationToken: stop.Token);
            Console.Out.WriteLine($"Millrace demo: {loaded.Summary}; hub at {hub.BaseAddress} (metrics: {hub.BaseAddress}metrics); MQTT broker at {hub.MqttAddress}" +
                                  (publisher is not null ? $", telemetry over MQTT on {template}" : ", telemetry over HTTP") +
                                  $"; sandbox ERP/EAM/QMS/WMS/field service at {sandbox.BaseAddress}");
            await LiveSummary.ShowAsync(hub, progress, stop.Token);
            await simulation;
            if (publisher is not null) await publisher.DisconnectAsync(CancellationToken.None);
            await hub.StopIntakeAsync(); // every accepted sample processed before the final figures are taken
            var final = await LiveSummary.SnapshotAsync(hub, progress);
            var kinds = LiveSummary.RuleEventKinds(hub).ToList();
            var flows = LiveSummary.WorkflowCounts(hub);
            await hub.DisposeAsync(); // stop Kestrel, drain telemetry, flush the log
            Console.Out.WriteLine($"demo finished: {final.Processed:N0} samples from {final.Assets} assets, " +
                                  $"{final.Events:N0} events in the log, {final.DeadLetters:N0} dead letters, {progress.RequestsFailed} failed requests");
            Console.Out.WriteLine("business events from rules: " + (kinds.Count == 0 ? "none" : string.Join(", ", kinds.Select(k => $"{k.Kind} {k.Count:N0}"))));
            if (flows is { } f) Console.Out.WriteLine($"workflows: {f.Running:N0} running, {f.Completed:N0} completed, {f.Failed:N0} failed");
            return 0;
        });
        return command;
    }

    private static int Usage(string message)
    {
        Console.Error.WriteLine(message);
        return 2;
    }
}
