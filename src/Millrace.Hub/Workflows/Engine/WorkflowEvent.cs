using System.Text.Json;
using Millrace.Core.Events;

namespace Millrace.Hub.Workflows.Engine;

/// <summary>A business event as workflows see it: the CloudEvent's attributes (with the <c>plant</c> extension) and its JSON data.</summary>
public sealed record WorkflowEvent(string Id, string Type, string Source, DateTimeOffset? Time, string? Subject, string? TraceParent, JsonElement Data, string? Plant = null)
{
    /// <summary>From a CloudEvent with JSON data (anything else is seen as no data).</summary>
    public static WorkflowEvent From(CloudEvent e)
    {
        JsonElement data = default;
        if (e.DataKind == CloudEventDataKind.Json && !e.Data.IsEmpty)
        {
            using var doc = JsonDocument.Parse(e.Data);
            data = doc.RootElement.Clone();
        }
        return new WorkflowEvent(e.Id, e.Type, e.Source, e.Time, e.Subject, e.TraceParent, data, e.Plant);
    }

    /// <summary>The event as the JSON object expressions read as <c>event</c>.</summary>
    public JsonElement ToJson()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("id", Id);
            w.WriteString("type", Type);
            w.WriteString("source", Source);
            if (Time is { } t) w.WriteString("time", t);
            if (Subject is not null) w.WriteString("subject", Subject);
            if (TraceParent is not null) w.WriteString("traceparent", TraceParent);
            if (Plant is not null) w.WriteString("plant", Plant);
            w.WritePropertyName("data");
            if (Data.ValueKind == JsonValueKind.Undefined) w.WriteNullValue(); else Data.WriteTo(w);
            w.WriteEndObject();
        }
        using var doc = JsonDocument.Parse(buffer.WrittenMemory);
        return doc.RootElement.Clone();
    }
}
