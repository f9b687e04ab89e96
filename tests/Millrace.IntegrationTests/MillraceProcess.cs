using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Millrace.IntegrationTests;

/// <summary>Runs the real <c>millrace</c> executable (built beside the tests) as a child process.</summary>
public sealed class MillraceProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private MillraceProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_stdout) _stdout.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_stderr) _stderr.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>The folder holding Millrace.slnx: the repository root.</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    public string Stdout { get { lock (_stdout) return _stdout.ToString(); } }
    public string Stderr { get { lock (_stderr) return _stderr.ToString(); } }
    public bool HasExited => _process.HasExited;

    /// <summary>Sends SIGINT, as Ctrl-C in a terminal does.</summary>
    public void Interrupt()
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-INT", _process.Id.ToString()]) { UseShellExecute = false })!;
        kill.WaitForExit();
    }

    /// <summary>SIGKILL, as a power cut or the OOM killer would: no shutdown code runs. Returns once the process is gone.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true); // SIGKILL on Linux
        _process.WaitForExit();
    }

    public static MillraceProcess Start(params string[] args) => Start(new Dictionary<string, string>(), args);

    public static MillraceProcess Start(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in environment) info.Environment[key] = value;
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "millrace.dll"));
        foreach (var a in args) info.ArgumentList.Add(a);
        return new MillraceProcess(Process.Start(info)!);
    }

    /// <summary>Runs to completion (bounded) and returns the exit code.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(TimeSpan timeout, params string[] args)
    {
        using var p = Start(args);
        int code = await p.WaitAsync(timeout);
        return (code, p.Stdout, p.Stderr);
    }

    public async Task<int> WaitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"millrace did not exit within {timeout}; stdout:\n{Stdout}\nstderr:\n{Stderr}");
        }
        _process.WaitForExit(); // drain the redirected streams
        return _process.ExitCode;
    }

    /// <summary>
    /// Polls <c>GET /readyz</c> through <paramref name="http"/> until the hub answers ready; fails with the hub's output
    /// when it exits first or <paramref name="timeout"/> passes.
    /// </summary>
    public async Task WaitReadyAsync(HttpClient http, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline && !HasExited)
        {
            try
            {
                if ((await http.GetAsync("/readyz")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(100);
        }
        throw new Xunit.Sdk.XunitException($"the hub never became ready; stdout:\n{Stdout}\nstderr:\n{Stderr}");
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Millrace.slnx"))) return dir.FullName;
        throw new InvalidOperationException("Millrace.slnx not found above " + AppContext.BaseDirectory);
    }
}
