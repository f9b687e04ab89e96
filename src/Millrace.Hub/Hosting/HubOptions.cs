namespace Millrace.Hub.Hosting;

/// <summary>How a hub process runs: where it listens, where it keeps its state, how much it accepts.</summary>
public sealed record HubOptions
{
    /// <summary>Kestrel address. Loopback by default; port 0 picks a free port (tests).</summary>
    public string Url { get; init; } = "http://127.0.0.1:5080";

    /// <summary>Folder for the embedded stores: the event log (<c>log.db</c>) and the hub store (<c>hub.db</c>).</summary>
    public string DataDirectory { get; init; } = ".millrace";

    /// <summary>Partitions of the event log. Fixed once the log exists.</summary>
    public int LogPartitions { get; init; } = 16;

    /// <summary>Largest ingest request body accepted, in bytes.</summary>
    public long MaxRequestBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>Telemetry shards (0: one per processor).</summary>
    public int TelemetryShards { get; init; }

    /// <summary>Minimum level of the console log.</summary>
    public Microsoft.Extensions.Logging.LogLevel LogLevel { get; init; } = Microsoft.Extensions.Logging.LogLevel.Information;

    /// <summary>
    /// Port of the embedded MQTT broker on 127.0.0.1: null (default) runs no broker, 0 picks a free port (tests).
    /// The hub's own <c>kind: mqtt</c> sources read from it in process.
    /// </summary>
    public int? MqttPort { get; init; }

    /// <summary>
    /// Users and topic namespaces of the embedded broker (the <c>mqtt-broker:</c> section); null: an open broker.
    /// Its persistent sessions are kept in <c>hub.db</c> in <see cref="DataDirectory"/> and survive a restart.
    /// </summary>
    public Millrace.Hub.Broker.MqttBrokerAccess? MqttAccess { get; init; }

    /// <summary>
    /// The capability APIs' clients, identity and lifecycles (the <c>api-clients:</c>, <c>api-identity:</c> and
    /// <c>apis:</c> sections); null: the hub serves no capability APIs.
    /// </summary>
    public Millrace.Hub.Api.Clients.ApiSettings? Apis { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (!Uri.TryCreate(Url, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
            throw new ArgumentException($"Url '{Url}' is not an absolute http(s) URL", nameof(Url));
        if (string.IsNullOrWhiteSpace(DataDirectory))
            throw new ArgumentException("DataDirectory must name a folder", nameof(DataDirectory));
        if (LogPartitions is < 1 or > 4096)
            throw new ArgumentException($"LogPartitions {LogPartitions} must be between 1 and 4096", nameof(LogPartitions));
        if (MaxRequestBytes < 1024)
            throw new ArgumentException($"MaxRequestBytes {MaxRequestBytes} must be at least 1024", nameof(MaxRequestBytes));
        if (MqttPort is < 0 or > 65535)
            throw new ArgumentException($"MqttPort {MqttPort} must be between 0 and 65535", nameof(MqttPort));
        if (TelemetryShards < 0)
            throw new ArgumentException($"TelemetryShards {TelemetryShards} must not be negative", nameof(TelemetryShards));
    }
}
