namespace Millrace.Mqtt.Client;

/// <summary>What the server granted in CONNACK.</summary>
public sealed record MqttConnectResult
{
    /// <summary>The server still had this client's session (subscriptions and queued messages).</summary>
    public bool SessionPresent { get; init; }

    /// <summary>The client identifier in use (the server's Assigned Client Identifier when we sent none).</summary>
    public string ClientId { get; init; } = "";

    /// <summary>5.0: how many QoS 1/2 messages the server accepts in flight (65,535 when unannounced and on 3.1.1).</summary>
    public ushort ServerReceiveMaximum { get; init; } = ushort.MaxValue;

    /// <summary>5.0: Topic Alias Maximum of the server (0: none).</summary>
    public ushort ServerTopicAliasMaximum { get; init; }

    /// <summary>5.0: highest QoS the server supports.</summary>
    public MqttQualityOfService MaximumQoS { get; init; } = MqttQualityOfService.ExactlyOnce;

    /// <summary>5.0: whether the server supports retained messages.</summary>
    public bool RetainAvailable { get; init; } = true;

    /// <summary>The keep-alive in effect (5.0 Server Keep Alive overrides ours).</summary>
    public TimeSpan KeepAlive { get; init; }
}
