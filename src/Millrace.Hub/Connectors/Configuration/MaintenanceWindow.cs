namespace Millrace.Hub.Connectors.Configuration;

/// <summary>
/// A time the target system is down for planned maintenance: weekly (<c>days</c>, <c>from</c>, <c>to</c> local
/// times in <c>zone</c>; <c>to</c> at or before <c>from</c> crosses midnight) or absolute (<c>start</c> to
/// <c>end</c>, instants).
/// </summary>
public abstract record MaintenanceWindow
{
    /// <summary>The end of the window <paramref name="now"/> falls in, or null when outside every window.</summary>
    public abstract DateTimeOffset? EndOfWindowAt(DateTimeOffset now);

    /// <summary>The end of the window <paramref name="now"/> falls in, over all <paramref name="windows"/> (the latest end when they overlap).</summary>
    public static DateTimeOffset? EndOfWindowAt(IReadOnlyList<MaintenanceWindow> windows, DateTimeOffset now)
    {
        DateTimeOffset? end = null;
        foreach (var w in windows)
            if (w.EndOfWindowAt(now) is { } e && (end is null || e > end)) end = e;
        return end;
    }
}

/// <summary>A window repeating every week on the given days.</summary>
public sealed record WeeklyMaintenanceWindow(IReadOnlySet<DayOfWeek> Days, TimeOnly From, TimeOnly To, TimeZoneInfo Zone) : MaintenanceWindow
{
    /// <inheritdoc />
    public override DateTimeOffset? EndOfWindowAt(DateTimeOffset now)
    {
        var local = TimeZoneInfo.ConvertTime(now, Zone);
        var today = DateOnly.FromDateTime(local.DateTime);
        bool crossesMidnight = To <= From;
        // the window may have started today, or yesterday when it crosses midnight
        foreach (var day in crossesMidnight ? new[] { today, today.AddDays(-1) } : [today])
        {
            if (!Days.Contains(day.DayOfWeek)) continue;
            var start = ToInstant(day, From);
            var end = ToInstant(crossesMidnight ? day.AddDays(1) : day, To);
            if (now >= start && now < end) return end;
        }
        return null;
    }

    private DateTimeOffset ToInstant(DateOnly day, TimeOnly time)
    {
        var local = day.ToDateTime(time, DateTimeKind.Unspecified);
        if (Zone.IsInvalidTime(local)) local = local.AddHours(1); // a time skipped by a DST jump: take the first valid one after it
        return new DateTimeOffset(local, Zone.GetUtcOffset(local));
    }
}

/// <summary>A one-off window between two instants.</summary>
public sealed record AbsoluteMaintenanceWindow(DateTimeOffset Start, DateTimeOffset End) : MaintenanceWindow
{
    /// <inheritdoc />
    public override DateTimeOffset? EndOfWindowAt(DateTimeOffset now) => now >= Start && now < End ? End : null;
}
