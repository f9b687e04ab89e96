using Millrace.Schema.Compatibility;
using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Millrace.Hub.Governance;

/// <summary>
/// Writes the event catalogue as an AsyncAPI 3.0.0 document: one channel per event type (address = the CloudEvents
/// <c>type</c>, under which the durable log keeps its events), a <c>send</c> operation listing its producers (none
/// for retired types), a <c>receive</c> operation listing its consumers, and a message whose payload is the
/// registered JSON Schema (<c>schemaFormat: application/schema+json;version=draft-2020-12</c>). Owner, domain,
/// lifecycle, sunset and successor appear as tags and <c>x-millrace-*</c> extensions.
/// </summary>
public static class AsyncApiDocument
{
    /// <summary>The schema format of every payload.</summary>
    public const string JsonSchemaFormat = "application/schema+json;version=draft-2020-12";

    /// <summary>The document as UTF-8 JSON.</summary>
    /// <param name="messages">The catalogue (see <see cref="CatalogMessage.Collect"/>).</param>
    /// <param name="title">Document title, e.g. the enterprise name.</param>
    /// <param name="host">The hub's host[:port] for the <c>servers</c> entry, e.g. <c>127.0.0.1:5080</c>.</param>
    public static byte[] Write(IReadOnlyList<CatalogMessage> messages, string title, string host)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("asyncapi", "3.0.0");
            w.WriteString("id", "urn:millrace:catalog");
            WriteInfo(w, messages, title);
            w.WriteString("defaultContentType", "application/json");
            w.WriteStartObject("servers");
            w.WriteStartObject("hub");
            w.WriteString("host", host);
            w.WriteString("protocol", "http");
            w.WriteString("pathname", "/ingest/events");
            w.WriteString("description", "CloudEvents 1.0 ingest (structured or batch). Accepted business events are " +
                "validated against their schema and appended to the hub's durable log under their type.");
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteStartObject("channels");
            foreach (var m in messages) WriteChannel(w, m);
            w.WriteEndObject();
            w.WriteStartObject("operations");
            foreach (var m in messages) WriteOperations(w, m);
            w.WriteEndObject();
            w.WriteStartObject("components");
            w.WriteStartObject("messages");
            foreach (var m in messages) WriteMessage(w, m);
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteInfo(Utf8JsonWriter w, IReadOnlyList<CatalogMessage> messages, string title)
    {
        w.WriteStartObject("info");
        w.WriteString("title", title);
        w.WriteString("version", Version(messages));
        w.WriteString("description", "The business event catalogue of this Millrace hub: every event type with its owner, " +
            "domain, lifecycle (draft, active, deprecated with a sunset date, retired), producers, consumers and the JSON " +
            "Schema of its CloudEvent data. Retired types are refused at ingest; deprecated ones are counted and warned about.");
        w.WriteStartArray("tags");
        foreach (var domain in messages.Select(m => m.Type.Domain).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            WriteTag(w, "domain:" + domain, null);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>A content fingerprint, so a consumer can tell whether the catalogue changed.</summary>
    private static string Version(IReadOnlyList<CatalogMessage> messages)
    {
        var text = new StringBuilder();
        foreach (var m in messages)
            text.Append(m.Type.Subject).Append('|').Append(m.Version).Append('|').Append(m.Type.Lifecycle).Append('|')
                .Append(SchemaText.Fingerprint(m.Schema)).Append('\n');
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()));
        return "catalog-" + Convert.ToHexStringLower(hash.AsSpan(0, 6));
    }

    private static void WriteChannel(Utf8JsonWriter w, CatalogMessage m)
    {
        var t = m.Type;
        w.WriteStartObject(t.Subject);
        w.WriteString("address", t.Subject);
        w.WriteString("title", t.Subject);
        if (t.Description is not null) w.WriteString("description", t.Description);
        w.WriteStartArray("servers");
        WriteRef(w, "#/servers/hub");
        w.WriteEndArray();
        w.WriteStartObject("messages");
        w.WritePropertyName(t.Subject);
        WriteRef(w, "#/components/messages/" + t.Subject);
        w.WriteEndObject();
        WriteTags(w, t);
        WriteExtensions(w, t);
        w.WriteEndObject();
    }

