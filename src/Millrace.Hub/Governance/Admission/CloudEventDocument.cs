using System.Text.Json;

namespace Millrace.Hub.Governance.Admission;

/// <summary>
/// Splits a CloudEvents JSON document — one event (structured mode) or an array of them (batch mode) — into the raw
/// bytes of each event, so every event is judged, kept or quarantined on its own. Only a document that is not JSON at
/// all (or not an object or array) is refused as a whole.
/// </summary>
public static class CloudEventDocument
{
    /// <summary>
    /// The events of <paramref name="document"/> as slices of it; false with <paramref name="problem"/> when the
    /// document is not well-formed JSON, or neither an object nor an array. <paramref name="batch"/> is true for an
    /// array (the JSON decides, whatever the media type said).
    /// </summary>
    public static bool TrySplit(ReadOnlyMemory<byte> document, out bool batch, out List<ReadOnlyMemory<byte>> events, out string? problem)
    {
        batch = false;
        events = [];
        problem = null;
        var reader = new Utf8JsonReader(document.Span, new JsonReaderOptions { MaxDepth = 64 });
        try
        {
            if (!reader.Read())
            {
                problem = "empty body: expected a CloudEvent object or an array of them";
                return false;
            }
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                reader.Skip();
                events.Add(document[..(int)reader.BytesConsumed]);
            }
            else if (reader.TokenType == JsonTokenType.StartArray)
            {
                batch = true;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    int start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    events.Add(document[start..(int)reader.BytesConsumed]);
                }
            }
            else
            {
                problem = "expected a CloudEvent object or an array of them";
                return false;
            }
            if (reader.Read())
            {
                problem = $"unexpected content after the JSON value at byte {reader.TokenStartIndex}";
                return false;
            }
            return true;
        }
        catch (JsonException e)
        {
            problem = $"malformed JSON: {e.Message}";
            return false;
        }
    }
}
