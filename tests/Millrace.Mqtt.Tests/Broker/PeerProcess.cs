using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;

namespace Millrace.Mqtt.Tests.Broker;

/// <summary>
/// Runs a real peer (mosquitto_pub/mosquitto_sub, node + MQTT.js) as a child process: bounded in time, output captured,
/// killed with its children when the test ends. A missing binary or npm install fails with a message saying what to install.
/// </summary>
public sealed class PeerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new(), _stderr = new();

    private PeerProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_stdout) _stdout.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_stderr) _stderr.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Output { get { lock (_stdout) return _stdout.ToString(); } }
    public string Errors { get { lock (_stderr) return _stderr.ToString(); } }
    public bool HasExited => _process.HasExited;

    public static PeerProcess Start(string file, params string[] arguments)
    {
        var info = new ProcessStartInfo(RequireBinary(file)) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        if (file == "node") info.WorkingDirectory = MqttJsDirectory();
        return new PeerProcess(Process.Start(info)!);
    }

    /// <summary>Runs to completion (at most 30 s) and returns the exit code.</summary>
    public static async Task<(int ExitCode, string Output, string Errors)> RunAsync(string file, params string[] arguments)
    {
        await using var p = Start(file, arguments);
        int code = await p.WaitAsync(TimeSpan.FromSeconds(30));
        return (code, p.Output, p.Errors);
    }

    public async Task<int> WaitAsync(TimeSpan limit)
    {
        using var cts = new CancellationTokenSource(limit);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            throw new Xunit.Sdk.XunitException($"{_process.StartInfo.FileName} {string.Join(' ', _process.StartInfo.ArgumentList)} did not finish within {limit.TotalSeconds} s.\nstdout: {Output}\nstderr: {Errors}");
        }
        _process.WaitForExit(); // drain the output events
        return _process.ExitCode;
    }

    /// <summary>Kills the peer abruptly (SIGKILL: no DISCONNECT, so its will fires).</summary>
    public void Kill()
    {
        try { if (!_process.HasExited) _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _process.Dispose();
    }

    public static string RequireBinary(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Append("/usr/sbin"))
        {
            var path = Path.Combine(dir, name);
            if (File.Exists(path)) return path;
        }
        var package = name switch { "node" => "nodejs", "mosquitto" => "mosquitto", _ => "mosquitto-clients" };
        throw new Xunit.Sdk.XunitException($"'{name}' is required for this interop test and was not found on PATH: install it (apt-get install -y {package}).");
    }

    /// <summary>tests/peers/mqttjs, with its node_modules installed.</summary>
    public static string MqttJsDirectory([CallerFilePath] string source = "")
    {
        var dir = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(source)!, "..", "..", "peers", "mqttjs"));
        if (!Directory.Exists(Path.Combine(dir, "node_modules", "mqtt")))
            throw new Xunit.Sdk.XunitException($"MQTT.js is not installed in {dir}: run `npm ci --no-audit --no-fund` there (needs node and npm).");
        return dir;
    }
}
