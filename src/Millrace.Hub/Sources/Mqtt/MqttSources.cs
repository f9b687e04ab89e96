using System.Net;
using System.Net.Security;
using System.Text;
using Microsoft.Extensions.Logging;
using Millrace.Core.Config;
using Millrace.Hub.DeadLetters;
using Millrace.Hub.Governance.Admission;
using Millrace.Hub.Observability;
using Millrace.Hub.Processing.Telemetry;
using Millrace.Mqtt;
using Millrace.Mqtt.Broker;
using Millrace.Mqtt.Client;

namespace Millrace.Hub.Sources.Mqtt;

/// <summary>
/// The running <c>kind: mqtt</c> sources of a hub. A source whose <c>url</c> is <c>mqtt://embedded</c>, or names the
/// hub's own embedded broker (loopback, same port), subscribes in process (<see cref="MqttBroker.SubscribeInProcess"/>:
/// no socket, the broker's bounded in-process queue applies). Any other URL is a plant broker reached with
/// <see cref="MqttClient"/>; credentials are resolved from their reference at start and never logged.
/// A source that cannot start (no embedded broker, unset credentials, broker down) is logged and skipped or retried:
/// it never stops the hub.
/// </summary>
internal sealed partial class MqttSources : IAsyncDisposable
{
    /// <summary>The host name that means "the hub's embedded broker".</summary>
    public const string EmbeddedHost = HubSources.EmbeddedBrokerHost;

    private readonly List<MqttInProcessSubscription> _subscriptions = [];
    private readonly List<(MqttClient Client, Task Loop)> _clients = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly ILogger _logger;

    private MqttSources(ILogger logger) => _logger = logger;

    /// <summary>The started sources, by id.</summary>
    public List<IMqttSource> Sources { get; } = [];

    public static MqttSources Start(HubSources setup, MqttBroker? broker, TelemetryPipeline pipeline, SqliteDeadLetterStore deadLetters,
        AdmissionGate gate, HubTelemetry telemetry, ILogger logger)
    {
        var sources = new MqttSources(logger);
        foreach (var definition in setup.Definitions.OfType<MqttSourceDefinition>().Where(d => d.Enabled))
        {
            IMqttSource source = definition.Format == MqttEventSource.Format
                ? new MqttEventSource(definition, gate, deadLetters)
                : new MqttTelemetrySource(definition, setup.Model, pipeline, deadLetters, telemetry);
            if (IsEmbedded(definition.Url, broker))
            {
                if (broker is null)
                {
                    LogNoEmbeddedBroker(logger, definition.Id);
                    continue;
                }
                foreach (var filter in definition.Topics)
                    sources._subscriptions.Add(broker.SubscribeInProcess(filter,
                        (m, ct) => source.HandleAsync(m.Topic, m.Payload, ct), (MqttQualityOfService)definition.Qos));
                LogStarted(logger, definition.Id, "the embedded broker (in process)", string.Join(", ", definition.Topics));
            }
            else if (sources.TryCreateClient(definition, setup.ConfigDirectory, out var client))
            {
                sources._clients.Add((client, Task.Run(() => sources.RunClientAsync(client, source))));
            }
            else
            {
                continue;
            }
            sources.Sources.Add(source);
        }
        return sources;
    }

    private static bool IsEmbedded(Uri url, MqttBroker? broker)
    {
        if (string.Equals(url.Host, EmbeddedHost, StringComparison.OrdinalIgnoreCase)) return true;
        return broker?.Endpoint is { } own && !url.Scheme.Equals("mqtts", StringComparison.Ordinal)
            && (url.IsLoopback || url.Host == "127.0.0.1") && (url.IsDefaultPort ? 1883 : url.Port) == own.Port;
    }

