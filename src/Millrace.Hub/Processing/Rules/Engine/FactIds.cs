using System.Globalization;

namespace Millrace.Hub.Processing.Rules;

/// <summary>
/// Deterministic identities of facts. A fact key names the rule, the asset and the event time that makes the fact
/// unique (an episode's first sample, a quantity chunk's first counted sample, a window's first sample), so the same
/// input always yields the same key, after a restart or a replay. Ids inside event data (alertId, downtimeId, …)
/// must be short and slash-free, so they are a 64-bit FNV-1a hash of the key.
/// </summary>
public static class FactIds
{
    /// <summary>A fact key: <c>rule/asset-id/part/part…</c>.</summary>
    public static string Key(string ruleId, string assetId, long timeMs) =>
        string.Concat(ruleId, "/", assetId, "/", timeMs.ToString(CultureInfo.InvariantCulture));

    /// <summary>A short id for event data: <c>prefix-</c> and 16 hex digits of the key's hash.</summary>
    public static string Short(string prefix, string factKey) => prefix + "-" + Hash(factKey).ToString("x16", CultureInfo.InvariantCulture);

    /// <summary>64-bit FNV-1a of the UTF-16 code units of <paramref name="text"/>.</summary>
    public static ulong Hash(ReadOnlySpan<char> text)
    {
        ulong hash = 14695981039346656037UL;
        foreach (char c in text)
        {
            hash = (hash ^ (byte)c) * 1099511628211UL;
            hash = (hash ^ (byte)(c >> 8)) * 1099511628211UL;
        }
        return hash;
    }

    /// <summary>RFC 3339 UTC text of a Unix-millisecond time, e.g. <c>2026-11-22T07:15:00.125Z</c>.</summary>
    public static string Time(long unixMs) =>
        DateTimeOffset.FromUnixTimeMilliseconds(Math.Clamp(unixMs, -62_135_596_800_000, 253_402_300_799_999))
            .UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
