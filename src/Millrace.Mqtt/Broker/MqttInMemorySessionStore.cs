using System.Collections.Concurrent;

namespace Millrace.Mqtt.Broker;

/// <summary>Keeps sessions in memory: they survive a broker restart as long as this object lives (tests, embedding).</summary>
public sealed class MqttInMemorySessionStore : IMqttSessionStore
{
    private readonly ConcurrentDictionary<string, MqttStoredSession> _sessions = new(StringComparer.Ordinal);

    /// <summary>Number of stored sessions.</summary>
    public int Count => _sessions.Count;

    /// <summary>The stored session of <paramref name="clientId"/>, or null.</summary>
    public MqttStoredSession? Find(string clientId) => _sessions.TryGetValue(clientId, out var s) ? s : null;

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<MqttStoredSession>> LoadAllAsync(CancellationToken cancellationToken)
        => ValueTask.FromResult<IReadOnlyList<MqttStoredSession>>(_sessions.Values.ToArray());

    /// <inheritdoc/>
    public ValueTask SaveAsync(MqttStoredSession session, CancellationToken cancellationToken)
    {
        _sessions[session.ClientId] = session;
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask DeleteAsync(string clientId, CancellationToken cancellationToken)
    {
        _sessions.TryRemove(clientId, out _);
        return ValueTask.CompletedTask;
    }
}
