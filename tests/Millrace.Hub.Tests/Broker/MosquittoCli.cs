using System.Diagnostics;
using System.Globalization;

namespace Millrace.Hub.Tests.Broker;

/// <summary>Runs <c>mosquitto_sub</c>/<c>mosquitto_pub</c> (apt <c>mosquitto-clients</c>) against a port, bounded in time.</summary>
internal static class MosquittoCli
{
    /// <summary>Runs the tool to its end (at most <paramref name="timeoutSeconds"/>) and returns exit code, stdout, stderr.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string tool, int port, int timeoutSeconds, params string[] args)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture) }.Concat(args)) start.ArgumentList.Add(a);
        Process process;
        try { process = Process.Start(start)!; }
        catch (System.ComponentModel.Win32Exception)
        {
            Assert.Fail($"{tool} is not installed: apt-get install -y mosquitto-clients");
            throw;
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
            try { await process.WaitForExitAsync(timeout.Token); }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
            return (process.ExitCode, await output, await error);
        }
    }
}
