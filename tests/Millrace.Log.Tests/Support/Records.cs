using System.Text;

namespace Millrace.Log.Tests.Support;

internal static class Records
{
    public static readonly DateTimeOffset EventTime = new(2026, 11, 22, 9, 30, 0, TimeSpan.FromHours(1));

    /// <summary>A record whose payload names its id, padded to <paramref name="size"/> bytes.</summary>
    public static LogRecord Make(string key, string id, int size = 64, string? type = "com.millrace.test")
    {
        var payload = new byte[Math.Max(size, id.Length)];
        payload.AsSpan().Fill((byte)'.');
        Encoding.UTF8.GetBytes(id, payload);
        return new LogRecord(key, id, type, EventTime, payload);
    }

    public static string PayloadText(LogEntry entry) => Encoding.UTF8.GetString(entry.Record.Payload.Span).TrimEnd('.');
}
