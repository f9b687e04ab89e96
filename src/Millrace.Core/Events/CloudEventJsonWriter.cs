using System.Buffers;
using System.Text.Json;

namespace Millrace.Core.Events;

/// <summary>Writes CloudEvents 1.0 in the JSON format, structured or batch.</summary>
public static class CloudEventJsonWriter
{
    private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = false };

    /// <summary>Writes one event as a JSON object.</summary>
    public static void Write(Utf8JsonWriter writer, CloudEvent e)
    {
        writer.WriteStartObject();
        writer.WriteString("specversion"u8, e.SpecVersion);
        writer.WriteString("id"u8, e.Id);
        writer.WriteString("source"u8, e.Source);
        writer.WriteString("type"u8, e.Type);
        if (e.Subject is not null) writer.WriteString("subject"u8, e.Subject);
        if (e.Time is { } t) writer.WriteString("time"u8, Rfc3339.Format(t));
        if (e.DataContentType is not null) writer.WriteString("datacontenttype"u8, e.DataContentType);
        if (e.DataSchema is not null) writer.WriteString("dataschema"u8, e.DataSchema);
        if (e.TraceParent is not null) writer.WriteString("traceparent"u8, e.TraceParent);
        if (e.PartitionKey is not null) writer.WriteString("partitionkey"u8, e.PartitionKey);
        if (e.Plant is not null) writer.WriteString("plant"u8, e.Plant);
        foreach (var (name, value) in e.Extensions)
        {
            switch (value)
            {
                case string s: writer.WriteString(name, s); break;
                case bool b: writer.WriteBoolean(name, b); break;
                case int i: writer.WriteNumber(name, i); break;
                default: throw new InvalidOperationException($"extension '{name}' has a value of type {value.GetType().Name}; only string, bool and int are CloudEvents types");
            }
        }
        switch (e.DataKind)
        {
            case CloudEventDataKind.Json:
                writer.WritePropertyName("data"u8);
                writer.WriteRawValue(e.Data.Span, skipInputValidation: false);
                break;
            case CloudEventDataKind.Binary:
                writer.WriteBase64String("data_base64"u8, e.Data.Span);
                break;
        }
        writer.WriteEndObject();
    }

    /// <summary>Serialises one event to UTF-8 JSON (structured mode).</summary>
    public static byte[] Serialize(CloudEvent e)
    {
        // One buffer and writer per thread, reused: a fresh ArrayBufferWriter grew by doubling per event (several
        // throw-away arrays each time), which with the gate and the log both serialising was most of what a business
        // event allocated. Only the exact-size result is allocated now.
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(4096);
        var writer = t_writer ??= new Utf8JsonWriter(buffer, WriterOptions);
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        try
        {
            Write(writer, e);
            writer.Flush();
            return buffer.WrittenSpan.ToArray();
        }
        finally
        {
            if (buffer.Capacity > MaxCachedBytes) { t_buffer = null; t_writer = null; } // don't pin a rare huge event's buffer
        }
    }

    private const int MaxCachedBytes = 256 * 1024;
    [ThreadStatic] private static ArrayBufferWriter<byte>? t_buffer;
    [ThreadStatic] private static Utf8JsonWriter? t_writer;

    /// <summary>Serialises events as a JSON array (batch mode).</summary>
    public static byte[] SerializeBatch(IEnumerable<CloudEvent> events)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartArray();
            foreach (var e in events) Write(writer, e);
            writer.WriteEndArray();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
