using System.Diagnostics;

namespace Millrace.IntegrationTests.Cli;

/// <summary>
/// <c>millrace broker</c> as a real process with mosquitto's own clients: persistent sessions kept in hub.db under
/// <c>--data</c> survive a restart of the process; <c>--config samples/acme</c> applies the mqtt-broker: users.
/// </summary>
public sealed class BrokerCommandTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "millrace-broker-cli-" + Guid.NewGuid().ToString("n"));

    [Fact]
    public async Task A_mosquitto_sub_session_and_its_queued_QoS_1_message_survive_a_restart_of_millrace_broker()
    {
        int port = MillraceProcess.FreePort();
        using (var broker = await StartBrokerAsync(port))
        {
            var sub = await RunAsync("mosquitto_sub", port, "-V", "mqttv311", "-c", "-i", "cli-session", "-q", "1", "-t", "acme/plant-04/#", "-E");
            Assert.True(sub.ExitCode == 0, sub.Error);
            var pub = await RunAsync("mosquitto_pub", port, "-V", "mqttv311", "-q", "1", "-t", "acme/plant-04/cold-1/probe-2/alarm", "-m", "door open");
            Assert.True(pub.ExitCode == 0, pub.Error);
            broker.Interrupt(); // Ctrl-C: the broker saves its sessions and exits
            Assert.Equal(0, await broker.WaitAsync(TimeSpan.FromSeconds(30)));
            Assert.Contains("saving sessions", broker.Stdout);
        }
        Assert.True(File.Exists(Path.Combine(_data, "hub.db")));

        using var restarted = await StartBrokerAsync(port);
        var resumed = await RunAsync("mosquitto_sub", port, "-V", "mqttv311", "-c", "-i", "cli-session", "-q", "1", "-t", "acme/plant-04/#", "-C", "1", "-v");
        Assert.True(resumed.ExitCode == 0, $"{resumed.Error} / {restarted.Stderr}");
        Assert.Equal("acme/plant-04/cold-1/probe-2/alarm door open", resumed.Output.Trim());
        restarted.Interrupt();
        Assert.Equal(0, await restarted.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task With_the_acme_configuration_users_come_from_its_mqtt_broker_section_and_anonymous_clients_are_refused()
    {
        int port = MillraceProcess.FreePort();
        using var broker = await StartBrokerAsync(port, "--config", Path.Combine(MillraceProcess.RepositoryRoot, "samples", "acme"));
        Assert.Contains("8 user(s) from the mqtt-broker: section", broker.Stdout);
        var anonymous = await RunAsync("mosquitto_pub", port, "-V", "mqttv5", "-q", "1", "-t", "acme/plant-01/x/y/telemetry", "-m", "[]");
        Assert.NotEqual(0, anonymous.ExitCode);
        Assert.Contains("not authori", anonymous.Error, StringComparison.OrdinalIgnoreCase);
        broker.Interrupt();
        Assert.Equal(0, await broker.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    private async Task<MillraceProcess> StartBrokerAsync(int port, params string[] more)
    {
        var process = MillraceProcess.Start(["broker", "--port", port.ToString(), "--data", _data, .. more]);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!process.Stdout.Contains("Millrace MQTT broker on", StringComparison.Ordinal))
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                process.Dispose();
                Assert.Fail($"millrace broker did not start: {process.Stderr}");
            }
            await Task.Delay(50);
        }
        return process;
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(string tool, int port, params string[] args)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-h", "127.0.0.1", "-p", port.ToString() }.Concat(args)) start.ArgumentList.Add(a);
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
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try { await process.WaitForExitAsync(timeout.Token); }
            catch (OperationCanceledException) { process.Kill(entireProcessTree: true); await process.WaitForExitAsync(); }
            return (process.ExitCode, await output, await error);
        }
    }

    public void Dispose()
    {
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { }
    }
}
