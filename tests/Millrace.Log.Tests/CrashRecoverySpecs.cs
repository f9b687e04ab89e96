using System.Diagnostics;
using Millrace.Log.CrashHost;
using Millrace.Log.Sqlite;
using Millrace.Log.Tests.Support;
using Xunit.Abstractions;

namespace Millrace.Log.Tests;

/// <summary>
/// Kills a real child process with SIGKILL in the middle of heavy appends and checks, after restart, that every
/// acknowledged record is present exactly once at its acknowledged position and in order per producer and partition.
/// </summary>
public class CrashRecoverySpecs(ITestOutputHelper output)
{
    private const int Partitions = 16;
    private const int SigKillExitCode = 128 + 9;
    private static readonly int[] AcksBeforeKill = [2_000, 6_000, 3_500];

    [Fact]
    public async Task Every_acknowledged_append_survives_kill_9_exactly_once_and_in_order()
    {
        using var dir = new TempDirectory();
        string path = dir.File("crash.db");
        var acknowledged = new Dictionary<string, LogPosition>();

        for (int run = 0; run < AcksBeforeKill.Length; run++)
        {
            var acks = await RunAndKill(path, run, AcksBeforeKill[run]);
            Assert.True(acks.Count >= AcksBeforeKill[run], $"run {run}: only {acks.Count} acknowledgements before the deadline");
            foreach (var (id, position) in acks) acknowledged.Add(id, position);

            long stored = await VerifyLog(path, acknowledged);
            output.WriteLine($"run {run}: killed after {acks.Count} acks; {acknowledged.Count} acknowledged in total, {stored} stored");
        }
    }

    /// <summary>Starts the host, reads acknowledgements until <paramref name="killAfter"/>, SIGKILLs it, drains the pipe.</summary>
    private static async Task<List<(string Id, LogPosition Position)>> RunAndKill(string path, int run, int killAfter)
    {
        string hostDll = typeof(CrashRecord).Assembly.Location;
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[] { hostDll, path, run.ToString(), "8", Partitions.ToString(), "full" }) start.ArgumentList.Add(arg);

        using var child = Process.Start(start) ?? throw new InvalidOperationException("Could not start the crash host.");
        var errors = child.StandardError.ReadToEndAsync();
        var acks = new List<(string, LogPosition)>();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            while (acks.Count < killAfter && await child.StandardOutput.ReadLineAsync(deadline.Token) is { } line)
                if (CrashRecord.TryParseAck(line, out var position, out string id)) acks.Add((id, position));
        }
        finally
        {
            child.Kill(entireProcessTree: true); // SIGKILL on Unix: no finally blocks, no flush, no dispose
        }

        // Acknowledgements printed before the kill are still in the pipe; a torn last line is rejected by the parser.
        using var drain = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (await child.StandardOutput.ReadLineAsync(drain.Token) is { } rest)
            if (CrashRecord.TryParseAck(rest, out var position, out string id)) acks.Add((id, position));
        await child.WaitForExitAsync(drain.Token);

        Assert.True(child.ExitCode == SigKillExitCode, $"crash host exited with {child.ExitCode}, not by SIGKILL: {await errors}");
        return acks;
    }

    /// <summary>Reopens the log and checks it against everything acknowledged so far; returns the stored count.</summary>
    private static async Task<long> VerifyLog(string path, Dictionary<string, LogPosition> acknowledged)
    {
        await using var log = SqliteEventLog.Open(new SqliteEventLogOptions { Path = path, PartitionCount = Partitions });
        var stored = new Dictionary<string, LogPosition>();
        for (int partition = 0; partition < Partitions; partition++)
        {
            var lastSequence = new Dictionary<string, long>();
            var entries = await TestLogs.ReadAll(log, partition);
            for (int i = 0; i < entries.Count; i++)
            {
                var entry = entries[i];
                Assert.Equal(i, entry.Position.Offset); // dense from 0: nothing lost, nothing torn in between
                Assert.True(stored.TryAdd(entry.Record.Id, entry.Position), $"{entry.Record.Id} stored twice");
                Assert.True(CrashRecord.PayloadMatches(entry.Record.Id, entry.Record.Payload.Span), $"{entry.Record.Id} payload corrupt");
                var (producer, sequence) = CrashRecord.Parse(entry.Record.Id);
                Assert.True(!lastSequence.TryGetValue(producer, out long previous) || sequence > previous,
                    $"partition {partition}: {entry.Record.Id} after sequence {previous} of the same producer");
                lastSequence[producer] = sequence;
            }
        }

        foreach (var (id, position) in acknowledged)
        {
            Assert.True(stored.TryGetValue(id, out var at), $"acknowledged {id} at {position} is missing after the crash");
            Assert.Equal(position, at);
        }

        return stored.Count;
    }
}
