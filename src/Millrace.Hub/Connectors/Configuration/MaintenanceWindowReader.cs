using System.Globalization;
using Millrace.Core.Config;

namespace Millrace.Hub.Connectors.Configuration;

/// <summary>Reads <c>maintenance-windows:</c>: weekly (<c>days, from, to, zone</c>) or absolute (<c>start, end</c>) entries.</summary>
internal static class MaintenanceWindowReader
{
    private static readonly Dictionary<string, DayOfWeek> Days = new(StringComparer.OrdinalIgnoreCase)
    {
        ["mon"] = DayOfWeek.Monday, ["tue"] = DayOfWeek.Tuesday, ["wed"] = DayOfWeek.Wednesday, ["thu"] = DayOfWeek.Thursday,
        ["fri"] = DayOfWeek.Friday, ["sat"] = DayOfWeek.Saturday, ["sun"] = DayOfWeek.Sunday,
    };

    public static IReadOnlyList<MaintenanceWindow> ReadAll(MappingReader connector, ConfigContext context)
    {
        var result = new List<MaintenanceWindow>();
        foreach (var item in connector.List("maintenance-windows"))
            if (Read(item, connector.What, context) is { } w) result.Add(w);
        return result;
    }

    private static MaintenanceWindow? Read(ConfigNode node, string owner, ConfigContext context)
    {
        var m = context.ReadMapping(node, $"maintenance window of {owner}");
        if (m is null) return null;
        if (m.Has("start") || m.Has("end"))
        {
            var start = m.Text("start", required: true);
            var end = m.Text("end", required: true);
            m.Complete();
            if (start is null || end is null) return null;
            var s = Instant(start, context);
            var e = Instant(end, context);
            if (s is null || e is null) return null;
            if (e <= s) { context.Error(end, $"'end' of {m.What} must be after 'start'"); return null; }
            return new AbsoluteMaintenanceWindow(s.Value, e.Value);
        }
        var days = m.TextList("days", required: true);
        var from = m.Text("from", required: true);
        var to = m.Text("to", required: true);
        var zoneNode = m.Text("zone");
        m.Complete();
        bool ok = days.Count > 0 && from is not null && to is not null;
        if (m.Has("days") && days.Count == 0) context.Error(m.LocationOf("days"), $"'days' of {m.What} needs at least one day (mon … sun)");
        var set = new HashSet<DayOfWeek>();
        foreach (var d in days)
        {
            if (Days.TryGetValue(d.Value, out var day)) set.Add(day);
            else { context.Error(d, $"unknown day '{d.Value}' in {m.What} (one of mon, tue, wed, thu, fri, sat, sun)"); ok = false; }
        }
        var f = from is null ? null : Time(from, context);
        var t = to is null ? null : Time(to, context);
        TimeZoneInfo zone = TimeZoneInfo.Utc;
        if (zoneNode is not null)
        {
            if (TimeZoneInfo.TryFindSystemTimeZoneById(zoneNode.Value, out var z)) zone = z;
            else { context.Error(zoneNode, $"unknown time zone '{zoneNode.Value}' in {m.What} (use an IANA name such as 'Europe/Berlin')"); ok = false; }
        }
        if (f is not null && t is not null && f == t) { context.Error(to!, $"'to' of {m.What} equals 'from': the window would be empty"); ok = false; }
        return ok && f is not null && t is not null ? new WeeklyMaintenanceWindow(set, f.Value, t.Value, zone) : null;
    }

    private static TimeOnly? Time(ConfigScalar node, ConfigContext context)
    {
        if (TimeOnly.TryParseExact(node.Value, ["HH:mm", "H:mm", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var t)) return t;
        if (node.Value is "24:00") return TimeOnly.MinValue;
        context.Error(node, $"'{node.Value}' is not a time of day (HH:mm, e.g. \"02:00\")");
        return null;
    }

    private static DateTimeOffset? Instant(ConfigScalar node, ConfigContext context)
    {
        if (DateTimeOffset.TryParse(node.Value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var v) && (node.Value.EndsWith('Z') || node.Value.Contains('+') || node.Value.LastIndexOf('-') > 10))
            return v;
        context.Error(node, $"'{node.Value}' is not an instant with an offset (e.g. 2026-12-24T18:00:00Z)");
        return null;
    }
}