    private bool TryCreateClient(MqttSourceDefinition definition, string? configDirectory, out MqttClient client)
    {
        client = null!;
        string? user = null;
        ReadOnlyMemory<byte>? password = null;
        if (definition.Credentials is { } reference)
        {
            if (!reference.TryResolve(configDirectory, out var secret))
            {
                LogNoCredentials(_logger, definition.Id, reference.ToString()); // the reference, never the secret
                return false;
            }
            int colon = secret.IndexOf(':', StringComparison.Ordinal);
            user = colon >= 0 ? secret[..colon] : null;
            password = Encoding.UTF8.GetBytes(colon >= 0 ? secret[(colon + 1)..] : secret);
        }
        client = new MqttClient(new MqttClientOptions
        {
            Host = definition.Url.Host,
            Port = definition.Url.IsDefaultPort || definition.Url.Port < 0 ? (definition.UseTls ? 8883 : 1883) : definition.Url.Port,
            ClientId = definition.ClientId ?? "millrace-hub-" + definition.Id,
            UserName = user,
            Password = password,
            Tls = definition.UseTls ? new SslClientAuthenticationOptions { TargetHost = definition.Url.Host } : null,
        });
        return true;
    }

    /// <summary>Connects (retrying while the broker is down), subscribes, then hands every message to the source in order.</summary>
    private async Task RunClientAsync(MqttClient client, IMqttSource source)
    {
        var definition = source.Definition;
        var token = _stopping.Token;
        var delay = TimeSpan.FromSeconds(1);
        try
        {
            while (true)
            {
                try
                {
                    await client.ConnectAsync(token).ConfigureAwait(false);
                    break;
                }
                catch (MqttClientException e) when (!token.IsCancellationRequested)
                {
                    // MqttConnectException (refused by the broker) is an MqttClientException too; its message has the reason code only.
                    LogConnectFailed(_logger, definition.Id, definition.Url.GetLeftPart(UriPartial.Authority), e.Message, delay.TotalSeconds);
                    await Task.Delay(delay, token).ConfigureAwait(false);
                    delay = TimeSpan.FromSeconds(Math.Min(30, delay.TotalSeconds * 2));
                }
            }
            var subscriptions = definition.Topics.Select(t => new MqttTopicSubscription(t, (MqttQualityOfService)definition.Qos)).ToList();
            await client.SubscribeAsync(subscriptions, token).ConfigureAwait(false);
            LogStarted(_logger, definition.Id, definition.Url.GetLeftPart(UriPartial.Authority), string.Join(", ", definition.Topics));
            await foreach (var message in client.ReadMessagesAsync(token).ConfigureAwait(false))
            {
                try
                {
                    await source.HandleAsync(message.Topic, message.Payload, token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogHandlerFailed(_logger, definition.Id, e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            LogSourceStopped(_logger, definition.Id, e.Message);
        }
    }

    /// <summary>Unsubscribes (handling what is queued, bounded) and disconnects the clients.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var subscription in _subscriptions) await subscription.DisposeAsync().ConfigureAwait(false);
        await _stopping.CancelAsync().ConfigureAwait(false);
        foreach (var (client, loop) in _clients)
        {
            await client.DisposeAsync().ConfigureAwait(false);
            await loop.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        _stopping.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "MQTT source {Source} reads {Topics} from {Broker}")]
    private static partial void LogStarted(ILogger logger, string source, string broker, string topics);

    [LoggerMessage(Level = LogLevel.Error, Message = "MQTT source {Source} uses the embedded broker, but this hub runs without one (set an MQTT port); the source is not started")]
    private static partial void LogNoEmbeddedBroker(ILogger logger, string source);

    [LoggerMessage(Level = LogLevel.Error, Message = "MQTT source {Source}: credentials {Reference} could not be read (variable unset or file unreadable); the source is not started")]
    private static partial void LogNoCredentials(ILogger logger, string source, string reference);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT source {Source}: cannot connect to {Broker} ({Reason}); retrying in {Seconds} s")]
    private static partial void LogConnectFailed(ILogger logger, string source, string broker, string reason, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "MQTT source {Source}: a message could not be handled: {Reason}")]
    private static partial void LogHandlerFailed(ILogger logger, string source, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "MQTT source {Source} stopped: {Reason}")]
    private static partial void LogSourceStopped(ILogger logger, string source, string reason);
}
