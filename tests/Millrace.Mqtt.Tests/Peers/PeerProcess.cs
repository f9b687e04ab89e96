using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading.Channels;

namespace Millrace.Mqtt.Tests.Peers;

/// <summary>
/// A child process of a test (mosquitto, mosquitto_sub, mosquitto_pub) with its output collected line by line, so a test
/// can wait — boundedly — for a line, and read everything for a failure message.
/// </summary>
internal sealed class PeerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly StringBuilder _all = new();

    private PeerProcess(Process process) => _process = process;

    public int Id => _process.Id;
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;

    /// <summary>Everything the process printed so far (stdout and stderr).</summary>
    public string Output { get { lock (_all) return _all.ToString(); } }

    /// <summary>Starts <paramref name="path"/>; fails clearly when the binary is missing.</summary>
    public static PeerProcess Start(string path, params string[] arguments)
    {
        RequireBinary(path);
        var info = new ProcessStartInfo(path)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, CreateNoWindow = true,
        };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var peer = new PeerProcess(process);
        process.OutputDataReceived += (_, e) => peer.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => peer.OnLine(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return peer;
    }

    public static void RequireBinary(string path)
    {
        if (!File.Exists(path))
            throw new InvalidOperationException(
                $"{path} is missing: these interop tests need the Debian packages 'mosquitto' and 'mosquitto-clients' " +
                "(apt-get install -y mosquitto mosquitto-clients).");
    }

    private void OnLine(string? line)
    {
        if (line is null) return;
        lock (_all) _all.AppendLine(line);
        _lines.Writer.TryWrite(line);
    }

    /// <summary>Waits for a line matching <paramref name="predicate"/>; fails with the output so far after <paramref name="timeout"/>.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> predicate, TimeSpan timeout, string what)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (await _lines.Reader.WaitToReadAsync(cts.Token))
                while (_lines.Reader.TryRead(out var line))
                    if (predicate(line)) return line;
        }
        catch (OperationCanceledException) { }
        throw new TimeoutException($"Waited {timeout} for {what}; output so far:\n{Output}");
    }

    /// <summary>Waits for exit (bounded); kills on timeout.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{_process.StartInfo.FileName} did not exit within {timeout}; output:\n{Output}");
        }
        _process.WaitForExit(); // drains the output events
        return _process.ExitCode;
    }

    /// <summary>SIGTERM: lets mosquitto save its persistence file, as a service stop would.</summary>
    public void Terminate()
    {
        if (!_process.HasExited) _ = Kill(_process.Id, 15);
    }

    [DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Terminate();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try { await _process.WaitForExitAsync(cts.Token); }
            catch (OperationCanceledException) { _process.Kill(entireProcessTree: true); }
        }
        _process.Dispose();
    }
}
