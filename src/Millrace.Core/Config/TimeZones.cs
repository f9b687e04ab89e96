using Millrace.Core.Units;

namespace Millrace.Core.Config;

/// <summary>Checks IANA time zone names against the system's time zone database, when there is one.</summary>
internal static class TimeZones
{
    private static readonly Lazy<string[]> Known = new(() =>
    {
        try
        {
            return TimeZoneInfo.GetSystemTimeZones().Select(z => z.Id).ToArray();
        }
        catch (Exception)
        {
            return [];
        }
    });

    /// <summary>Null when the zone is valid (or cannot be checked here), otherwise the error message.</summary>
    public static string? Explain(string zone)
    {
        // Without a time zone database every name would look wrong; do not fail configuration for that.
        if (Known.Value.Length < 2) return null;
        if (TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _)) return null;
        var suggestion = NameSuggester.Suggest(zone, Known.Value);
        return suggestion is null
            ? $"unknown time zone '{zone}' (use an IANA name such as 'Europe/Paris')"
            : $"unknown time zone '{zone}'; did you mean '{suggestion}'?";
    }
}