    private static void WriteOperations(Utf8JsonWriter w, CatalogMessage m)
    {
        var t = m.Type;
        if (t.Lifecycle != EventLifecycle.Retired)
            WriteOperation(w, t, "send", "x-millrace-producers", t.Producers,
                t.Producers.Count == 0 ? "Emit " + t.Subject : "Emitted by " + string.Join(", ", t.Producers));
        WriteOperation(w, t, "receive", "x-millrace-consumers", t.Consumers,
            t.Consumers.Count == 0 ? "Read " + t.Subject + " from the log" : "Read by " + string.Join(", ", t.Consumers));
    }

    private static void WriteOperation(Utf8JsonWriter w, EventType t, string action, string listName, IReadOnlyList<string> parties, string summary)
    {
        w.WriteStartObject(t.Subject + "." + action);
        w.WriteString("action", action);
        w.WritePropertyName("channel");
        WriteRef(w, "#/channels/" + t.Subject);
        w.WriteString("summary", summary);
        w.WriteStartArray("messages");
        WriteRef(w, $"#/channels/{t.Subject}/messages/{t.Subject}");
        w.WriteEndArray();
        w.WriteStartArray(listName);
        foreach (var p in parties) w.WriteStringValue(p);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteMessage(Utf8JsonWriter w, CatalogMessage m)
    {
        var t = m.Type;
        w.WriteStartObject(t.Subject);
        w.WriteString("name", t.Subject);
        w.WriteString("title", t.Subject + (m.Version is { } v ? " (schema version " + v.ToString(CultureInfo.InvariantCulture) + ")" : ""));
        if (t.Description is not null) w.WriteString("summary", t.Description);
        w.WriteString("contentType", "application/json");
        w.WriteStartObject("payload");
        w.WriteString("schemaFormat", JsonSchemaFormat);
        w.WritePropertyName("schema");
        m.Schema.WriteTo(w);
        w.WriteEndObject();
        WriteTags(w, t);
        if (m.Version is { } version)
        {
            w.WriteNumber("x-millrace-schema-version", version);
            w.WriteString("x-millrace-schema-uri", SchemaRegistry.SchemaUri(t.Subject, version));
        }
        w.WriteEndObject();
    }

    private static void WriteTags(Utf8JsonWriter w, EventType t)
    {
        w.WriteStartArray("tags");
        if (t.Domain is not null) WriteTag(w, "domain:" + t.Domain, null);
        WriteTag(w, "lifecycle:" + t.Lifecycle.ToName(), t.Lifecycle switch
        {
            EventLifecycle.Deprecated => $"Deprecated; sunset {Date(t.Sunset)}" + (t.ReplacedBy is null ? "" : $"; use {t.ReplacedBy}"),
            EventLifecycle.Retired => "Retired: emitting it is refused" + (t.ReplacedBy is null ? "" : $"; use {t.ReplacedBy}"),
            _ => null,
        });
        if (t.Owner is not null) WriteTag(w, "owner:" + t.Owner, null);
        w.WriteEndArray();
    }

    private static void WriteExtensions(Utf8JsonWriter w, EventType t)
    {
        if (t.Owner is not null) w.WriteString("x-millrace-owner", t.Owner);
        if (t.Domain is not null) w.WriteString("x-millrace-domain", t.Domain);
        w.WriteString("x-millrace-lifecycle", t.Lifecycle.ToName());
        if (t.Sunset is not null) w.WriteString("x-millrace-sunset", Date(t.Sunset));
        if (t.ReplacedBy is not null) w.WriteString("x-millrace-replaced-by", t.ReplacedBy);
        w.WriteString("x-millrace-compatibility", t.Mode.ToName());
        if (!t.Declared) w.WriteBoolean("x-millrace-declared", false);
    }

    private static void WriteTag(Utf8JsonWriter w, string name, string? description)
    {
        w.WriteStartObject();
        w.WriteString("name", name);
        if (description is not null) w.WriteString("description", description);
        w.WriteEndObject();
    }

    private static void WriteRef(Utf8JsonWriter w, string pointer)
    {
        w.WriteStartObject();
        w.WriteString("$ref", pointer);
        w.WriteEndObject();
    }

    private static string Date(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "(no date)";
}
