using Millrace.Core;
using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Millrace.Core.Events;

/// <summary>
/// Reads CloudEvents 1.0 in the JSON format (structured and batch) and refuses anything the specification
/// forbids, naming every offending member by JSON pointer. Parsing continues past a bad member so one
/// submission reports all of its problems at once.
/// </summary>
public static class CloudEventJsonReader
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 64, CommentHandling = JsonCommentHandling.Disallow };

    /// <summary>Parses one event in structured mode; throws <see cref="CloudEventFormatException"/> on the first problem.</summary>
    public static CloudEvent Parse(ReadOnlySpan<byte> utf8Json)
    {
        var errors = new List<CloudEventError>();
        if (TryParse(utf8Json, out var ev, errors)) return ev!;
        throw new CloudEventFormatException(errors[0].Pointer, errors[0].Reason);
    }

    /// <summary>Parses one event in structured mode, adding every problem found to <paramref name="errors"/>.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8Json, out CloudEvent? cloudEvent, List<CloudEventError> errors)
        => TryParse(utf8Json, "", out cloudEvent, errors);

    /// <summary>
    /// Parses a batch (a JSON array of events). Valid events are added to <paramref name="events"/> and each problem
    /// to <paramref name="errors"/>, pointed at its element (<c>/3/source</c>). Returns true when no error was found.
    /// </summary>
    public static bool TryParseBatch(ReadOnlySpan<byte> utf8Json, List<CloudEvent> events, List<CloudEventError> errors)
    {
        int before = errors.Count;
        var reader = new Utf8JsonReader(utf8Json, ReaderOptions);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
            {
                errors.Add(new("", "a CloudEvents batch must be a JSON array"));
                return false;
            }
            int index = 0;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                int start = (int)reader.TokenStartIndex;
                reader.Skip();
                int end = (int)reader.BytesConsumed;
                if (TryParse(utf8Json[start..end], "/" + index.ToString(CultureInfo.InvariantCulture), out var ev, errors))
                    events.Add(ev!);
                index++;
            }
            if (reader.Read())
                errors.Add(new("", $"unexpected content after the batch array at byte {reader.TokenStartIndex}"));
        }
        catch (JsonException ex)
        {
            errors.Add(new("", $"malformed JSON: {ex.Message}"));
        }
        catch (InvalidOperationException ex) when (ex.InnerException is System.Text.DecoderFallbackException)
        {
            errors.Add(new("", $"malformed JSON: a string is not valid UTF-8 (before byte {reader.BytesConsumed + 1})"));
        }
        return errors.Count == before;
    }

    private static bool TryParse(ReadOnlySpan<byte> json, string prefix, out CloudEvent? cloudEvent, List<CloudEventError> errors)
    {
        cloudEvent = null;
        int before = errors.Count;
        var reader = new Utf8JsonReader(json, ReaderOptions);
        var a = new Attributes();
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                errors.Add(new(prefix, "a CloudEvent must be a JSON object"));
                return false;
            }
            var seen = new HashSet<string>(StringComparer.Ordinal);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                string name = reader.GetString()!;
                string pointer = prefix + "/" + EscapePointer(name);
                reader.Read();
                if (!seen.Add(name))
                {
                    errors.Add(new(pointer, "member appears more than once"));
                    reader.Skip();
                    continue;
                }
                ReadMember(ref reader, json, name, pointer, a, errors);
            }
            if (reader.Read())
                errors.Add(new(prefix, $"unexpected content after the event object at byte {reader.TokenStartIndex}"));
        }
        catch (JsonException ex)
        {
            errors.Add(new(prefix, $"malformed JSON: {ex.Message}"));
            return false;
        }
        catch (InvalidOperationException ex) when (ex.InnerException is System.Text.DecoderFallbackException)
        {
            // Utf8JsonReader checks a string's UTF-8 only when it is decoded, so this surfaces here, not as JsonException.
            errors.Add(new(prefix, $"malformed JSON: a string is not valid UTF-8 (before byte {reader.BytesConsumed + 1})"));
            return false;
        }
        Require(a.SpecVersion, "specversion", prefix, errors);
        Require(a.Id, "id", prefix, errors);
        Require(a.Source, "source", prefix, errors);
        Require(a.Type, "type", prefix, errors);
        if (a.HasData && a.HasDataBase64)
            errors.Add(new(prefix + "/data_base64", "'data' and 'data_base64' are mutually exclusive"));
        if (errors.Count != before) return false;

        cloudEvent = new CloudEvent
        {
            SpecVersion = a.SpecVersion!,
            Id = a.Id!,
            Source = a.Source!,
            Type = a.Type!,
            Subject = a.Subject,
            Time = a.Time,
            DataContentType = a.DataContentType,
            DataSchema = a.DataSchema,
            DataKind = a.HasData ? CloudEventDataKind.Json : a.HasDataBase64 ? CloudEventDataKind.Binary : CloudEventDataKind.None,
            Data = a.Data,
            TraceParent = a.TraceParent,
            PartitionKey = a.PartitionKey,
            Plant = a.Plant,
            Extensions = a.Extensions ?? CloudEvent.EmptyExtensions,
        };
        return true;
    }

    private static void ReadMember(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, string name, string pointer,
        Attributes a, List<CloudEventError> errors)
    {
        if (reader.TokenType == JsonTokenType.Null && name != "data")
            return; // null is "unset" for every attribute (JSON format §2.2); for data it is the JSON value null
        switch (name)
        {
            case "specversion":
                if (String(ref reader, pointer, errors) is { } v)
                {
                    if (v == CloudEvent.Version10) a.SpecVersion = v;
                    else errors.Add(new(pointer, $"unsupported specversion '{v}': only \"1.0\" is accepted"));
                }
                break;
            case "id": a.Id = NonEmpty(ref reader, pointer, errors); break;
            case "type": a.Type = NonEmpty(ref reader, pointer, errors); break;
            case "subject": a.Subject = NonEmpty(ref reader, pointer, errors); break;
            case "datacontenttype": a.DataContentType = NonEmpty(ref reader, pointer, errors); break;
            case "source":
                if (NonEmpty(ref reader, pointer, errors) is { } source)
                {
                    if (Uri.TryCreate(source, UriKind.RelativeOrAbsolute, out _)) a.Source = source;
                    else errors.Add(new(pointer, $"'{source}' is not a URI-reference"));
                }
                break;
            case "dataschema":
                if (NonEmpty(ref reader, pointer, errors) is { } schema)
                {
                    if (Uri.TryCreate(schema, UriKind.Absolute, out _)) a.DataSchema = schema;
                    else errors.Add(new(pointer, $"'{schema}' is not an absolute URI"));
                }
                break;
            case "time":
                if (String(ref reader, pointer, errors) is { } time)
                {
                    if (Rfc3339.TryParse(time, out var t)) a.Time = t;
                    else errors.Add(new(pointer, $"'{time}' is not an RFC 3339 timestamp"));
                }
                break;
            case "data":
                int start = (int)reader.TokenStartIndex;
                reader.Skip();
                a.Data = json[start..(int)reader.BytesConsumed].ToArray();
                a.HasData = true;
                break;
            case "data_base64":
                if (String(ref reader, pointer, errors) is { } b64)
                {
                    var bytes = new byte[b64.Length * 3 / 4 + 3];
                    if (Convert.TryFromBase64String(b64, bytes, out int written)) { a.Data = bytes.AsMemory(0, written); a.HasDataBase64 = true; }
                    else errors.Add(new(pointer, "not valid Base64"));
                }
                break;
            case "traceparent":
                if (String(ref reader, pointer, errors) is { } tp)
                {
                    if (TraceParentFormat.IsValid(tp)) a.TraceParent = tp;
                    else errors.Add(new(pointer, $"'{tp}' is not a W3C traceparent (00-<32 hex trace id>-<16 hex parent id>-<2 hex flags>)"));
                }
                break;
            case "partitionkey": a.PartitionKey = NonEmpty(ref reader, pointer, errors); break;
            case "plant": a.Plant = NonEmpty(ref reader, pointer, errors); break;
            default: ReadExtension(ref reader, name, pointer, a, errors); break;
        }
    }

    private static void ReadExtension(ref Utf8JsonReader reader, string name, string pointer, Attributes a, List<CloudEventError> errors)
    {
        if (!IsValidAttributeName(name))
        {
            errors.Add(new(pointer, "attribute names must be 1-20 characters of lower-case a-z and 0-9"));
            reader.Skip();
            return;
        }
        object? value = reader.TokenType switch
        {
            JsonTokenType.String => reader.GetString(),
            JsonTokenType.True => true,
            JsonTokenType.False => false,
            JsonTokenType.Number when reader.TryGetInt32(out int i) => i,
            _ => null,
        };
        if (value is null)
        {
            errors.Add(new(pointer, reader.TokenType == JsonTokenType.Number
                ? "an Integer attribute must be a whole number within 32-bit signed range"
                : "an extension attribute must be a string, a boolean or an integer"));
            reader.Skip();
            return;
        }
        (a.Extensions ??= new Dictionary<string, object>(StringComparer.Ordinal))[name] = value;
    }

    /// <summary>True when <paramref name="name"/> is a legal CloudEvents attribute name.</summary>
    public static bool IsValidAttributeName(string name)
    {
        if (name.Length is 0 or > 20) return false;
        foreach (char c in name)
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9'))) return false;
        return true;
    }

    private static string? String(ref Utf8JsonReader reader, string pointer, List<CloudEventError> errors)
    {
        if (reader.TokenType == JsonTokenType.String) return reader.GetString();
        errors.Add(new(pointer, $"expected a string, found {Describe(reader.TokenType)}"));
        reader.Skip();
        return null;
    }

    private static string? NonEmpty(ref Utf8JsonReader reader, string pointer, List<CloudEventError> errors)
    {
        var s = String(ref reader, pointer, errors);
        if (s is { Length: 0 }) { errors.Add(new(pointer, "must not be empty")); return null; }
        return s;
    }

    private static void Require(string? value, string name, string prefix, List<CloudEventError> errors)
    {
        if (value is null && !errors.Exists(e => e.Pointer == prefix + "/" + name))
            errors.Add(new(prefix + "/" + name, "required attribute is missing"));
    }

    private static string Describe(JsonTokenType t) => t switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => t.ToString(),
    };

    private static string EscapePointer(string name) =>
        name.Contains('~') || name.Contains('/') ? name.Replace("~", "~0").Replace("/", "~1") : name;

    private sealed class Attributes
    {
        public string? SpecVersion, Id, Source, Type, Subject, DataContentType, DataSchema, TraceParent, PartitionKey, Plant;
        public DateTimeOffset? Time;
        public bool HasData, HasDataBase64;
        public ReadOnlyMemory<byte> Data;
        public Dictionary<string, object>? Extensions;
    }
}
