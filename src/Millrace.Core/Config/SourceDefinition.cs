using System.Collections.Immutable;
using Millrace.Core.Model;

namespace Millrace.Core.Config;

/// <summary>
/// A configured telemetry source (<c>sources:</c> entry). Common keys: <c>id</c>, <c>kind</c>, <c>description</c>,
/// <c>enabled</c>, and the scope <c>plants</c> / <c>lines</c>: when given, the source may only deliver telemetry
/// for assets of those plants or lines (a plant's broker cannot speak for another plant).
/// </summary>
/// <param name="Id">Source id (local id syntax).</param>
/// <param name="Kind">The kind: <c>http</c>, <c>mqtt</c>, <c>simulator</c>, or one added later.</param>
public abstract record SourceDefinition(string Id, string Kind)
{
    /// <summary>Free text for people.</summary>
    public string? Description { get; init; }

    /// <summary>Disabled sources are validated but not started.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Plant ids this source may deliver for (empty: no plant restriction).</summary>
    public ImmutableArray<string> Plants { get; init; } = [];

    /// <summary>Line full ids this source may deliver for (empty: no line restriction).</summary>
    public ImmutableArray<string> Lines { get; init; } = [];

    /// <summary>Whether telemetry for <paramref name="asset"/> is within this source's scope.</summary>
    public bool Accepts(Equipment asset)
    {
        if (Plants.Length == 0 && Lines.Length == 0) return true;
        return Plants.Contains(asset.SiteId) || (asset.LineId is { } line && Lines.Contains(line));
    }
}

/// <summary>An HTTP ingestion endpoint (<c>kind: http</c>). Optional <c>path</c> (starts with '/') and <c>format</c>.</summary>
/// <param name="Id">Source id.</param>
public sealed record HttpSourceDefinition(string Id) : SourceDefinition(Id, "http")
{
    /// <summary>The request path telemetry is posted to, if not the hub's default.</summary>
    public string? Path { get; init; }

    /// <summary>Payload format; <c>json</c>.</summary>
    public string Format { get; init; } = "json";
}

/// <summary>A plant MQTT broker to subscribe to (<c>kind: mqtt</c>).</summary>
/// <param name="Id">Source id.</param>
/// <param name="Url">Broker address, <c>mqtt://host:port</c> or <c>mqtts://host:port</c>.</param>
/// <param name="Topics">MQTT topic filters to subscribe to.</param>
/// <param name="TopicTemplate">How a topic names the asset (and optionally the signal); null for <c>format: cloudevents</c>,
/// whose events name their own subject.</param>
public sealed record MqttSourceDefinition(string Id, Uri Url, ImmutableArray<string> Topics, TopicTemplate? TopicTemplate)
    : SourceDefinition(Id, "mqtt")
{
    /// <summary>Where the username/password come from; never the secret itself.</summary>
    public CredentialReference? Credentials { get; init; }

    /// <summary>Payload format: <c>json</c> telemetry, or <c>cloudevents</c> business events (one CloudEvent or a batch
    /// array per message, admitted through the governance gate).</summary>
    public string Format { get; init; } = "json";

    /// <summary>MQTT client identifier, if fixed.</summary>
    public string? ClientId { get; init; }

    /// <summary>Subscription QoS (0, 1 or 2); default 1.</summary>
    public int Qos { get; init; } = 1;

    /// <summary>Whether the connection uses TLS (<c>mqtts://</c>).</summary>
    public bool UseTls => Url.Scheme == "mqtts";
}

/// <summary>Generated telemetry for demos and load tests (<c>kind: simulator</c>).</summary>
/// <param name="Id">Source id.</param>
/// <param name="Rate">Samples per second across all simulated signals.</param>
public sealed record SimulatorSourceDefinition(string Id, double Rate) : SourceDefinition(Id, "simulator")
{
    /// <summary>Random seed for reproducible runs; null for a random one.</summary>
    public int? Seed { get; init; }
}
