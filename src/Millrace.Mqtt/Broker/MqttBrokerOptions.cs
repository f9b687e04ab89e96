using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace Millrace.Mqtt.Broker;

/// <summary>Settings of an <see cref="MqttBroker"/>. Defaults suit an edge broker on the loopback interface.</summary>
public sealed record MqttBrokerOptions
{
    /// <summary>Plain TCP listener; null for none. Default 127.0.0.1:1883. Port 0 picks a free port.</summary>
    public IPEndPoint? Endpoint { get; init; } = new(IPAddress.Loopback, 1883);

    /// <summary>TLS listener; null for none (needs <see cref="ServerCertificate"/>).</summary>
    public IPEndPoint? TlsEndpoint { get; init; }

    /// <summary>Certificate with private key for the TLS listener.</summary>
    public X509Certificate2? ServerCertificate { get; init; }

    /// <summary>Checks credentials; null accepts every client (anonymous broker).</summary>
    public IMqttAuthenticator? Authenticator { get; init; }

    /// <summary>Topic ACLs; null allows everything.</summary>
    public IMqttAuthorizer? Authorizer { get; init; }

    /// <summary>Persistent session store; default in memory (sessions then die with the process).</summary>
    public IMqttSessionStore? SessionStore { get; init; }

    /// <summary>Clock for keep-alive, will delays, session and message expiry. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Largest packet accepted from a client (announced in 5.0 CONNACK). Default 1 MiB.</summary>
    public int MaximumPacketSize { get; init; } = 1 << 20;

    /// <summary>Receive Maximum announced to 5.0 clients: QoS 2 messages a client may have unreleased. Default 1024.</summary>
    public ushort ReceiveMaximum { get; init; } = 1024;

    /// <summary>Outgoing QoS ≥ 1 messages in flight per client (3.1.1; 5.0 uses the lower of this and the client's
    /// Receive Maximum). Default 256.</summary>
    public ushort MaximumInflight { get; init; } = 256;

    /// <summary>Messages queued per session beyond the in-flight window. When full, new messages for it are dropped and
    /// counted (QoS 0 always; QoS ≥ 1 too, since memory must stay bounded). Default 10,000.</summary>
    public int MaximumQueuedMessages { get; init; } = 10_000;

    /// <summary>Topic Alias Maximum announced to 5.0 clients (aliases they may use towards the broker). Default 64.</summary>
    public ushort TopicAliasMaximum { get; init; } = 64;

    /// <summary>5.0 Server Keep Alive: when set, overrides the client's Keep Alive and is sent in CONNACK.</summary>
    public ushort? ServerKeepAlive { get; init; }

    /// <summary>Upper bound for Session Expiry Interval (seconds); 3.1.1 Clean Session 0 sessions get this. Default 1 week.</summary>
    public uint MaximumSessionExpiry { get; init; } = 7 * 24 * 3600;

    /// <summary>A connection that has not completed CONNECT (and TLS) within this time is closed. Default 10 s.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How often sessions with new queued messages are saved to the store. Default 1 s.</summary>
    public TimeSpan PersistInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The <c>Scope</c> of the broker's meter (<see cref="MqttBrokerMetrics.MeterName"/>); null: the broker
    /// itself. A host that exports the meters of one scope (the hub's <c>/metrics</c>) passes its own.</summary>
    public object? MeterScope { get; init; }

    /// <summary>Connections accepted at most at once; beyond it, new sockets are closed. Default 10,000.</summary>
    public int MaximumConnections { get; init; } = 10_000;
}
