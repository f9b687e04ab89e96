using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Millrace.Core;
using Millrace.Core.Units;

namespace Millrace.Hub.Processing.Telemetry;

/// <summary>A problem in a telemetry payload: where (JSON pointer) and why.</summary>
public readonly record struct PayloadError(string Pointer, string Reason);

/// <summary>A well-formed sample the hub cannot use (unknown asset, unknown signal, unconvertible unit), kept raw.</summary>
public readonly record struct SampleRejection(string Pointer, string Reason, ReadOnlyMemory<byte> Raw);

/// <summary>
/// Reads a JSON array of telemetry samples straight from the request's bytes with <see cref="Utf8JsonReader"/>:
/// no DOM, no string per sample. The contract of one sample:
/// <code>{"asset":"plant-01/pack-1/filler-01","signal":"good_count","value":1234,"ts":"2026-11-22T10:00:00.125Z","unit":"pcs","quality":"good"}</code>
/// <c>asset</c>, <c>signal</c>, <c>value</c> (number or boolean) and <c>ts</c> (RFC 3339 text or Unix milliseconds)
/// are required; <c>unit</c> (converted to the signal's declared unit) and <c>quality</c> are optional; any other member
/// is refused, so a typo never silently drops a field.
/// </summary>
public static class TelemetryBatchReader
{
    private const int MaxIdLength = 256;
    private const int MaxErrors = 100;

    /// <summary>
    /// Parses <paramref name="json"/>. Samples are written to <paramref name="samples"/> (grown from the shared pool as
    /// needed; the caller returns it). Structural problems go to <paramref name="errors"/> (the payload as a whole is then
    /// unusable); usable-shape samples that name unknown things go to <paramref name="rejections"/>.
    /// </summary>
    /// <returns>Number of samples written.</returns>
    public static int Read(ReadOnlySequence<byte> json, TelemetryCatalog catalog, UnitCatalog units,
        ref TelemetrySample[] samples, List<PayloadError> errors, List<SampleRejection> rejections)
        => Read(json, default, catalog, units, ref samples, errors, rejections);

    /// <summary>
    /// Parses <paramref name="json"/> for a transport whose envelope already names the asset (an MQTT topic):
    /// <paramref name="contextAsset"/> is the asset of every sample, samples leave <c>asset</c> out (if present it
    /// must equal <paramref name="contextAsset"/>), and the payload may be one sample object or an array of them.
    /// With an empty <paramref name="contextAsset"/> this is the plain array contract above. Same outputs otherwise.
    /// </summary>
    /// <returns>Number of samples written.</returns>
    public static int Read(ReadOnlySequence<byte> json, ReadOnlySpan<char> contextAsset, TelemetryCatalog catalog, UnitCatalog units,
        ref TelemetrySample[] samples, List<PayloadError> errors, List<SampleRejection> rejections)
        => Read(json, contextAsset, default, catalog, units, ref samples, errors, rejections);

