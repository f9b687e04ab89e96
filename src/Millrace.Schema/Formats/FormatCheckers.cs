using Millrace.Schema.Keywords;

namespace Millrace.Schema.Formats;

/// <summary>The formats this library asserts; any other format name stays an annotation.</summary>
internal static class FormatCheckers
{
    private static readonly Dictionary<string, FormatCheck> Checks = new(StringComparer.Ordinal)
    {
        ["date-time"] = DateTimeFormats.IsDateTime,
        ["date"] = DateTimeFormats.IsDate,
        ["time"] = DateTimeFormats.IsTime,
        ["duration"] = DurationFormat.IsDuration,
        ["uuid"] = SimpleFormats.IsUuid,
        ["uri"] = UriFormat.IsUri,
        ["uri-reference"] = UriFormat.IsUriReference,
        ["email"] = EmailFormat.IsEmail,
        ["ipv4"] = SimpleFormats.IsIPv4,
        ["ipv6"] = SimpleFormats.IsIPv6,
        ["hostname"] = HostnameFormat.IsHostname,
    };

    /// <summary>The names of the asserted formats.</summary>
    public static IReadOnlyCollection<string> Names => Checks.Keys;

    private static readonly Dictionary<string, Utf8FormatCheck> Utf8Checks = new(StringComparer.Ordinal)
    {
        ["date-time"] = DateTimeFormats.IsDateTime,
        ["date"] = DateTimeFormats.IsDate,
        ["time"] = DateTimeFormats.IsTime,
    };

    public static FormatCheck? Find(string format) => Checks.GetValueOrDefault(format);

    /// <summary>The UTF-8 checker of an ASCII-only format, when there is one (the fast path skips decoding).</summary>
    public static Utf8FormatCheck? FindUtf8(string format) => Utf8Checks.GetValueOrDefault(format);
}
