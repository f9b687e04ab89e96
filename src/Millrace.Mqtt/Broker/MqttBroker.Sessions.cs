using System.Text;
using System.Threading.Channels;
using Millrace.Mqtt.Codec;

namespace Millrace.Mqtt.Broker;

public sealed partial class MqttBroker
{
    private readonly IMqttSessionStore _store;
    private readonly Dictionary<string, MqttSession> _sessions = new(StringComparer.Ordinal);
    private readonly Lock _sessionsLock = new();
    private readonly Dictionary<string, (MqttWill Will, DateTimeOffset Due)> _delayedWills = new(StringComparer.Ordinal);
    private readonly Channel<(string ClientId, MqttStoredSession? Snapshot)> _persist = Channel.CreateUnbounded<(string, MqttStoredSession?)>(
        new UnboundedChannelOptions { SingleReader = true });
    private Task _persistLoop = Task.CompletedTask;

    /// <summary>Number of sessions (connected and persisted).</summary>
    public int SessionCount
    {
        get { lock (_sessionsLock) return _sessions.Count; }
    }

    /// <summary>True when a session exists for <paramref name="clientId"/>.</summary>
    public bool HasSession(string clientId)
    {
        lock (_sessionsLock) return _sessions.ContainsKey(clientId);
    }

    /// <summary>Creates, resumes or replaces the session for a CONNECT and attaches the connection; CONNACK is queued
    /// before the session becomes visible to deliveries, so it is the first packet the client receives.</summary>
    internal MqttSession ConnectSession(MqttBrokerConnection connection, bool cleanStart, uint expiry, int inflight, in MqttProperties connAckProperties)
    {
        MqttBrokerConnection? previous = null;
        MqttSession session;
        MqttWill? flushWill = null;
        lock (_sessionsLock)
        {
            _sessions.TryGetValue(connection.ClientId, out var existing);
            if (existing is not null)
            {
                previous = existing.Connection;
                if (cleanStart)
                {
                    EndSessionLocked(existing);
                    existing = null;
                }
            }
            if (_delayedWills.Remove(connection.ClientId, out var pending) && existing is null)
                flushWill = pending.Will; // the old session ended, so its delayed will is due now; a resumed one cancels it
            bool present = existing is not null;
            session = existing ?? new MqttSession(this, connection.ClientId);
            session.ExpiryInterval = expiry;
            _sessions[connection.ClientId] = session;
            lock (session)
            {
                connection.WriteConnAck(present, connAckProperties);
                session.Attach(connection, inflight);
            }
            if (expiry > 0) session.Dirty = true;
            else if (present) _persist.Writer.TryWrite((connection.ClientId, null)); // no longer persistent
        }
        Metrics.Connected();
        if (flushWill is not null) PublishWill(flushWill, connection.ClientId);
        previous?.CloseWith(MqttReasonCode.SessionTakenOver); // [MQTT-3.1.4-3]
        connection.Signal();
        return session;
    }

    /// <summary>A connection ended: publish or schedule its will, detach the session, end it when it does not persist.</summary>
    internal void OnConnectionClosed(MqttBrokerConnection connection, MqttConnectionState previous, bool graceful)
    {
        if (previous < MqttConnectionState.Connected || connection.Session is not { } session) return;
        Metrics.Disconnected();
        var now = Options.TimeProvider.GetUtcNow();
        bool detached = session.Detach(connection, now);
        var will = connection.Will;
        if (will is not null)
        {
            uint delay = Math.Min(will.DelayInterval, session.ExpiryInterval);
            if (delay == 0 || !detached || Volatile.Read(ref _state) != 1) PublishWill(will, connection.ClientId);
            else lock (_sessionsLock) _delayedWills[connection.ClientId] = (will, now.AddSeconds(delay));
        }
        if (!detached) return; // taken over: the new connection owns the session
        if (session.ExpiryInterval == 0)
        {
            lock (_sessionsLock)
            {
                if (_sessions.TryGetValue(session.ClientId, out var current) && current == session && session.Connection is null) EndSessionLocked(session);
            }
        }
        else
        {
            _persist.Writer.TryWrite((session.ClientId, session.Snapshot()));
        }
    }

    private void PublishWill(MqttWill will, string clientId)
    {
        // The will is held to the namespace of the identity its client authenticated as.
        if (Options.Authorizer is { } authorizer && !authorizer.CanPublish(will.Identity, clientId, will.Topic))
        {
            Metrics.Drop("not_authorized");
            return;
        }
        Publish(will.ToMessage(Options.TimeProvider.GetUtcNow(), clientId));
    }

