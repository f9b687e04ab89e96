using System.Threading.Channels;
using Millrace.Mqtt.Codec;

namespace Millrace.Mqtt.Client;

/// <summary>
/// An MQTT 3.1.1 / 5.0 client. One instance owns one session: call <see cref="ConnectAsync"/> once, publish, subscribe,
/// read <see cref="Messages"/>, and dispose (or <see cref="DisconnectAsync"/>) at the end. Lost connections are
/// re-established automatically (see <see cref="MqttClientOptions.Reconnect"/>); in-flight QoS 1/2 publications are kept
/// in memory and resent (with DUP when the session was resumed), subscriptions are renewed when the server lost the session.
/// Thread-safe: any number of callers may publish concurrently.
/// </summary>
public sealed partial class MqttClient : IAsyncDisposable
{
    private readonly MqttClientOptions _options;
    private readonly TimeProvider _time;
    private readonly object _sync = new();
    private readonly MqttPacketIdentifiers _ids = new();
    private readonly Dictionary<ushort, MqttOutboundPublish> _outbound = new();
    private readonly Dictionary<ushort, MqttPendingRequest> _requests = new();
    private readonly Dictionary<string, MqttTopicSubscription> _subscriptions = new(StringComparer.Ordinal);
    private readonly byte[] _inboundQoS2 = new byte[65536]; // per Packet Identifier: 0 free, Queued, Received (PUBREC sent)
    private readonly Channel<MqttMessage> _inbound;
    private readonly Queue<MqttOutboundPublish> _waiting = new(); // QoS 1/2 publications waiting for the in-flight window, in order
    private readonly CancellationTokenSource _stopping = new();
    private MqttConnection? _connection;      // the current connection, possibly still resending
    private MqttConnection? _readyConnection; // the current connection once resending is done: new packets go here
    private TaskCompletionSource _ready = NewSignal();
    private State _state;
    private long _sessionEpoch;
    private long _sequence;
    private int _unacknowledgedInbound;
    private int _inflight;
    private int _inflightLimit;
    private long _pingResponses;
    private string _clientId;

    private enum State { New, Connecting, Open, Closed }
    private const byte Queued = 1, Received = 2;

    /// <summary>Creates a client; nothing happens on the network until <see cref="ConnectAsync"/>.</summary>
    /// <exception cref="ArgumentException">An option breaks a rule (the message names it).</exception>
    public MqttClient(MqttClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _time = options.TimeProvider;
        _clientId = options.ClientId;
        _inflightLimit = options.InflightLimit(ushort.MaxValue);
        _inbound = Channel.CreateBounded<MqttMessage>(new BoundedChannelOptions(options.InboundQueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait, SingleWriter = true, AllowSynchronousContinuations = false,
        });
    }

    /// <summary>The options this client was created with.</summary>
    public MqttClientOptions Options => _options;

    /// <summary>The client identifier in use (the server-assigned one after a 5.0 connect with an empty id).</summary>
    public string ClientId { get { lock (_sync) return _clientId; } }

    /// <summary>Whether a connection is established and ready.</summary>
    public bool IsConnected => Volatile.Read(ref _readyConnection) is not null;

    /// <summary>Raised after each successful CONNACK (first connection and reconnections).</summary>
    public event EventHandler<MqttConnectedEventArgs>? Connected;

    /// <summary>Raised when an established connection ends.</summary>
    public event EventHandler<MqttDisconnectedEventArgs>? Disconnected;

    /// <summary>The last failure of an automatic reconnection attempt (cleared on success).</summary>
    public Exception? LastReconnectError { get; private set; }

    /// <summary>Received QoS 1/2 messages not yet taken by the consumer, i.e. not yet acknowledged.</summary>
    internal int UnacknowledgedInboundCount => Volatile.Read(ref _unacknowledgedInbound);

    /// <summary>Outbound QoS 1/2 publications in flight.</summary>
    internal int InflightCount { get { lock (_sync) return _inflight; } }

