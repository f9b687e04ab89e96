namespace Millrace.Mqtt.Tests.Peers;

/// <summary>Runs <c>mosquitto_pub</c> and <c>mosquitto_sub</c> (package mosquitto-clients) against a test broker.</summary>
internal static class MosquittoClients
{
    public const string Pub = "/usr/bin/mosquitto_pub";
    public const string Sub = "/usr/bin/mosquitto_sub";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    /// <summary>Publishes messages with one mosquitto_pub run (<c>-l</c>: one message per line) and checks it succeeded.</summary>
    public static async Task PublishAsync(int port, string topic, IEnumerable<string> lines, int qos = 0, bool retain = false,
        string version = "mqttv311", params string[] extra)
    {
        string file = Path.GetTempFileName();
        try
        {
            await File.WriteAllLinesAsync(file, lines);
            var args = new List<string> { "-h", "127.0.0.1", "-p", port.ToString(), "-t", topic, "-q", qos.ToString(), "-V", version, "-l" };
            if (retain) args.Add("-r");
            args.AddRange(extra);
            // -l reads stdin; feed the file through a shell redirect to keep the helper simple.
            await using var p = PeerProcess.Start("/bin/sh", "-c", $"exec {Pub} {string.Join(' ', args.Select(Quote))} < {Quote(file)}");
            int code = await p.WaitForExitAsync(Bound);
            if (code != 0) throw new InvalidOperationException($"mosquitto_pub exited with {code}:\n{p.Output}");
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>Publishes one message.</summary>
    public static Task PublishAsync(int port, string topic, string message, int qos = 0, bool retain = false, string version = "mqttv311")
        => RunPubAsync(["-h", "127.0.0.1", "-p", port.ToString(), "-t", topic, "-m", message, "-q", qos.ToString(), "-V", version, .. retain ? new[] { "-r" } : []]);

    private static async Task RunPubAsync(string[] args)
    {
        await using var p = PeerProcess.Start(Pub, args);
        int code = await p.WaitForExitAsync(Bound);
        if (code != 0) throw new InvalidOperationException($"mosquitto_pub exited with {code}:\n{p.Output}");
    }

    /// <summary>
    /// Starts mosquitto_sub for <paramref name="count"/> messages, printing <c>MSG|qos|retain|topic|payload</c> lines,
    /// and returns once its SUBACK arrived (so publications after that reach it).
    /// </summary>
    public static async Task<PeerProcess> SubscribeAsync(int port, string filter, int count, int qos = 0, string version = "mqttv311")
    {
        PeerProcess.RequireBinary(Sub);
        // stdbuf: line-buffered output, so the SUBACK debug line is seen while mosquitto_sub runs.
        var p = PeerProcess.Start("/usr/bin/stdbuf", "-oL", Sub, "-h", "127.0.0.1", "-p", port.ToString(), "-t", filter, "-q", qos.ToString(), "-V", version,
            "-C", count.ToString(), "-W", "30", "-d", "-F", "MSG|%q|%r|%t|%p");
        await p.WaitForLineAsync(l => l.Contains("received SUBACK", StringComparison.Ordinal), Bound, "mosquitto_sub's SUBACK");
        return p;
    }

    /// <summary>Collects the MSG lines of a mosquitto_sub started by <see cref="SubscribeAsync"/> until it exits (bounded).</summary>
    public static async Task<List<string[]>> MessagesAsync(PeerProcess sub)
    {
        await sub.WaitForExitAsync(TimeSpan.FromSeconds(40));
        return sub.Output.Split('\n').Where(l => l.StartsWith("MSG|", StringComparison.Ordinal))
            .Select(l => l.TrimEnd('\r').Split('|', 5)).ToList();
    }

    private static string Quote(string s) => "'" + s.Replace("'", "'\\''") + "'";
}
