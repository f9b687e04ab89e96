using System.Text.RegularExpressions;

namespace Millrace.IntegrationTests.Cli;

public class DemoCommandTests
{
    [Fact]
    public async Task Demo_ingests_from_every_acme_asset_with_metrics_rising_and_exits_0_after_its_duration()
    {
        int port = MillraceProcess.FreePort();
        string data = Path.Combine(Path.GetTempPath(), "millrace-demo-" + Guid.NewGuid().ToString("n"));
        using var demo = MillraceProcess.Start("demo", "--duration", "20s", "--port", port.ToString(), "--data", data, "--rate", "10000",
            "--transport", "http", "--mqtt-port", MillraceProcess.FreePort().ToString());
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            double first = await ReadSamplesCounterAsync(http, demo, minimum: 1);
            double second = await ReadSamplesCounterAsync(http, demo, minimum: first + 1);
            Assert.True(second > first);

            int code = await demo.WaitAsync(TimeSpan.FromSeconds(90));
            Assert.True(code == 0, demo.Stderr);
            var summary = Regex.Match(demo.Stdout, @"demo finished: ([\d,]+) samples from (\d+) assets, ([\d,]+) events in the log");
            Assert.True(summary.Success, demo.Stdout);
            Assert.True(int.Parse(summary.Groups[2].Value) >= 500, demo.Stdout);
            Assert.True(long.Parse(summary.Groups[3].Value.Replace(",", "")) > 0, demo.Stdout);
            Assert.True(File.Exists(Path.Combine(data, "log.db")));
        }
        finally
        {
            try { Directory.Delete(data, recursive: true); } catch (IOException) { }
        }
    }

    [Fact]
    public async Task Demo_shows_alerts_downtime_production_per_order_cold_chain_excursions_and_quality_exceptions_found_by_the_rules()
    {
        // Waits on the live summary instead of a fixed duration: production is confirmed when a one-minute counting
        // window closes (wall-clock minute), so a fixed 40 s run saw none when it started early in a minute or the
        // machine was busy. Bounded: the demo is stopped (Ctrl-C) once every kind showed, or after the bound.
        string[] kinds = ["maintenance.alert.raised", "asset.downtime.started", "production.completed", "coldchain.excursion.detected", "quality.exception.raised"];
        string data = Path.Combine(Path.GetTempPath(), "millrace-demo-rules-" + Guid.NewGuid().ToString("n"));
        using var demo = MillraceProcess.Start("demo", "--port", MillraceProcess.FreePort().ToString(), "--data", data, "--rate", "10000",
            "--transport", "http", "--mqtt-port", MillraceProcess.FreePort().ToString());
        try
        {
            var deadline = DateTime.UtcNow.AddMinutes(4);
            while (DateTime.UtcNow < deadline && !demo.HasExited && !kinds.All(k => Regex.IsMatch(demo.Stdout, $@"{Regex.Escape(k)} [1-9]")))
                await Task.Delay(500);
            demo.Interrupt();
            int code = await demo.WaitAsync(TimeSpan.FromSeconds(90));
            Assert.True(code == 0, demo.Stdout + demo.Stderr);
            var line = Regex.Match(demo.Stdout, "business events from rules: (.*)");
            Assert.True(line.Success, demo.Stdout);
            foreach (string kind in kinds)
                Assert.True(Regex.IsMatch(line.Groups[1].Value, $@"{Regex.Escape(kind)} [1-9]"), $"no {kind} in: {line.Value}");
        }
        finally
        {
            try { Directory.Delete(data, recursive: true); } catch (IOException) { }
        }
    }

    [Fact]
    public async Task Ctrl_C_stops_the_demo_cleanly_and_the_log_keeps_every_event()
    {
        int port = MillraceProcess.FreePort();
        string data = Path.Combine(Path.GetTempPath(), "millrace-demo-" + Guid.NewGuid().ToString("n"));
        using var demo = MillraceProcess.Start("demo", "--port", port.ToString(), "--data", data, "--rate", "5000",
            "--transport", "http", "--mqtt-port", MillraceProcess.FreePort().ToString());
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            await ReadSamplesCounterAsync(http, demo, minimum: 1);
            demo.Interrupt();
            int code = await demo.WaitAsync(TimeSpan.FromSeconds(60));
            Assert.True(code == 0, demo.Stdout + demo.Stderr);
            var summary = Regex.Match(demo.Stdout, @"demo finished: [\d,]+ samples from \d+ assets, ([\d,]+) events in the log");
            Assert.True(summary.Success, demo.Stdout);
            long reported = long.Parse(summary.Groups[1].Value.Replace(",", ""));
            Assert.True(reported > 0, demo.Stdout);

            // After a clean stop the log reopens with exactly what the demo reported as appended.
            await using var log = Millrace.Log.Sqlite.SqliteEventLog.Open(new Millrace.Log.Sqlite.SqliteEventLogOptions { Path = Path.Combine(data, "log.db") });
            var info = await log.GetInfoAsync();
            Assert.Equal(reported, info.Partitions.Sum(p => p.NextOffset));
        }
        finally
        {
            try { Directory.Delete(data, recursive: true); } catch (IOException) { }
        }
    }

    [Fact]
    public async Task Port_in_use_is_one_clear_line_and_exit_1()
    {
        using var squatter = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        squatter.Start();
        int port = ((System.Net.IPEndPoint)squatter.LocalEndpoint).Port;
        string data = Path.Combine(Path.GetTempPath(), "millrace-demo-" + Guid.NewGuid().ToString("n"));
        try
        {
            var (code, _, stderr) = await MillraceProcess.RunAsync(TimeSpan.FromSeconds(60), "demo", "--duration", "5s", "--port", port.ToString(), "--data", data,
                "--mqtt-port", MillraceProcess.FreePort().ToString());
            Assert.Equal(1, code);
            Assert.Contains($"http://127.0.0.1:{port} is already in use", stderr);
            Assert.DoesNotContain("Unhandled exception", stderr);
        }
        finally
        {
            try { Directory.Delete(data, recursive: true); } catch (IOException) { }
        }
    }

    [Fact]
    public async Task Demo_over_mqtt_feeds_every_acme_asset_through_the_embedded_broker_and_exits_0()
    {
        int port = MillraceProcess.FreePort();
        int mqttPort = MillraceProcess.FreePort();
        string data = Path.Combine(Path.GetTempPath(), "millrace-demo-" + Guid.NewGuid().ToString("n"));
        using var demo = MillraceProcess.Start("demo", "--duration", "20s", "--port", port.ToString(), "--mqtt-port", mqttPort.ToString(),
            "--data", data, "--rate", "10000");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            double first = await ReadSamplesCounterAsync(http, demo, minimum: 1, source: "acme-uns");
            double second = await ReadSamplesCounterAsync(http, demo, minimum: first + 1, source: "acme-uns");
            Assert.True(second > first);
            // A peer can connect to the demo's broker on the announced port.
            using (var socket = new System.Net.Sockets.TcpClient()) await socket.ConnectAsync(System.Net.IPAddress.Loopback, mqttPort);

            int code = await demo.WaitAsync(TimeSpan.FromSeconds(90));
            Assert.True(code == 0, demo.Stderr);
            Assert.Contains($"MQTT broker at mqtt://127.0.0.1:{mqttPort}/, telemetry over MQTT on acme/{{plant}}/{{line}}/{{asset}}/telemetry", demo.Stdout);
            var summary = Regex.Match(demo.Stdout, @"demo finished: ([\d,]+) samples from (\d+) assets, ([\d,]+) events in the log");
            Assert.True(summary.Success, demo.Stdout);
            Assert.True(int.Parse(summary.Groups[2].Value) >= 500, demo.Stdout);
            Assert.True(long.Parse(summary.Groups[3].Value.Replace(",", "")) > 0, demo.Stdout);
        }
        finally
        {
            try { Directory.Delete(data, recursive: true); } catch (IOException) { }
        }
    }

    [Fact]
    public async Task Mqtt_port_in_use_is_one_clear_line_and_exit_1()
    {
        using var squatter = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        squatter.Start();
        int mqttPort = ((System.Net.IPEndPoint)squatter.LocalEndpoint).Port;
        string data = Path.Combine(Path.GetTempPath(), "millrace-demo-" + Guid.NewGuid().ToString("n"));
        try
        {
            var (code, _, stderr) = await MillraceProcess.RunAsync(TimeSpan.FromSeconds(60), "demo", "--duration", "5s",
                "--port", MillraceProcess.FreePort().ToString(), "--mqtt-port", mqttPort.ToString(), "--data", data);
            Assert.Equal(1, code);
            Assert.Contains($"MQTT port {mqttPort} on 127.0.0.1 is already in use", stderr);
            Assert.DoesNotContain("Unhandled exception", stderr);
        }
        finally
        {
            try { Directory.Delete(data, recursive: true); } catch (IOException) { }
        }
    }

    [Fact]
    public async Task Bad_duration_is_a_usage_error()
    {
        var (code, _, stderr) = await MillraceProcess.RunAsync(TimeSpan.FromSeconds(60), "demo", "--duration", "soon");
        Assert.Equal(2, code);
        Assert.Contains("'soon' is not a duration", stderr);
    }

    /// <summary>Polls /metrics (bounded) until the ingested-sample counter reaches <paramref name="minimum"/>.</summary>
    private static async Task<double> ReadSamplesCounterAsync(HttpClient http, MillraceProcess demo, double minimum, string source = "http")
    {
        var deadline = DateTime.UtcNow.AddSeconds(45);
        while (DateTime.UtcNow < deadline && !demo.HasExited)
        {
            try
            {
                string text = await http.GetStringAsync("/metrics");
                var m = Regex.Match(text, @"^millrace_ingest_samples_total\{source=""" + source + @"""\} (\S+)$", RegexOptions.Multiline);
                if (m.Success && double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) is var v && v >= minimum) return v;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(500);
        }
        throw new Xunit.Sdk.XunitException($"ingested-sample counter never reached {minimum}; stdout:\n{demo.Stdout}\nstderr:\n{demo.Stderr}");
    }
}
