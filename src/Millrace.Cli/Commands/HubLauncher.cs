using Microsoft.AspNetCore.Connections;
using Millrace.Core.Config;
using Millrace.Hub.Broker;
using Millrace.Hub.Governance;
using Millrace.Hub.Hosting;
using Millrace.Hub.Processing;
using Millrace.Hub.Processing.Rules;
using Millrace.Hub.Processing.Telemetry;
using Millrace.Hub.Sources.Mqtt;

namespace Millrace.Cli.Commands;

/// <summary>Starts a hub for a command, turning the usual start failures into one clear line instead of a stack trace.</summary>
internal static class HubLauncher
{
    /// <summary>The running hub, or null after printing why it could not start.</summary>
    public static async Task<HubHost?> StartAsync(HubOptions options, ConfigLoadResult config, CancellationToken cancellationToken, Uri? sandbox = null)
    {
        // The embedded broker admits clients by the configuration's mqtt-broker: section unless the command chose already.
        if (options.MqttAccess is null && config.Config.Get<MqttBrokerAccess>() is { } access) options = options with { MqttAccess = access };
        if (options.Apis is null && config.Config.Get<Millrace.Hub.Api.Clients.ApiSettings>() is { } apis) options = options with { Apis = apis };
        try
        {
            return await HubHost.StartAsync(options, TelemetryCatalog.From(config.Config.Model), cancellationToken,
                config.Config.Get<ConfigCatalog<SchemaDefinition>>()?.All, HubSources.From(config.Config),
                config.Config.Get<Millrace.Hub.Governance.Rules.BusinessRuleSet>(), Processing(config), WorkflowsLauncher.From(config, sandbox));
        }
        catch (IOException e) when (e.InnerException is AddressInUseException)
        {
            Console.Error.WriteLine($"{options.Url} is already in use (another millrace or another program); choose another port with --port or --url");
        }
        catch (System.Net.Sockets.SocketException e) when (e.SocketErrorCode == System.Net.Sockets.SocketError.AddressAlreadyInUse)
        {
            Console.Error.WriteLine($"MQTT port {options.MqttPort} on 127.0.0.1 is already in use (another broker?); choose another with --mqtt-port");
        }
        catch (InvalidOperationException e) when (e.Message.Contains("already open", StringComparison.Ordinal))
        {
            Console.Error.WriteLine($"the data folder '{options.DataDirectory}' is in use by another running hub; stop it or pass --data <other folder>");
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
        }
        return null;
    }

    /// <summary>The model behind asset context and, when the configuration has a <c>rules:</c> section, its compiled rules.</summary>
    private static HubProcessing Processing(ConfigLoadResult config)
    {
        var model = config.Config.Model;
        if (config.Config.Get<RuleBook>() is not { Rules.Length: > 0 } book) return new HubProcessing(model);
        var rules = RuleSet.Compile(book, model);
        return new HubProcessing(model, setup => rules.CreateShard(setup.Shard, setup.ShardCount, setup.Context))
        {
            Options = new ProcessingOptions { AllowedLateness = TimeSpan.FromMilliseconds(book.Settings.AllowedLatenessMs) },
        };
    }
}