    /// <summary>
    /// As the overload above, for a topic that names the signal too (<c>.../{asset}/{signal}</c>): with a non-empty
    /// <paramref name="contextSignal"/>, samples leave <c>signal</c> out (if present it must equal
    /// <paramref name="contextSignal"/>) and carry <c>value</c>, <c>ts</c>, <c>unit</c> and <c>quality</c>.
    /// </summary>
    /// <returns>Number of samples written.</returns>
    public static int Read(ReadOnlySequence<byte> json, ReadOnlySpan<char> contextAsset, ReadOnlySpan<char> contextSignal, TelemetryCatalog catalog,
        UnitCatalog units, ref TelemetrySample[] samples, List<PayloadError> errors, List<SampleRejection> rejections)
    {
        bool hasContext = !contextAsset.IsEmpty;
        bool hasSignalContext = hasContext && !contextSignal.IsEmpty;
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 16 });
        Span<char> assetBuf = stackalloc char[MaxIdLength];
        Span<char> signalBuf = stackalloc char[MaxIdLength];
        Span<char> unitBuf = stackalloc char[32];
        Span<char> textBuf = stackalloc char[64];
        Span<char> stateBuf = stackalloc char[64];
        int count = 0;
        try
        {
            bool any = reader.Read();
            bool single = any && hasContext && reader.TokenType == JsonTokenType.StartObject; // one sample, no array
            if (!any || (!single && reader.TokenType != JsonTokenType.StartArray))
            {
                errors.Add(new("", hasContext ? "telemetry must be a JSON sample object or an array of samples" : "telemetry must be a JSON array of samples"));
                return 0;
            }
            int index = -1;
            // In single mode the reader already stands on the sample's StartObject: run the body exactly once.
            while (single ? index < 0 : reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                index++;
                // The sample's JSON pointer is only built when something is wrong with it: a string per sample (and a
                // closure capturing it) was most of the bytes the ingest path allocated per sample.
                int at = single ? -1 : index;
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    errors.Add(new(Pointer(at), "each sample must be a JSON object"));
                    reader.Skip();
                    if (errors.Count >= MaxErrors) break;
                    continue;
                }
                long elementStart = reader.TokenStartIndex;
                int assetLen = -1, signalLen = -1, unitLen = -1, stateLen = -1;
                double value = 0;
                bool hasValue = false;
                long ts = 0;
                bool hasTs = false;
                var quality = SampleQuality.Good;
                int errorsBefore = errors.Count;
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("asset"u8)) { reader.Read(); assetLen = ReadId(ref reader, assetBuf, at, "asset", errors); }
                    else if (reader.ValueTextEquals("signal"u8)) { reader.Read(); signalLen = ReadId(ref reader, signalBuf, at, "signal", errors); }
                    else if (reader.ValueTextEquals("unit"u8)) { reader.Read(); unitLen = ReadId(ref reader, unitBuf, at, "unit", errors); }
                    else if (reader.ValueTextEquals("value"u8))
                    {
                        reader.Read();
                        hasValue = true;
                        switch (reader.TokenType)
                        {
                            case JsonTokenType.Number when reader.TryGetDouble(out value) && double.IsFinite(value): break;
                            case JsonTokenType.True: value = 1; break;
                            case JsonTokenType.False: value = 0; break;
                            case JsonTokenType.String: stateLen = ReadId(ref reader, stateBuf, at, "value", errors); break;
                            default:
                                errors.Add(new(Pointer(at) + "/value", $"expected a finite number, a boolean or a state name, found {Describe(reader.TokenType)}"));
                                reader.Skip();
                                break;
                        }
                    }
                    else if (reader.ValueTextEquals("ts"u8))
                    {
                        reader.Read();
                        hasTs = ReadTimestamp(ref reader, textBuf, at, errors, out ts);
                    }
                    else if (reader.ValueTextEquals("quality"u8))
                    {
                        reader.Read();
                        quality = ReadQuality(ref reader, textBuf, at, errors);
                    }
                    else
                    {
                        errors.Add(new(Pointer(at) + "/" + reader.GetString(), "unknown member; a sample has asset, signal, value, ts, unit and quality"));
                        reader.Read();
                        reader.Skip();
                    }
                }
                if (hasContext && assetLen >= 0 && !assetBuf[..assetLen].SequenceEqual(contextAsset))
                    errors.Add(new(Pointer(at) + "/asset", $"'{assetBuf[..assetLen]}' differs from the asset the topic names ('{contextAsset}')"));
                if (assetLen < 0 && !hasContext && !HasError(errors, at, "/asset")) errors.Add(new(Pointer(at) + "/asset", "required member is missing"));
                if (hasSignalContext && signalLen >= 0 && !signalBuf[..signalLen].SequenceEqual(contextSignal))
                    errors.Add(new(Pointer(at) + "/signal", $"'{signalBuf[..signalLen]}' differs from the signal the topic names ('{contextSignal}')"));
                if (signalLen < 0 && !hasSignalContext && !HasError(errors, at, "/signal")) errors.Add(new(Pointer(at) + "/signal", "required member is missing"));
                if (!hasValue) errors.Add(new(Pointer(at) + "/value", "required member is missing"));
                if (!hasTs && !HasError(errors, at, "/ts")) errors.Add(new(Pointer(at) + "/ts", "required member is missing"));
                if (errors.Count >= MaxErrors) break;
                if (errors.Count != errorsBefore || errors.Count > 0) continue; // once malformed, only keep collecting errors

                string? rejection = Resolve(catalog, units, hasContext ? contextAsset : assetBuf[..assetLen], hasSignalContext ? contextSignal : signalBuf[..signalLen],
                    unitLen < 0 ? default : unitBuf[..unitLen], stateLen < 0 ? default : stateBuf[..stateLen], ref value,
                    out int asset, out int signal, out string field);
                if (rejection is not null)
                {
                    var raw = json.Slice(elementStart, reader.BytesConsumed - elementStart).ToArray();
                    rejections.Add(new(Pointer(at) + "/" + field, rejection, raw));
                    continue;
                }
                if (count == samples.Length) Grow(ref samples);
                ref var s = ref samples[count++];
                s.Asset = asset;
                s.Signal = signal;
                s.Value = value;
                s.TimestampMs = ts;
                s.Quality = quality;
            }
            if (single && errors.Count == 0 && reader.Read())
                errors.Add(new("", "unexpected content after the sample object"));
        }
        catch (JsonException ex)
        {
            errors.Add(new("", $"malformed JSON at line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}: {FirstSentence(ex.Message)}"));
        }
        catch (InvalidOperationException ex) when (ex.InnerException is System.Text.DecoderFallbackException)
        {
            // Utf8JsonReader checks a string's UTF-8 only when it is decoded, so this surfaces here, not as JsonException.
            errors.Add(new("", $"malformed JSON: a string is not valid UTF-8 (before byte {reader.BytesConsumed + 1})"));
        }
        return errors.Count > 0 ? 0 : count;
    }

    private static string? Resolve(TelemetryCatalog catalog, UnitCatalog units, ReadOnlySpan<char> assetId, ReadOnlySpan<char> signalName,
        ReadOnlySpan<char> unitText, ReadOnlySpan<char> stateName, ref double value, out int asset, out int signal, out string field)
    {
        signal = -1;
        field = "asset";
        if (!catalog.TryFindAsset(assetId, out asset)) return $"unknown asset '{assetId}'";
        field = "signal";
        if (!catalog.TryFindSignal(asset, signalName, out signal)) return $"asset '{assetId}' has no signal '{signalName}'";
        if (!stateName.IsEmpty)
        {
            field = "value";
            if (catalog.SignalStates(signal) is not { } states) return $"signal '{signalName}' takes numbers, not a state name ('{stateName}')";
            if (!catalog.TryFindState(signal, stateName, out int state)) return $"'{stateName}' is not a state of '{signalName}' ({string.Join(", ", states)})";
            value = state;
        }
        if (unitText.IsEmpty) return null;
        field = "unit";
        var declared = catalog.SignalUnit(signal);
        if (declared is null) return $"signal '{signalName}' has no unit, but the sample says '{unitText}'";
        if (!units.TryParse(unitText, out var unit)) return $"unknown unit '{unitText}' (signal '{signalName}' is declared in {declared.Symbol})";
        if (ReferenceEquals(unit, declared)) return null;
        if (!UnitConverter.TryCreate(unit, declared, out var converter))
            return $"unit '{unit.Symbol}' ({unit.Dimension}) cannot be converted to the declared unit '{declared.Symbol}' ({declared.Dimension})";
        value = converter.Convert(value);
        return null;
    }

    private static int ReadId(ref Utf8JsonReader reader, scoped Span<char> buffer, int at, string member, List<PayloadError> errors)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            errors.Add(new(Pointer(at) + "/" + member, $"expected a string, found {Describe(reader.TokenType)}"));
            reader.Skip();
            return -1;
        }
        long byteLength = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
        if (byteLength == 0 || byteLength > buffer.Length)
        {
            errors.Add(new(Pointer(at) + "/" + member, byteLength == 0 ? "must not be empty" : $"longer than {buffer.Length} characters"));
            return -1;
        }
        return reader.CopyString(buffer); // UTF-8 never has fewer bytes than UTF-16 chars, so the buffer fits
    }

    private static bool ReadTimestamp(ref Utf8JsonReader reader, scoped Span<char> buffer, int at, List<PayloadError> errors, out long ms)
    {
        ms = 0;
        if (reader.TokenType == JsonTokenType.Number)
        {
            if (reader.TryGetInt64(out ms) && ms is >= 0 and < 253402300800000) return true;
            errors.Add(new(Pointer(at) + "/ts", "a numeric ts must be whole Unix milliseconds between 1970 and 9999"));
            return false;
        }
        if (reader.TokenType == JsonTokenType.String)
        {
            long len = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
            if (len <= buffer.Length)
            {
                int n = reader.CopyString(buffer);
                if (Rfc3339.TryParse(buffer[..n], out var t)) { ms = t.ToUnixTimeMilliseconds(); return true; }
                errors.Add(new(Pointer(at) + "/ts", $"'{buffer[..n]}' is not an RFC 3339 timestamp"));
                return false;
            }
            errors.Add(new(Pointer(at) + "/ts", "not an RFC 3339 timestamp (too long)"));
            return false;
        }
        errors.Add(new(Pointer(at) + "/ts", $"expected an RFC 3339 string or Unix milliseconds, found {Describe(reader.TokenType)}"));
        reader.Skip();
        return false;
    }

    private static SampleQuality ReadQuality(ref Utf8JsonReader reader, scoped Span<char> buffer, int at, List<PayloadError> errors)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            if (reader.ValueTextEquals("good"u8)) return SampleQuality.Good;
            if (reader.ValueTextEquals("uncertain"u8)) return SampleQuality.Uncertain;
            if (reader.ValueTextEquals("bad"u8)) return SampleQuality.Bad;
        }
        errors.Add(new(Pointer(at) + "/quality", "expected \"good\", \"uncertain\" or \"bad\""));
        reader.Skip();
        return SampleQuality.Bad;
    }

    /// <summary>JSON pointer of sample <paramref name="at"/> in the array, or the root (-1) for a single sample object.</summary>
    private static string Pointer(int at) => at < 0 ? "" : "/" + at.ToString(CultureInfo.InvariantCulture);

    /// <summary>Whether a problem was already reported at the sample's <paramref name="member"/> (e.g. "/asset").</summary>
    private static bool HasError(List<PayloadError> errors, int at, string member)
    {
        string pointer = Pointer(at) + member;
        foreach (var e in errors)
            if (e.Pointer == pointer) return true;
        return false;
    }

    private static void Grow(ref TelemetrySample[] samples)
    {
        var bigger = TelemetrySamplePool.Shared.Rent(Math.Max(64, samples.Length * 2));
        samples.AsSpan().CopyTo(bigger);
        if (samples.Length > 0) TelemetrySamplePool.Shared.Return(samples);
        samples = bigger;
    }

    private static string Describe(JsonTokenType t) => t switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => t.ToString(),
    };

    private static string FirstSentence(string message)
    {
        int cut = message.IndexOf(" LineNumber", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).TrimEnd('.', ' ');
    }
}
