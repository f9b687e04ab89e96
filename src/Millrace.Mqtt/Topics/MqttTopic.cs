using System.Buffers;

namespace Millrace.Mqtt.Topics;

/// <summary>
/// Topic Name and Topic Filter rules and matching, on UTF-8 bytes (no normalization, [MQTT-4.7.3-4]).
/// Levels are separated by '/'; '+' matches exactly one level, '#' the parent level and any number of
/// child levels; filters starting with a wildcard do not match topics starting with '$' [MQTT-4.7.2-1].
/// </summary>
public static class MqttTopic
{
    /// <summary>Maximum length in bytes of a topic (a UTF-8 Encoded String).</summary>
    public const int MaxLength = 65_535;

    private static ReadOnlySpan<byte> SharePrefix => "$share/"u8;

    /// <summary>
    /// A Topic Name: at least one byte [MQTT-4.7.3-1], no wildcard characters [MQTT-4.7.0-1 (5.0) / MQTT-4.7.1-1 (3.1.1)],
    /// no U+0000, at most 65,535 bytes. UTF-8 well-formedness is checked separately by the codec.
    /// </summary>
    public static bool IsValidTopicName(ReadOnlySpan<byte> name)
        => name.Length is > 0 and <= MaxLength && name.IndexOfAny("+#\0"u8) < 0;

    /// <inheritdoc cref="IsValidTopicName(ReadOnlySpan{byte})"/>
    public static bool IsValidTopicName(in ReadOnlySequence<byte> name)
    {
        if (name.IsSingleSegment) return IsValidTopicName(name.FirstSpan);
        if (name.Length is 0 or > MaxLength) return false;
        foreach (var segment in name)
            if (segment.Span.IndexOfAny("+#\0"u8) >= 0) return false;
        return true;
    }

    /// <summary>Checks a Topic Filter; with <paramref name="allowShared"/> a <c>$share/{ShareName}/{filter}</c> is checked as a Shared Subscription.</summary>
    public static MqttTopicFilterStatus ValidateFilter(ReadOnlySpan<byte> filter, bool allowShared = true)
    {
        if (filter.Length == 0) return MqttTopicFilterStatus.Empty;
        if (filter.Length > MaxLength) return MqttTopicFilterStatus.TooLong;
        if (allowShared && filter.StartsWith(SharePrefix))
            return TryParseShared(filter, out _, out var inner) && ValidateFilter(inner, allowShared: false) == MqttTopicFilterStatus.Valid
                ? MqttTopicFilterStatus.Valid
                : MqttTopicFilterStatus.InvalidSharedSubscription;
        int i = filter.IndexOfAny("+#\0"u8);
        while (i >= 0)
        {
            byte c = filter[i];
            if (c == 0) return MqttTopicFilterStatus.ContainsNull;
            bool startsLevel = i == 0 || filter[i - 1] == '/';
            if (c == '#')
            {
                // '#' must be the last character and occupy a whole level.
                if (!startsLevel || i != filter.Length - 1) return MqttTopicFilterStatus.MisplacedMultiLevelWildcard;
            }
            else if (!startsLevel || (i + 1 < filter.Length && filter[i + 1] != '/'))
            {
                return MqttTopicFilterStatus.MisplacedSingleLevelWildcard;
            }
            int next = filter[(i + 1)..].IndexOfAny("+#\0"u8);
            i = next < 0 ? -1 : i + 1 + next;
        }
        return MqttTopicFilterStatus.Valid;
    }

    /// <inheritdoc cref="ValidateFilter(ReadOnlySpan{byte}, bool)"/>
    public static MqttTopicFilterStatus ValidateFilter(in ReadOnlySequence<byte> filter, bool allowShared = true)
    {
        if (filter.IsSingleSegment) return ValidateFilter(filter.FirstSpan, allowShared);
        if (filter.Length > MaxLength) return MqttTopicFilterStatus.TooLong;
        return ValidateFilter(filter.ToArray(), allowShared); // split filters are rare; correctness over speed
    }

    /// <summary>Whether a filter contains '+' or '#' (for Wildcard Subscription Available checks).</summary>
    public static bool HasWildcard(ReadOnlySpan<byte> filter) => filter.IndexOfAny("+#"u8) >= 0;

    /// <summary>
    /// Splits <c>$share/{ShareName}/{filter}</c>. The ShareName must be at least one character and contain no
    /// '/', '+' or '#' [MQTT-4.8.2-1], [MQTT-4.8.2-2]; returns false for non-shared or ill-formed filters.
    /// </summary>
    public static bool TryParseShared(ReadOnlySpan<byte> filter, out ReadOnlySpan<byte> shareName, out ReadOnlySpan<byte> topicFilter)
    {
        shareName = default;
        topicFilter = default;
        if (!filter.StartsWith(SharePrefix)) return false;
        var rest = filter[SharePrefix.Length..];
        int slash = rest.IndexOf((byte)'/');
        if (slash <= 0) return false;
        var name = rest[..slash];
        if (name.IndexOfAny("+#"u8) >= 0) return false;
        var inner = rest[(slash + 1)..];
        if (inner.Length == 0) return false;
        shareName = name;
        topicFilter = inner;
        return true;
    }

    /// <summary>
    /// Whether <paramref name="topicName"/> matches <paramref name="filter"/> (both assumed valid; the filter
    /// without any <c>$share/</c> prefix). Byte-wise and case-sensitive.
    /// </summary>
    public static bool Matches(ReadOnlySpan<byte> filter, ReadOnlySpan<byte> topicName)
    {
        if (topicName.Length > 0 && topicName[0] == '$' && filter.Length > 0 && (filter[0] == '+' || filter[0] == '#'))
            return false; // [MQTT-4.7.2-1]
        while (true)
        {
            int fEnd = filter.IndexOf((byte)'/');
            var fLevel = fEnd < 0 ? filter : filter[..fEnd];
            if (fLevel.Length == 1 && fLevel[0] == '#') return true; // this level and everything below
            int tEnd = topicName.IndexOf((byte)'/');
            var tLevel = tEnd < 0 ? topicName : topicName[..tEnd];
            if (!(fLevel.Length == 1 && fLevel[0] == '+') && !fLevel.SequenceEqual(tLevel)) return false;
            bool filterDone = fEnd < 0, topicDone = tEnd < 0;
            if (filterDone) return topicDone;
            filter = filter[(fEnd + 1)..];
            if (topicDone) return filter.Length == 1 && filter[0] == '#'; // "a/#" also matches the parent "a"
            topicName = topicName[(tEnd + 1)..];
        }
    }
}
