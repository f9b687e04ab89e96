using System.Net.Security;
using System.Text;
using Millrace.Mqtt.Codec;
using Millrace.Mqtt.Topics;

namespace Millrace.Mqtt.Client;

/// <summary>
/// Settings of one <see cref="MqttClient"/>. Checked by <see cref="Validate"/> (the client constructor calls it) with an
/// <see cref="ArgumentException"/> naming the setting and the rule.
/// </summary>
public sealed record MqttClientOptions
{
    /// <summary>Server host name or address.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>Server TCP port. Default 1883 (use 8883 for TLS by convention).</summary>
    public int Port { get; init; } = 1883;

    /// <summary>
    /// Client Identifier. Empty lets the server assign one (5.0: kept for reconnects; 3.1.1: needs <see cref="CleanStart"/>).
    /// </summary>
    public string ClientId { get; init; } = "";

    /// <summary><see cref="MqttProtocolVersion.V311"/> (level 4) or <see cref="MqttProtocolVersion.V500"/> (level 5, default).</summary>
    public MqttProtocolVersion ProtocolVersion { get; init; } = MqttProtocolVersion.V500;

    /// <summary>
    /// Clean Start (5.0) / Clean Session (3.1.1) of the first connection. Automatic reconnections resume the session
    /// (Clean Start 0) whenever it can outlive the connection: 5.0 with <see cref="SessionExpiryInterval"/> &gt; 0, or
    /// 3.1.1 with <see cref="CleanStart"/> false.
    /// </summary>
    public bool CleanStart { get; init; } = true;

    /// <summary>5.0 Session Expiry Interval in seconds (0: the session ends with the connection; <see cref="uint.MaxValue"/>: never).</summary>
    public uint SessionExpiryInterval { get; init; }

    /// <summary>Keep Alive; zero disables it. At most 65,535 s. Default 30 s.</summary>
    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long to wait for PINGRESP before declaring the connection dead. Default: the keep-alive period.</summary>
    public TimeSpan? PingTimeout { get; init; }

    /// <summary>How long TCP connect, TLS handshake and CONNACK may take together. Default 10 s.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>User Name (null: none).</summary>
    public string? UserName { get; init; }

    /// <summary>Password (null: none). 3.1.1 requires a <see cref="UserName"/> with it.</summary>
    public ReadOnlyMemory<byte>? Password { get; init; }

    /// <summary>
    /// TLS settings; null for plain TCP. <see cref="SslClientAuthenticationOptions.TargetHost"/> defaults to <see cref="Host"/>;
    /// set <see cref="SslClientAuthenticationOptions.RemoteCertificateValidationCallback"/> to trust a private certificate.
    /// </summary>
    public SslClientAuthenticationOptions? Tls { get; init; }

    /// <summary>The Will Message (null: none).</summary>
    public MqttWill? Will { get; init; }

    /// <summary>
    /// 5.0 Receive Maximum announced to the server: how many QoS 1/2 messages it may send before we acknowledge.
    /// Acknowledgements are sent only when the consumer takes a message, so this is the inbound in-flight window. Default 64.
    /// </summary>
    public ushort ReceiveMaximum { get; init; } = 64;

    /// <summary>
    /// Outbound in-flight window: QoS 1/2 publications awaiting acknowledgement. Null (default): on 5.0 the server's
    /// Receive Maximum; on 3.1.1, which cannot learn the server's limit, 20 — mosquitto's default
    /// <c>max_inflight_messages</c>, above which mosquitto 2.0 answers a 3.1.1 QoS 2 PUBLISH with a PUBREC that looks like
    /// success but drops the message. A value set here is still capped by the server's Receive Maximum on 5.0.
    /// </summary>
    public ushort? MaximumInflight { get; init; }

    /// <summary>The in-flight window used on 3.1.1 when <see cref="MaximumInflight"/> is not set.</summary>
    public const ushort DefaultInflightV311 = 20;

    /// <summary>
    /// Capacity of the inbound message queue. When it is full the read loop waits (TCP back-pressure) instead of dropping.
    /// Keep it at least <see cref="ReceiveMaximum"/> so QoS 1/2 traffic never stalls the read loop. Default 1,024.
    /// </summary>
    public int InboundQueueCapacity { get; init; } = 1024;

    /// <summary>5.0: the most Topic Aliases this client creates when publishing (further capped by the server's Topic Alias Maximum). 0 disables. Default 16.</summary>
    public ushort SendTopicAliasMaximum { get; init; } = 16;

    /// <summary>5.0: Topic Alias Maximum announced to the server for what it sends us. Default 0 (none).</summary>
    public ushort ReceiveTopicAliasMaximum { get; init; }

    /// <summary>Largest packet accepted from the server (announced on 5.0). Default 16 MiB.</summary>
    public int MaximumPacketSize { get; init; } = 16 << 20;

    /// <summary>Automatic reconnection. Default: enabled, 100 ms .. 30 s full-jitter backoff.</summary>
    public MqttReconnectPolicy Reconnect { get; init; } = new();

