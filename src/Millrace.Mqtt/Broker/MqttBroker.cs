using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Millrace.Mqtt.Topics;

namespace Millrace.Mqtt.Broker;

/// <summary>
/// The embedded MQTT 3.1.1/5.0 broker: TCP and TLS listeners, QoS 0/1/2, retained messages, wildcards, shared
/// subscriptions, wills, persistent sessions (through <see cref="IMqttSessionStore"/>), keep-alive, authentication,
/// topic ACLs, and an in-process API for the hub's own sources (<see cref="SubscribeInProcess"/>,
/// <see cref="PublishInProcess"/>). Statistics are on the meter <see cref="MqttBrokerMetrics.MeterName"/>.
/// Start with <see cref="StartAsync"/>, stop with <see cref="StopAsync"/> (or dispose).
/// </summary>
public sealed partial class MqttBroker : IAsyncDisposable
{
    private readonly List<Socket> _listeners = [];
    private readonly List<Task> _acceptLoops = [];
    private readonly ConcurrentDictionary<MqttBrokerConnection, Task> _connections = new();
    private readonly CancellationTokenSource _stopping = new();
    private ITimer? _sweepTimer;
    private int _state; // 0 new, 1 started, 2 stopped

    /// <summary>Creates a broker; nothing listens until <see cref="StartAsync"/>.</summary>
    public MqttBroker(MqttBrokerOptions? options = null)
    {
        Options = options ?? new MqttBrokerOptions();
        if (Options.TlsEndpoint is not null && Options.ServerCertificate is null)
            throw new ArgumentException("A TLS endpoint needs a ServerCertificate.", nameof(options));
        if (Options.MaximumPacketSize < 64) throw new ArgumentException("MaximumPacketSize must be at least 64 bytes.", nameof(options));
        _store = Options.SessionStore ?? new MqttInMemorySessionStore();
        Metrics = new MqttBrokerMetrics(this);
    }

    /// <summary>The options.</summary>
    public MqttBrokerOptions Options { get; }

    /// <summary>The statistics (and the meter they are published on).</summary>
    public MqttBrokerMetrics Metrics { get; }

    /// <summary>The bound plain TCP endpoint (with the actual port when 0 was asked), or null.</summary>
    public IPEndPoint? Endpoint { get; private set; }

    /// <summary>The bound TLS endpoint, or null.</summary>
    public IPEndPoint? TlsEndpoint { get; private set; }

    /// <summary>Errors that did not stop the broker (a failed session save, an unexpected connection fault).</summary>
    public event Action<string>? Error;

    /// <summary>Loads persisted sessions, binds the listeners and starts accepting.</summary>
    /// <exception cref="SocketException">A port is in use or cannot be bound.</exception>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0) throw new InvalidOperationException("The broker was already started.");
        await RestoreSessionsAsync(cancellationToken).ConfigureAwait(false);
        _persistLoop = Task.Run(PersistLoopAsync, CancellationToken.None);
        if (Options.Endpoint is { } plain) Endpoint = Listen(plain, tls: false);
        if (Options.TlsEndpoint is { } secure) TlsEndpoint = Listen(secure, tls: true);
        var period = Options.PersistInterval < TimeSpan.FromSeconds(1) ? Options.PersistInterval : TimeSpan.FromSeconds(1);
        _sweepTimer = Options.TimeProvider.CreateTimer(_ => Sweep(), null, period, period);
    }

    private IPEndPoint Listen(IPEndPoint endpoint, bool tls)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(endpoint);
            socket.Listen(512);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        _listeners.Add(socket);
        _acceptLoops.Add(Task.Run(() => AcceptLoopAsync(socket, tls)));
        return (IPEndPoint)socket.LocalEndPoint!;
    }

    private async Task AcceptLoopAsync(Socket listener, bool tls)
    {
        var token = _stopping.Token;
        while (!token.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                ReportError($"accept failed: {e.Message}");
                continue;
            }
            if (_connections.Count >= Options.MaximumConnections)
            {
                Metrics.Refused(MqttReasonCode.ServerBusy);
                socket.Dispose();
                continue;
            }
            socket.NoDelay = true;
            _ = Task.Run(() => RunConnectionAsync(socket, tls), CancellationToken.None);
        }
    }

    private async Task RunConnectionAsync(Socket socket, bool tls)
    {
        var remote = socket.RemoteEndPoint;
        Stream stream = new NetworkStream(socket, ownsSocket: true);
        if (tls)
        {
            var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
                timeout.CancelAfter(Options.ConnectTimeout);
                await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                {
                    ServerCertificate = Options.ServerCertificate,
                    EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                }, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is AuthenticationException or IOException or OperationCanceledException or ObjectDisposedException or SocketException)
            {
                Metrics.Refused(MqttReasonCode.NotAuthorized);
                await ssl.DisposeAsync().ConfigureAwait(false);
                return;
            }
            stream = ssl;
        }
        await RunConnectionAsync(new MqttBrokerConnection(this, stream, remote)).ConfigureAwait(false);
    }

    /// <summary>Serves a client over an already connected stream (e.g. a WebSocket or an in-memory pipe).
    /// Completes when the connection ends.</summary>
    public Task ServeAsync(Stream stream, EndPoint? remoteEndPoint = null)
    {
        if (Volatile.Read(ref _state) != 1) throw new InvalidOperationException("The broker is not running.");
        return RunConnectionAsync(new MqttBrokerConnection(this, stream, remoteEndPoint));
    }

    private async Task RunConnectionAsync(MqttBrokerConnection connection)
    {
        var run = connection.RunAsync();
        _connections[connection] = run;
        try
        {
            await run.ConfigureAwait(false);
        }
        finally
        {
            _connections.TryRemove(connection, out _);
        }
    }

    /// <summary>Stops accepting, disconnects every client (5.0: reason 0x8B Server shutting down), saves persistent
    /// sessions and releases the ports. Wills of clients still connected are published, as for any server-side close.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _state, 2) != 1) return;
        _stopping.Cancel();
        _sweepTimer?.Dispose();
        foreach (var listener in _listeners) listener.Dispose();
        await Task.WhenAll(_acceptLoops).ConfigureAwait(false);
        foreach (var connection in _connections.Keys) connection.CloseWith(MqttReasonCode.ServerShuttingDown);
        await Task.WhenAll(_connections.Values).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        foreach (var subscription in _inProcess.Keys) await subscription.DisposeAsync().ConfigureAwait(false);
        await FlushSessionsAsync().ConfigureAwait(false);
        Metrics.Dispose();
        _trie.Dispose();
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    internal void ReportError(string message) => Error?.Invoke(message);

    /// <summary>Number of connected clients.</summary>
    public int ConnectionCount => _connections.Count;
}