    private void EndSessionLocked(MqttSession session)
    {
        lock (session)
        {
            session.Ended = true;
            foreach (var filter in session.Subscriptions.Keys) _trie.Remove(Encoding.UTF8.GetBytes(filter), session);
            session.Subscriptions.Clear();
        }
        _sessions.Remove(session.ClientId);
        _persist.Writer.TryWrite((session.ClientId, null));
    }

    /// <summary>Once a second: keep-alive and CONNECT timeouts, delayed wills, expired sessions, saving changed sessions.</summary>
    private void Sweep()
    {
        try
        {
            var time = Options.TimeProvider;
            long nowTicks = time.GetTimestamp();
            var now = time.GetUtcNow();
            foreach (var connection in _connections.Keys)
            {
                var elapsed = time.GetElapsedTime(connection.LastActivity, nowTicks);
                if (connection.State == MqttConnectionState.AwaitingConnect && time.GetElapsedTime(connection.AcceptedAt, nowTicks) > Options.ConnectTimeout)
                    connection.Abort();
                else if (connection.State == MqttConnectionState.Connected && connection.KeepAlive > 0
                    && elapsed.TotalSeconds > connection.KeepAlive * 1.5) // [MQTT-3.1.2-24]
                    connection.CloseWith(MqttReasonCode.KeepAliveTimeout);
            }
            List<(string, MqttWill)>? dueWills = null;
            lock (_sessionsLock)
            {
                foreach (var (clientId, (will, due)) in _delayedWills)
                    if (due <= now) (dueWills ??= []).Add((clientId, will));
                foreach (var (clientId, _) in dueWills ?? []) _delayedWills.Remove(clientId);
                foreach (var session in _sessions.Values.ToArray())
                {
                    if (session.Connection is null && session.ExpiryInterval != uint.MaxValue && session.DisconnectedAt.AddSeconds(session.ExpiryInterval) <= now)
                    {
                        if (_delayedWills.Remove(session.ClientId, out var w)) (dueWills ??= []).Add((session.ClientId, w.Will)); // session end sends it
                        EndSessionLocked(session);
                    }
                    else if (session.Dirty && session.ExpiryInterval > 0)
                    {
                        _persist.Writer.TryWrite((session.ClientId, session.Snapshot()));
                    }
                }
            }
            foreach (var (clientId, will) in dueWills ?? []) PublishWill(will, clientId);
        }
        catch (Exception e)
        {
            ReportError($"sweep: {e}");
        }
    }

    private async Task RestoreSessionsAsync(CancellationToken cancellationToken)
    {
        var stored = await _store.LoadAllAsync(cancellationToken).ConfigureAwait(false);
        var now = Options.TimeProvider.GetUtcNow();
        lock (_sessionsLock)
        {
            foreach (var s in stored)
            {
                if (s.ExpiryInterval != uint.MaxValue && s.DisconnectedAt.AddSeconds(s.ExpiryInterval) <= now)
                {
                    _persist.Writer.TryWrite((s.ClientId, null));
                    continue;
                }
                var session = new MqttSession(this, s.ClientId);
                session.Restore(s);
                foreach (var (filter, options) in session.Subscriptions)
                {
                    try { _trie.Add(Encoding.UTF8.GetBytes(filter), session, options); }
                    catch (ArgumentException e) { ReportError($"session {s.ClientId}: stored filter '{filter}' ignored: {e.Message}"); }
                }
                _sessions[s.ClientId] = session;
            }
        }
    }

    private async Task FlushSessionsAsync()
    {
        lock (_sessionsLock)
        {
            foreach (var session in _sessions.Values)
                if (session.ExpiryInterval > 0) _persist.Writer.TryWrite((session.ClientId, session.Snapshot()));
        }
        _persist.Writer.TryComplete();
        await _persistLoop.ConfigureAwait(false);
    }

    private async Task PersistLoopAsync()
    {
        await foreach (var (clientId, snapshot) in _persist.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                if (snapshot is null) await _store.DeleteAsync(clientId, CancellationToken.None).ConfigureAwait(false);
                else await _store.SaveAsync(snapshot, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                ReportError($"session store: {(snapshot is null ? "delete" : "save")} of '{clientId}' failed: {e.Message}");
            }
        }
    }
}
