using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Millrace.MqttClientLoad;

/// <summary>A private mosquitto on a free loopback port with a temp config (never a system service).</summary>
internal sealed class MosquittoProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly DirectoryInfo _directory;

    private MosquittoProcess(Process process, DirectoryInfo directory, int port)
    {
        _process = process;
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    public static async Task<MosquittoProcess> StartAsync()
    {
        const string binary = "/usr/sbin/mosquitto";
        if (!File.Exists(binary)) throw new InvalidOperationException("mosquitto is missing: apt-get install -y mosquitto mosquitto-clients");
        var directory = Directory.CreateTempSubdirectory("millrace-mqttload-");
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        string config = Path.Combine(directory.FullName, "mosquitto.conf");
        await File.WriteAllTextAsync(config, string.Join('\n',
            $"user {Environment.UserName}", "allow_anonymous true", "persistence false",
            "max_queued_messages 0", "queue_qos0_messages true", "log_dest none", $"listener {port} 127.0.0.1", ""));
        var process = Process.Start(new ProcessStartInfo(binary) { ArgumentList = { "-c", config }, UseShellExecute = false })!;
        for (int i = 0; i < 400; i++)
        {
            using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await socket.ConnectAsync(IPAddress.Loopback, port);
                return new MosquittoProcess(process, directory, port);
            }
            catch (SocketException)
            {
                await Task.Delay(25);
            }
        }
        process.Kill();
        throw new TimeoutException("mosquitto did not start listening within 10 s.");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill();
        await _process.WaitForExitAsync();
        _directory.Delete(recursive: true);
    }
}
