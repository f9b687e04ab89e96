using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Millrace.Mqtt.Tests.Peers;

/// <summary>Settings of a test mosquitto.</summary>
internal sealed record MosquittoSettings
{
    public bool AllowAnonymous { get; init; } = true;
    /// <summary>Users written with <c>mosquitto_passwd -b</c>; empty: no password file.</summary>
    public IReadOnlyDictionary<string, string> Users { get; init; } = new Dictionary<string, string>();
    /// <summary>Adds a TLS listener with a fresh self-signed certificate.</summary>
    public bool Tls { get; init; }
    /// <summary>More configuration lines.</summary>
    public IReadOnlyList<string> Extra { get; init; } = [];
}

/// <summary>
/// A real mosquitto (<c>/usr/sbin/mosquitto -c &lt;temp.conf&gt;</c>) on a free loopback port, with persistence in a temp
/// directory so sessions survive <see cref="StopAsync"/> / <see cref="StartAgainAsync"/> on the same port. Fails with
/// a clear message when the binary is missing. Never uses a system service.
/// </summary>
internal sealed class MosquittoBroker : IAsyncDisposable
{
    public const string Binary = "/usr/sbin/mosquitto";
    private readonly DirectoryInfo _directory;
    private PeerProcess? _process;
    private string _previousOutput = "";

    private MosquittoBroker(DirectoryInfo directory, int port, int tlsPort)
    {
        _directory = directory;
        Port = port;
        TlsPort = tlsPort;
    }

    public int Port { get; }
    public int TlsPort { get; }
    public MosquittoSettings Settings { get; private set; } = new();
    public X509Certificate2? Certificate { get; private set; }
    public string Output => _previousOutput + (_process?.Output ?? "");

    public static async Task<MosquittoBroker> StartAsync(MosquittoSettings? settings = null)
    {
        PeerProcess.RequireBinary(Binary);
        var broker = new MosquittoBroker(Directory.CreateTempSubdirectory("millrace-mosquitto-"), FreePort(), FreePort());
        try
        {
            await broker.StartAgainAsync(settings ?? new MosquittoSettings());
        }
        catch
        {
            await broker.DisposeAsync();
            throw;
        }
        return broker;
    }

    /// <summary>Starts mosquitto (again) on the same ports and persistence directory, possibly with other settings.</summary>
    public async Task StartAgainAsync(MosquittoSettings? settings = null)
    {
        if (_process is not null) throw new InvalidOperationException("mosquitto is running.");
        Settings = settings ?? Settings;
        string config = Path.Combine(_directory.FullName, "mosquitto.conf");
        await File.WriteAllTextAsync(config, await BuildConfigAsync());
        _process = PeerProcess.Start(Binary, "-c", config);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"mosquitto exited with {_process.ExitCode}:\n{_process.Output}\nconfig:\n{await File.ReadAllTextAsync(config)}");
            if (await CanConnectAsync(Port) && (!Settings.Tls || await CanConnectAsync(TlsPort))) return;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"mosquitto did not listen on {Port} within 15 s:\n{_process.Output}");
            await Task.Delay(25);
        }
    }

    /// <summary>Stops mosquitto with SIGTERM (it writes its persistence file) and waits for it to exit.</summary>
    public async Task StopAsync()
    {
        if (_process is null) return;
        _process.Terminate();
        await _process.WaitForExitAsync(TimeSpan.FromSeconds(15));
        _previousOutput += _process.Output;
        await _process.DisposeAsync();
        _process = null;
    }

    private async Task<string> BuildConfigAsync()
    {
        string dir = _directory.FullName;
        var c = new StringBuilder();
        c.AppendLine($"user {Environment.UserName}"); // when run as root, do not switch to 'mosquitto' (it could not read the temp dir)
        c.AppendLine("per_listener_settings false");
        c.AppendLine($"allow_anonymous {(Settings.AllowAnonymous ? "true" : "false")}");
        c.AppendLine("persistence true");
        c.AppendLine($"persistence_location {dir}/");
        c.AppendLine("autosave_interval 0");
        c.AppendLine("max_queued_messages 100000");
        c.AppendLine("log_dest stdout");
        c.AppendLine("log_type error");
        c.AppendLine("log_type warning");
        c.AppendLine("log_type notice");
        c.AppendLine("log_type information");
        if (Settings.Users.Count > 0)
        {
            string passwords = Path.Combine(dir, "passwd");
            File.Delete(passwords);
            foreach (var (user, password) in Settings.Users)
            {
                var args = File.Exists(passwords) ? new[] { "-b", passwords, user, password } : ["-c", "-b", passwords, user, password];
                await using var tool = PeerProcess.Start("/usr/bin/mosquitto_passwd", args);
                int code = await tool.WaitForExitAsync(TimeSpan.FromSeconds(10));
                if (code != 0) throw new InvalidOperationException($"mosquitto_passwd failed ({code}):\n{tool.Output}");
            }
            c.AppendLine($"password_file {passwords}");
        }
        foreach (var line in Settings.Extra) c.AppendLine(line);
        c.AppendLine($"listener {Port} 127.0.0.1");
        if (Settings.Tls)
        {
            string cert = Path.Combine(dir, "server.crt"), key = Path.Combine(dir, "server.key");
            Certificate ??= TestCertificate.Create(cert, key);
            c.AppendLine($"listener {TlsPort} 127.0.0.1");
            c.AppendLine($"certfile {cert}");
            c.AppendLine($"keyfile {key}");
        }
        return c.ToString();
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static async Task<bool> CanConnectAsync(int port)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await socket.ConnectAsync(IPAddress.Loopback, port, cts.Token);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
            _process = null;
        }
        try { _directory.Delete(recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