    /// <summary>Clock for keep-alive and backoff (tests can substitute one).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Checks every setting; throws <see cref="ArgumentException"/> naming the first broken rule.</summary>
    public void Validate()
    {
        bool v5 = ProtocolVersion == MqttProtocolVersion.V500;
        if (ProtocolVersion is not (MqttProtocolVersion.V311 or MqttProtocolVersion.V500))
            throw Fail($"ProtocolVersion must be V311 (4) or V500 (5), got {(int)ProtocolVersion}.");
        if (string.IsNullOrWhiteSpace(Host)) throw Fail("Host must not be empty.");
        if (Port is < 1 or > 65535) throw Fail($"Port must be 1..65535, got {Port}.");
        CheckUtf8(ClientId, nameof(ClientId));
        if (ClientId.Length == 0 && !v5 && !CleanStart)
            throw Fail("MQTT 3.1.1 needs a ClientId when CleanStart is false (the server would refuse with 0x02) [MQTT-3.1.3-7].");
        if (!v5 && SessionExpiryInterval != 0)
            throw Fail("SessionExpiryInterval is an MQTT 5.0 setting; on 3.1.1 a session outlives the connection when CleanStart is false.");
        if (KeepAlive < TimeSpan.Zero || KeepAlive.TotalSeconds > ushort.MaxValue)
            throw Fail($"KeepAlive must be 0..65535 s, got {KeepAlive}.");
        if (KeepAlive > TimeSpan.Zero && KeepAlive < TimeSpan.FromSeconds(1))
            throw Fail($"KeepAlive is sent in whole seconds: use zero (off) or at least 1 s, got {KeepAlive}.");
        if (PingTimeout is { } pt && pt <= TimeSpan.Zero) throw Fail($"PingTimeout must be positive, got {pt}.");
        if (ConnectTimeout <= TimeSpan.Zero) throw Fail($"ConnectTimeout must be positive, got {ConnectTimeout}.");
        if (UserName is not null) CheckUtf8(UserName, nameof(UserName));
        if (!v5 && Password is not null && UserName is null)
            throw Fail("MQTT 3.1.1 sends a Password only together with a UserName [MQTT-3.1.2-22].");
        if (Password is { Length: > ushort.MaxValue }) throw Fail("Password holds at most 65,535 bytes.");
        if (Will is { } will)
        {
            var topic = CheckUtf8(will.Topic, "Will.Topic");
            if (!MqttTopic.IsValidTopicName(topic)) throw Fail($"Will.Topic \"{will.Topic}\" is not a valid Topic Name (empty, or contains '+' or '#').");
            if ((int)will.QoS > 2) throw Fail($"Will.QoS must be 0, 1 or 2, got {(int)will.QoS}.");
            if (will.Payload.Length > ushort.MaxValue) throw Fail("Will.Payload holds at most 65,535 bytes.");
            if (!v5 && will.DelayInterval != 0) throw Fail("Will.DelayInterval is an MQTT 5.0 setting.");
        }
        if (ReceiveMaximum == 0) throw Fail("ReceiveMaximum must be 1..65535 (0 is a Protocol Error) [§3.1.2.11.3].");
        if (MaximumInflight == 0) throw Fail("MaximumInflight must be 1..65535 (or null for the default).");
        if (InboundQueueCapacity < 1) throw Fail($"InboundQueueCapacity must be at least 1, got {InboundQueueCapacity}.");
        if (MaximumPacketSize < 16) throw Fail($"MaximumPacketSize must be at least 16 bytes, got {MaximumPacketSize}.");
        if (!v5 && (ReceiveTopicAliasMaximum != 0))
            throw Fail("ReceiveTopicAliasMaximum is an MQTT 5.0 setting.");
        if (Reconnect is null) throw Fail("Reconnect must not be null (use MqttReconnectPolicy.Disabled).");
        Reconnect.Validate();
        if (TimeProvider is null) throw Fail("TimeProvider must not be null.");
    }

    internal int InflightLimit(ushort serverReceiveMaximum) => ProtocolVersion == MqttProtocolVersion.V500
        ? Math.Min(MaximumInflight ?? ushort.MaxValue, serverReceiveMaximum)
        : MaximumInflight ?? DefaultInflightV311;

    internal ushort KeepAliveSeconds => (ushort)KeepAlive.TotalSeconds;

    /// <summary>Whether a reconnection can find the session again, so it should not ask for a clean start.</summary>
    internal bool SessionOutlivesConnection => ProtocolVersion == MqttProtocolVersion.V500 ? SessionExpiryInterval > 0 : !CleanStart;

    private static byte[] CheckUtf8(string value, string name)
    {
        byte[] bytes;
        try
        {
            bytes = new UTF8Encoding(false, true).GetBytes(value ?? throw Fail($"{name} must not be null."));
        }
        catch (EncoderFallbackException)
        {
            throw Fail($"{name} is not valid UTF-8 (lone surrogate).");
        }
        if (bytes.Length > ushort.MaxValue) throw Fail($"{name} holds at most 65,535 UTF-8 bytes.");
        if (MqttUtf8.Validate(bytes) != MqttUtf8Status.Valid) throw Fail($"{name} contains U+0000, which MQTT strings must not [MQTT-1.5.4-2].");
        return bytes;
    }

    private static ArgumentException Fail(string message) => new(message, "options");
}
