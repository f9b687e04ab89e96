using System.Globalization;
using System.Text;

namespace Millrace.Log.CrashHost;

/// <summary>
/// The records the crash host writes and the crash test checks: the id names run, producer and sequence
/// (<c>r{run}-p{producer}-{sequence}</c>) and the ~1 KB payload repeats the id so corruption would show.
/// </summary>
public static class CrashRecord
{
    public const int PayloadSize = 1024;

    /// <summary>Marks a complete acknowledgement line; a line cut short by the kill lacks it.</summary>
    public const string LineEnd = " .";

    public static string Id(int run, int producer, long sequence) =>
        string.Create(CultureInfo.InvariantCulture, $"r{run}-p{producer}-{sequence:D9}");

    public static string Key(int producer, long sequence) =>
        string.Create(CultureInfo.InvariantCulture, $"line-{producer}-station-{sequence % 3}");

    public static LogRecord Make(int run, int producer, long sequence)
    {
        string id = Id(run, producer, sequence);
        var payload = new byte[PayloadSize];
        int written = Encoding.ASCII.GetBytes(id, payload);
        for (int i = written; i < payload.Length; i++) payload[i] = payload[i % written];
        return new LogRecord(Key(producer, sequence), id, "com.millrace.crash-test", DateTimeOffset.UtcNow, payload);
    }

    /// <summary>True when <paramref name="payload"/> is exactly what <see cref="Make"/> wrote for <paramref name="id"/>.</summary>
    public static bool PayloadMatches(string id, ReadOnlySpan<byte> payload)
    {
        if (payload.Length != PayloadSize) return false;
        int written = id.Length;
        for (int i = 0; i < payload.Length; i++)
            if (payload[i] != (byte)id[i % written]) return false;
        return true;
    }

    /// <summary>"r3-p5-000000042" → (producer "r3-p5", sequence 42).</summary>
    public static (string Producer, long Sequence) Parse(string id)
    {
        int dash = id.LastIndexOf('-');
        return (id[..dash], long.Parse(id.AsSpan(dash + 1), CultureInfo.InvariantCulture));
    }

    public static string AckLine(LogPosition position, string id) =>
        string.Create(CultureInfo.InvariantCulture, $"ack {position.Partition} {position.Offset} {id}{LineEnd}");

    /// <summary>Parses a complete acknowledgement line; false for anything else (including a torn last line).</summary>
    public static bool TryParseAck(string? line, out LogPosition position, out string id)
    {
        position = default;
        id = "";
        if (line is null || !line.StartsWith("ack ", StringComparison.Ordinal) || !line.EndsWith(LineEnd, StringComparison.Ordinal)) return false;
        string[] parts = line[..^LineEnd.Length].Split(' ');
        if (parts.Length != 4
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int partition)
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out long offset)) return false;
        position = new LogPosition(partition, offset);
        id = parts[3];
        return true;
    }
}
