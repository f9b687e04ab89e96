using System.IO.Pipelines;
using System.Net.Security;
using System.Net.Sockets;

namespace Millrace.Mqtt.Client;

/// <summary>
/// One network connection: a socket (optionally wrapped in <see cref="SslStream"/>), a <see cref="PipeReader"/> for the
/// read loop and an outbound <see cref="Pipe"/> drained by a single write loop. Producers serialize through
/// <see cref="LockAsync"/>, encode straight into the pipe and flush; the write loop batches whatever accumulated into
/// one socket write, so many small acknowledgements cost one system call.
/// </summary>
internal sealed class MqttTransport : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly Pipe _output = new(new PipeOptions(pauseWriterThreshold: 1 << 20, resumeWriterThreshold: 512 << 10, useSynchronizationContext: false));
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly CancellationTokenSource _closed = new();
    private readonly TimeProvider _time;
    private Task? _writeLoop;
    private long _lastSendTimestamp;

    private MqttTransport(Socket socket, Stream stream, TimeProvider time)
    {
        _socket = socket;
        _stream = stream;
        _time = time;
        Input = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 64 << 10, minimumReadSize: 16 << 10));
        _lastSendTimestamp = time.GetTimestamp();
    }

    /// <summary>Bytes from the server.</summary>
    public PipeReader Input { get; }

    /// <summary>Cancelled when the connection is closed or fails.</summary>
    public CancellationToken Closed => _closed.Token;

    /// <summary>Timestamp (of the client's <see cref="TimeProvider"/>) of the last socket write.</summary>
    public long LastSendTimestamp => Volatile.Read(ref _lastSendTimestamp);

    /// <summary>The first failure of the write loop, if any.</summary>
    public Exception? WriteFailure { get; private set; }

    public static async Task<MqttTransport> ConnectAsync(MqttClientOptions options, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        Stream? stream = null;
        try
        {
            await socket.ConnectAsync(options.Host, options.Port, cancellationToken).ConfigureAwait(false);
            stream = new NetworkStream(socket, ownsSocket: false);
            if (options.Tls is { } tls)
            {
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = ssl;
                var auth = CloneTls(tls);
                auth.TargetHost ??= options.Host;
                await ssl.AuthenticateAsClientAsync(auth, cancellationToken).ConfigureAwait(false);
            }
            var transport = new MqttTransport(socket, stream, options.TimeProvider);
            transport._writeLoop = Task.Run(transport.WriteLoopAsync, CancellationToken.None);
            return transport;
        }
        catch
        {
            if (stream is not null) await stream.DisposeAsync().ConfigureAwait(false);
            socket.Dispose();
            throw;
        }
    }

    private static SslClientAuthenticationOptions CloneTls(SslClientAuthenticationOptions o) => new()
    {
        TargetHost = o.TargetHost,
        ClientCertificates = o.ClientCertificates,
        ClientCertificateContext = o.ClientCertificateContext,
        EnabledSslProtocols = o.EnabledSslProtocols,
        CertificateRevocationCheckMode = o.CertificateRevocationCheckMode,
        RemoteCertificateValidationCallback = o.RemoteCertificateValidationCallback,
        LocalCertificateSelectionCallback = o.LocalCertificateSelectionCallback,
        ApplicationProtocols = o.ApplicationProtocols,
        CertificateChainPolicy = o.CertificateChainPolicy,
        EncryptionPolicy = o.EncryptionPolicy,
        AllowRenegotiation = o.AllowRenegotiation,
    };

    /// <summary>
    /// Takes the write lock. Encode into <see cref="WriterLease.Output"/>; disposing the lease flushes to the write loop
    /// and releases the lock. Throws <see cref="MqttClientException"/> when the connection is closed.
    /// </summary>
    public async ValueTask<WriterLease> LockAsync(CancellationToken cancellationToken = default)
    {
        if (_closed.IsCancellationRequested) throw Lost();
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (_closed.IsCancellationRequested)
        {
            _writeLock.Release();
            throw Lost();
        }
        return new WriterLease(this);
    }

    private MqttClientException Lost() => new("The connection to the server is closed.", WriteFailure);

    private async ValueTask ReleaseAsync()
    {
        try
        {
            var flush = await _output.Writer.FlushAsync().ConfigureAwait(false); // back-pressure when the socket is slower than producers
            if (flush.IsCompleted) Abort(null);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task WriteLoopAsync()
    {
        var reader = _output.Reader;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(_closed.Token).ConfigureAwait(false);
                var buffer = result.Buffer;
                foreach (var segment in buffer)
                    await _stream.WriteAsync(segment, _closed.Token).ConfigureAwait(false);
                if (_stream is SslStream) await _stream.FlushAsync(_closed.Token).ConfigureAwait(false);
                Volatile.Write(ref _lastSendTimestamp, _time.GetTimestamp());
                reader.AdvanceTo(buffer.End);
                if (result.IsCompleted) break;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            Abort(e is OperationCanceledException ? null : e);
        }
        await reader.CompleteAsync().ConfigureAwait(false);
    }

    /// <summary>Waits (bounded by <paramref name="timeout"/>) until everything written so far reached the socket.</summary>
    public async Task DrainAsync(TimeSpan timeout)
    {
        _output.Writer.Complete();
        if (_writeLoop is not null) await _writeLoop.WaitAsync(timeout, _time).ConfigureAwait(false);
    }

    /// <summary>Closes the connection at once (no DISCONNECT). Safe to call repeatedly and concurrently.</summary>
    public void Abort(Exception? reason)
    {
        if (reason is not null && WriteFailure is null) WriteFailure = reason;
        try { _closed.Cancel(); } catch (ObjectDisposedException) { }
        try { _socket.Shutdown(SocketShutdown.Both); } catch (Exception) { /* already gone */ }
        _socket.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        Abort(null);
        if (_writeLoop is not null) await _writeLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        try { await _stream.DisposeAsync().ConfigureAwait(false); } catch (Exception) { /* the socket is already closed */ }
        // Input is completed by the read loop that owns it.
    }

    /// <summary>Exclusive access to the outbound pipe; dispose to flush and release.</summary>
    public readonly struct WriterLease(MqttTransport transport) : IAsyncDisposable
    {
        /// <summary>Where to encode packets.</summary>
        public PipeWriter Output => transport._output.Writer;

        /// <inheritdoc />
        public ValueTask DisposeAsync() => transport.ReleaseAsync();
    }
}
