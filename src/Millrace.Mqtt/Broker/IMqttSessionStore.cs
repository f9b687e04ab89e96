namespace Millrace.Mqtt.Broker;

/// <summary>
/// Where persistent sessions (Clean Session 0 / Session Expiry &gt; 0) are kept so they survive a broker restart.
/// The broker loads every session at start, saves a snapshot when a session changes (subscriptions, a client going
/// away, periodically while messages are queued) and at stop, and deletes a session when it ends or expires.
/// Calls for one client id never overlap.
/// </summary>
public interface IMqttSessionStore
{
    /// <summary>All stored sessions.</summary>
    ValueTask<IReadOnlyList<MqttStoredSession>> LoadAllAsync(CancellationToken cancellationToken);

    /// <summary>Creates or replaces the session of <see cref="MqttStoredSession.ClientId"/>.</summary>
    ValueTask SaveAsync(MqttStoredSession session, CancellationToken cancellationToken);

    /// <summary>Forgets the session of <paramref name="clientId"/> (no error when absent).</summary>
    ValueTask DeleteAsync(string clientId, CancellationToken cancellationToken);
}