    /// <summary>PUBLISH packets sent with a Topic Alias instead of the topic, on the current connection.</summary>
    internal long AliasOnlyPublishCount => Volatile.Read(ref _connection)?.SendAliases.AliasOnlyCount ?? 0;

    internal long PingResponseCount => Interlocked.Read(ref _pingResponses);

    /// <summary>Drops the current connection abruptly (no DISCONNECT), as a network failure would.</summary>
    internal void AbortConnection() => Volatile.Read(ref _connection)?.Transport.Abort(new MqttClientException("Connection aborted (test)."));

    /// <summary>
    /// Connects (TCP, TLS when configured, CONNECT/CONNACK). Call once; a failed attempt may be retried.
    /// </summary>
    /// <exception cref="MqttConnectException">The server refused (CONNACK reason code).</exception>
    /// <exception cref="MqttClientException">No connection could be made, or the server broke the protocol.</exception>
    public async Task<MqttConnectResult> ConnectAsync(CancellationToken cancellationToken = default)
    {
        lock (_sync)
        {
            if (_state != State.New)
                throw new InvalidOperationException(_state == State.Closed ? "The client is closed." : "ConnectAsync was already called.");
            _state = State.Connecting;
        }
        try
        {
            var result = await EstablishAsync(_options.CleanStart, isReconnect: false, cancellationToken).ConfigureAwait(false);
            lock (_sync) if (_state == State.Connecting) _state = State.Open;
            return result;
        }
        catch
        {
            lock (_sync) if (_state == State.Connecting) _state = State.New;
            throw;
        }
    }

    /// <summary>
    /// Ends the session politely: stops reconnecting, sends DISCONNECT (so no Will is published), closes the connection,
    /// fails pending operations, and completes <see cref="Messages"/> once the queued messages are read.
    /// </summary>
    public async Task DisconnectAsync(CancellationToken cancellationToken = default)
    {
        MqttConnection? connection;
        lock (_sync)
        {
            if (_state == State.Closed) return;
            _state = State.Closed;
            connection = _connection;
        }
        _stopping.Cancel();
        if (connection is not null)
        {
            try
            {
                await using (var lease = await connection.Transport.LockAsync(cancellationToken).ConfigureAwait(false))
                    MqttPacketWriter.WriteDisconnect(lease.Output, connection.Version, default);
                await connection.Transport.DrainAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
            }
            catch (Exception e) when (e is MqttClientException or TimeoutException or OperationCanceledException or IOException)
            {
                // The connection is going away anyway.
            }
            connection.Transport.Abort(null);
            await connection.ReadLoop.WaitAsync(TimeSpan.FromSeconds(5), _time, CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        FailSession(new MqttClientException("The client was disconnected."));
        _inbound.Writer.TryComplete();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await DisconnectAsync().ConfigureAwait(false);

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void Raise<T>(EventHandler<T>? handler, T args)
    {
        if (handler is null) return;
        try
        {
            handler(this, args);
        }
        catch (Exception)
        {
            // A faulty handler must not break the connection machinery.
        }
    }

    /// <summary>Fails every pending publication and request (no reconnection will complete them).</summary>
    private void FailSession(Exception reason)
    {
        List<MqttOutboundPublish> publishes;
        List<MqttPendingRequest> requests;
        lock (_sync)
        {
            publishes = [.. _outbound.Values, .. _waiting];
            requests = [.. _requests.Values];
            _waiting.Clear();
            _inflight = 0;
            foreach (var id in _outbound.Keys) _ids.Release(id);
            foreach (var id in _requests.Keys) _ids.Release(id);
            _outbound.Clear();
            _requests.Clear();
        }
        foreach (var p in publishes) p.Completion.TrySetException(reason);
        foreach (var r in requests) r.Completion.TrySetException(reason);
        _ready.TrySetException(reason);
        _ready.Task.Exception?.Handle(_ => true); // observed: nobody may be waiting
    }
}
